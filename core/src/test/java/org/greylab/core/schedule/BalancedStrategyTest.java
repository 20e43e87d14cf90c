package org.greylab.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.greylab.core.schedule.SampleImages.PIPELINE;
import static org.greylab.core.schedule.StrategyAssertions.everyJobConvertedOnceInOrder;
import static org.greylab.core.schedule.StrategyAssertions.noPartialFiles;
import static org.greylab.core.schedule.StrategyAssertions.outputsEqualSerial;
import static org.greylab.core.schedule.StrategyAssertions.relativePaths;
import static org.greylab.core.schedule.ThreadPoolEngineCluster.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.greylab.core.image.Stage;
import org.greylab.core.job.BatchPlan;
import org.greylab.core.job.FileResult;
import org.greylab.core.job.FileStatus;
import org.greylab.core.job.ImageJob;
import org.greylab.core.progress.ProgressEvent;
import org.greylab.core.progress.ProgressListener;
import org.greylab.core.testing.Samples;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BalancedStrategyTest {

    @TempDir
    static Path serialFolder;
    static Map<String, byte[]> serial;

    @TempDir
    Path output;
    @TempDir
    Path elsewhere;
    ThreadPoolEngineCluster cluster;

    @BeforeAll
    static void convertSerially() throws Exception {
        serial = SampleImages.serialOutputs(SampleImages.plan(serialFolder));
    }

    @AfterEach
    void stopEngines() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void givesTheSameBytesAsSerialOnTheSamplesWithTwoEngines() throws Exception {
        cluster = ThreadPoolEngineCluster.withEngines(1, 1);
        BatchPlan plan = SampleImages.plan(output);

        List<FileResult> results = new BalancedStrategy(cluster, PIPELINE).run(plan, ProgressListener.NONE);

        everyJobConvertedOnceInOrder(plan, results);
        outputsEqualSerial(output, serial);
        assertThat(results).allSatisfy(r -> {
            assertThat(r.trace().attempt()).isEqualTo(1);
            assertThat(r.trace().bytesSent()).isEqualTo(r.bytesIn());
            assertThat(r.trace().bytesReceived()).isEqualTo(r.bytesOut());
            assertThat(r.trace().submittedMicros()).isLessThanOrEqualTo(r.trace().receivedMicros());
            assertThat(r.trace().startedMicros()).isLessThanOrEqualTo(r.trace().finishedMicros());
            assertThat(r.timings().decodeNanos()).isPositive();
            assertThat(r.timings().writeNanos()).isPositive();
        });
    }

    @Test
    void givesTheIdleEngineTheNextImage() throws Exception {
        cluster = ThreadPoolEngineCluster.withEngines(1, 1);
        cluster.gate(0).close();
        BatchPlan plan = SampleImages.plan(output);
        int n = plan.jobs().size();

        BackgroundRun run = BackgroundRun.start(new BalancedStrategy(cluster, PIPELINE), plan);
        // engine 0 is stuck on its first two images: every other image must go to engine 1 as it frees up
        await("engine 1 did all the rest", () -> cluster.finished(1) == n - 2);
        assertThat(cluster.received(0)).hasSize(2);
        cluster.gate(0).open();
        List<FileResult> results = run.results();

        everyJobConvertedOnceInOrder(plan, results);
        // the first pick ties (both idle, never used): the lower id; the second goes to the other, idle one
        assertThat(cluster.received(0)).containsExactly(plan.jobs().get(0).relativePath(),
                plan.jobs().get(2).relativePath());
        assertThat(cluster.received(1)).hasSize(n - 2).startsWith(plan.jobs().get(1).relativePath());
    }

    @Test
    void neverHoldsMoreThanSlotsPlusPrefetchOnAnEngine() throws Exception {
        cluster = ThreadPoolEngineCluster.withEngines(1, 2);
        cluster.gate(0).close();
        cluster.gate(1).close();
        BatchPlan plan = SampleImages.plan(output);
        DispatchOptions options = DispatchOptions.defaults().withPrefetch(2);

        BackgroundRun run = BackgroundRun.start(new BalancedStrategy(cluster, PIPELINE, options), plan);
        await("both engines hold slots + prefetch", () -> cluster.inFlight(0) >= 3 && cluster.inFlight(1) >= 4);
        cluster.gate(0).open();
        cluster.gate(1).open();
        List<FileResult> results = run.results();

        everyJobConvertedOnceInOrder(plan, results);
        assertThat(cluster.maxInFlight(0)).isEqualTo(1 + 2);
        assertThat(cluster.maxInFlight(1)).isEqualTo(2 + 2);
    }

    @Test
    void keepsTheBytesInFlightWithinTheBudget() throws Exception {
        cluster = ThreadPoolEngineCluster.withEngines(2, 2);
        BatchPlan plan = SampleImages.plan(output);
        long budget = 600_000;
        long largest = plan.jobs().stream().mapToLong(ImageJob::sizeBytes).max().orElseThrow();
        assertThat(largest).as("a sample bigger than half the budget").isGreaterThan(budget / 2);
        DispatchOptions options = DispatchOptions.defaults().withMaxInFlightBytes(budget);

        List<FileResult> results = new BalancedStrategy(cluster, PIPELINE, options).run(plan, ProgressListener.NONE);

        everyJobConvertedOnceInOrder(plan, results);
        assertThat(cluster.peakInFlightCount()).as("several images did run at once").isGreaterThan(1);
        assertThat(cluster.peakBytesWithSeveralInFlight()).isLessThanOrEqualTo(budget);
    }

    @Test
    void runsAnImageLargerThanTheBudgetAlone() throws Exception {
        cluster = ThreadPoolEngineCluster.withEngines(1, 1);
        BatchPlan plan = SampleImages.plan(output);
        DispatchOptions options = DispatchOptions.defaults().withMaxInFlightBytes(1);

        List<FileResult> results = new BalancedStrategy(cluster, PIPELINE, options).run(plan, ProgressListener.NONE);

        everyJobConvertedOnceInOrder(plan, results);
        assertThat(cluster.peakInFlightCount()).isEqualTo(1);
    }

    @Test
    void requeuesADeadEnginesImagesToTheOthers() throws Exception {
        cluster = ThreadPoolEngineCluster.withEngines(1, 1);
        cluster.gate(1).close();
        cluster.gate(1).allow(2);
        BatchPlan plan = SampleImages.plan(output);

        BackgroundRun run = BackgroundRun.start(new BalancedStrategy(cluster, PIPELINE), plan);
        await("engine 1 is busy mid-run", () -> cluster.finished(1) == 2 && cluster.inFlight(1) == 2);
        List<String> held = cluster.received(1).subList(2, 4);
        cluster.kill(1);
        List<FileResult> results = run.results();

        everyJobConvertedOnceInOrder(plan, results);
        outputsEqualSerial(output, serial);
        for (FileResult r : results) {
            if (held.contains(r.input())) {
                assertThat(r.trace().engineId()).isEqualTo(0);
                assertThat(r.trace().attempt()).isEqualTo(2);
                assertThat(r.warnings()).contains("re-run on engine 0 after engine 1 was lost");
            } else {
                assertThat(r.trace().attempt()).isEqualTo(1);
            }
        }
        assertThat(run.events(ProgressEvent.ImageRequeued.class)).extracting(e -> e.job().relativePath())
                .containsExactlyInAnyOrderElementsOf(held);
    }

    @Test
    void neverSendsAnImageBackToTheEngineThatDiedHoldingIt() throws Exception {
        cluster = ThreadPoolEngineCluster.withEngines(1, 1, 1);
        cluster.gate(1).close();
        BatchPlan plan = SampleImages.plan(output);

        BackgroundRun run = BackgroundRun.start(new BalancedStrategy(cluster, PIPELINE), plan);
        await("engine 1 holds two images", () -> cluster.inFlight(1) == 2);
        List<String> held = cluster.received(1);
        cluster.kill(1);
        List<FileResult> results = run.results();

        everyJobConvertedOnceInOrder(plan, results);
        assertThat(results).filteredOn(r -> held.contains(r.input()))
                .allSatisfy(r -> assertThat(r.trace().engineId()).isIn(0, 2));
        assertThat(run.events(ProgressEvent.ImageStarted.class)).filteredOn(e -> e.attempt() == 2)
                .extracting(e -> e.job().relativePath()).containsExactlyInAnyOrderElementsOf(held);
    }

    @Test
    void givesAnEngineThatJoinsMidBatchWorkAtOnce() throws Exception {
        cluster = ThreadPoolEngineCluster.withEngines(1);
        cluster.gate(0).close();
        BatchPlan plan = SampleImages.plan(output);
        int n = plan.jobs().size();

        BackgroundRun run = BackgroundRun.start(new BalancedStrategy(cluster, PIPELINE), plan);
        await("engine 0 is full", () -> cluster.inFlight(0) == 2);
        int joined = cluster.addEngine(1);
        // engine 0 is still stuck, so only the new engine can move the batch on
        await("the new engine did the rest", () -> cluster.finished(joined) == n - 2);
        cluster.gate(0).open();
        List<FileResult> results = run.results();

        everyJobConvertedOnceInOrder(plan, results);
        assertThat(cluster.received(joined)).containsExactlyElementsOf(relativePaths(plan, 2, n));
        assertThat(run.events(ProgressEvent.EngineJoined.class)).extracting(e -> e.engine().id())
                .containsExactly(joined);
    }

    @Test
    void waitsForAnEngineToJoinWhenNoneIsLeft() throws Exception {
        cluster = ThreadPoolEngineCluster.withEngines(1);
        cluster.gate(0).close();
        BatchPlan plan = SampleImages.plan(output);
        DispatchOptions options = DispatchOptions.defaults().withNoEngineWait(Duration.ofSeconds(60));

        BackgroundRun run = BackgroundRun.start(new BalancedStrategy(cluster, PIPELINE, options), plan);
        await("engine 0 is full", () -> cluster.inFlight(0) == 2);
        cluster.kill(0);
        await("the run saw the engine go", () -> !run.events(ProgressEvent.EngineGone.class).isEmpty());
        cluster.addEngine(1);
        List<FileResult> results = run.results();

        everyJobConvertedOnceInOrder(plan, results);
        outputsEqualSerial(output, serial);
        assertThat(results).extracting(r -> r.trace().engineId()).containsOnly(1);
    }

    @Test
    void failsAnImageAfterTheLastAllowedAttempt() throws Exception {
        cluster = ThreadPoolEngineCluster.withEngines(1, 1);
        cluster.gate(0).close();
        BatchPlan plan = SampleImages.plan(output);
        DispatchOptions options = DispatchOptions.defaults().withMaxAttempts(1);

        BackgroundRun run = BackgroundRun.start(new BalancedStrategy(cluster, PIPELINE, options), plan);
        await("engine 0 holds two images", () -> cluster.inFlight(0) == 2);
        List<String> held = cluster.received(0);
        cluster.kill(0);
        List<FileResult> results = run.results();

        assertThat(results).filteredOn(r -> held.contains(r.input())).hasSize(2).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(FileStatus.FAILED);
            assertThat(r.reason()).contains("engines were lost 1 times");
        });
        assertThat(results).filteredOn(r -> !held.contains(r.input()))
                .allSatisfy(r -> assertThat(r.status()).isEqualTo(FileStatus.CONVERTED));
    }

    @Test
    void anUnreadableInputIsAFailedRowAndIsNeverSent() throws Exception {
        cluster = ThreadPoolEngineCluster.withEngines(1, 1);
        List<Path> sources = new ArrayList<>(Samples.images().subList(0, 3));
        sources.add(1, elsewhere.resolve("vanished.png"));
        BatchPlan plan = SampleImages.plan(sources, output);

        List<FileResult> results = new BalancedStrategy(cluster, PIPELINE).run(plan, ProgressListener.NONE);

        assertThat(results).hasSize(4);
        assertThat(results.get(1).status()).isEqualTo(FileStatus.FAILED);
        assertThat(results.get(1).stage()).isEqualTo(Stage.READ);
        assertThat(results.get(1).reason()).contains("could not be read");
        assertThat(results).filteredOn(r -> r != results.get(1))
                .allSatisfy(r -> assertThat(r.status()).isEqualTo(FileStatus.CONVERTED));
        List<String> received = new ArrayList<>(cluster.received(0));
        received.addAll(cluster.received(1));
        assertThat(received).hasSize(3).doesNotContain("vanished.png");
    }

    @Test
    void aKernelFailureIsAFailedRowAndIsNotRetried() throws Exception {
        cluster = ThreadPoolEngineCluster.withEngines(1, 1);
        Path notAnImage = Files.writeString(elsewhere.resolve("notes.png"), "not a picture",
                StandardCharsets.UTF_8);
        List<Path> sources = new ArrayList<>(Samples.images().subList(0, 2));
        sources.add(notAnImage);
        BatchPlan plan = SampleImages.plan(sources, output);

        List<FileResult> results = new BalancedStrategy(cluster, PIPELINE).run(plan, ProgressListener.NONE);

        FileResult bad = results.get(2);
        assertThat(bad.status()).isEqualTo(FileStatus.FAILED);
        assertThat(bad.stage()).isEqualTo(Stage.DECODE);
        assertThat(bad.trace().attempt()).isEqualTo(1);
        List<String> received = new ArrayList<>(cluster.received(0));
        received.addAll(cluster.received(1));
        assertThat(received).filteredOn("notes.png"::equals).hasSize(1);
        assertThat(Samples.files(output)).doesNotContain("notes.png");
    }

    @Test
    void cancelMidRunReturnsPromptlyAndLeavesNoPartialFile() throws Exception {
        cluster = ThreadPoolEngineCluster.withEngines(1, 1);
        cluster.gate(1).close();
        BatchPlan plan = SampleImages.plan(output);

        BackgroundRun run = BackgroundRun.start(new BalancedStrategy(cluster, PIPELINE), plan);
        await("two images are written", () -> run.events(ProgressEvent.ImageFinished.class).size() >= 2);
        run.cancel();

        assertThat(run.awaitEnd(Duration.ofSeconds(5))).as("run ended within 5 s").isTrue();
        assertThat(run.failure()).isInstanceOf(InterruptedException.class);
        noPartialFiles(output, serial);
        assertThat(Samples.files(output)).hasSizeLessThan(plan.jobs().size());
        assertThat(run.events(ProgressEvent.BatchFinished.class)).singleElement()
                .satisfies(e -> assertThat(e.cancelled()).isTrue());
        await("engine 1's held tasks are cancelled", () -> cluster.inFlight(1) == 0);
    }

    @Test
    void streamsOneStartedAndOneFinishedEventPerImage() throws Exception {
        cluster = ThreadPoolEngineCluster.withEngines(1, 1);
        BatchPlan plan = SampleImages.plan(output);
        List<ProgressEvent> events = new ArrayList<>();

        new BalancedStrategy(cluster, PIPELINE).run(plan, events::add);

        assertThat(events.get(0)).isEqualTo(new ProgressEvent.BatchStarted("balanced", plan.jobs().size(), 0));
        assertThat(events.get(events.size() - 1)).isInstanceOfSatisfying(ProgressEvent.BatchFinished.class,
                e -> assertThat(e.cancelled()).isFalse());
        assertThat(events).filteredOn(ProgressEvent.ImageStarted.class::isInstance).hasSize(plan.jobs().size());
        assertThat(events).filteredOn(ProgressEvent.ImageFinished.class::isInstance)
                .extracting(e -> ((ProgressEvent.ImageFinished) e).job().relativePath())
                .containsExactlyInAnyOrderElementsOf(relativePaths(plan, 0, plan.jobs().size()));
    }
}
