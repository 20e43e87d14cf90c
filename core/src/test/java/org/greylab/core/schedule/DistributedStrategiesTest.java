package org.greylab.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.greylab.core.schedule.StrategyAssertions.everyJobConvertedOnceInOrder;
import static org.greylab.core.schedule.StrategyAssertions.noPartialFiles;
import static org.greylab.core.schedule.StrategyAssertions.outputsEqualSerial;
import static org.greylab.core.schedule.StrategyAssertions.relativePaths;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.greylab.core.image.Stage;
import org.greylab.core.job.BatchPlan;
import org.greylab.core.job.FileResult;
import org.greylab.core.job.FileStatus;
import org.greylab.core.job.ImageJob;
import org.greylab.core.testing.Samples;
import org.greylab.core.testing.TestFiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What direct and balanced do alike (the dispatch loop they share, {@link DistributedRun}), each test run with both.
 * Where they differ (direct's fixed split, balanced's least-load rule, which engine gets a dead engine's images and
 * whether a joining engine gets work) is in {@link DirectStrategyTest} and {@link BalancedStrategyTest}.
 */
class DistributedStrategiesTest extends DistributedStrategyFixture {

    private static final DispatchOptions DEFAULTS = DispatchOptions.defaults();

    static Stream<Arguments> strategiesAndPrefetches() {
        return distributedStrategies().flatMap(strategy -> Stream.of(DispatchOptions.DEFAULT_PREFETCH, 2)
                .map(prefetch -> Arguments.of(strategy, prefetch)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("distributedStrategies")
    void givesTheSameBytesAsSerialOnTheSamplesWithTwoEngines(StrategyUnderTest strategy) throws Exception {
        engines(1, 1);
        BatchPlan plan = SampleImages.plan(output);

        List<FileResult> results = strategy.on(cluster, DEFAULTS).run(plan, ProgressListener.NONE);

        everyJobConvertedOnceInOrder(plan, results);
        outputsEqualSerial(output, serial);
        assertThat(results).extracting(r -> r.trace().engineId()).containsOnly(0, 1);
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

    @ParameterizedTest(name = "{0}, prefetch {1}")
    @MethodSource("strategiesAndPrefetches")
    void neverHoldsMoreThanSlotsPlusPrefetchOnAnEngine(StrategyUnderTest strategy, int prefetch) throws Exception {
        engines(1, 2);
        cluster.gate(0).close();
        cluster.gate(1).close();
        BatchPlan plan = SampleImages.plan(output);
        DispatchOptions options = DEFAULTS.withPrefetch(prefetch);

        BackgroundRun run = BackgroundRun.start(strategy.on(cluster, options), plan);
        eventually("both engines hold slots + prefetch")
                .until(() -> cluster.inFlight(0) >= 1 + prefetch && cluster.inFlight(1) >= 2 + prefetch);
        cluster.gate(0).open();
        cluster.gate(1).open();
        List<FileResult> results = run.results();

        everyJobConvertedOnceInOrder(plan, results);
        assertThat(cluster.maxInFlight(0)).isEqualTo(1 + prefetch);
        assertThat(cluster.maxInFlight(1)).isEqualTo(2 + prefetch);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("distributedStrategies")
    void keepsTheBytesInFlightWithinTheBudget(StrategyUnderTest strategy) throws Exception {
        engines(2, 2);
        BatchPlan plan = SampleImages.plan(output);
        long budget = 600_000;
        long largest = plan.jobs().stream().mapToLong(ImageJob::sizeBytes).max().orElseThrow();
        assertThat(largest).as("a sample bigger than half the budget").isGreaterThan(budget / 2);
        DispatchOptions options = DEFAULTS.withMaxInFlightBytes(budget);

        List<FileResult> results = strategy.on(cluster, options).run(plan, ProgressListener.NONE);

        everyJobConvertedOnceInOrder(plan, results);
        assertThat(cluster.peakInFlightCount()).as("several images did run at once").isGreaterThan(1);
        assertThat(cluster.peakBytesWithSeveralInFlight()).isLessThanOrEqualTo(budget);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("distributedStrategies")
    void runsAnImageLargerThanTheBudgetAlone(StrategyUnderTest strategy) throws Exception {
        engines(1, 1);
        BatchPlan plan = SampleImages.plan(output);
        DispatchOptions options = DEFAULTS.withMaxInFlightBytes(1);

        List<FileResult> results = strategy.on(cluster, options).run(plan, ProgressListener.NONE);

        everyJobConvertedOnceInOrder(plan, results);
        assertThat(cluster.peakInFlightCount()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("distributedStrategies")
    void waitsForAnEngineToJoinWhenNoneIsLeft(StrategyUnderTest strategy) throws Exception {
        engines(1);
        cluster.gate(0).close();
        BatchPlan plan = SampleImages.plan(output);
        DispatchOptions options = DEFAULTS.withNoEngineWait(Duration.ofSeconds(60));

        BackgroundRun run = BackgroundRun.start(strategy.on(cluster, options), plan);
        eventually("engine 0 is full").until(() -> cluster.inFlight(0) == 2);
        cluster.kill(0);
        eventually("the run saw the engine go").until(() -> !run.events(ProgressEvent.EngineGone.class).isEmpty());
        cluster.addEngine(1);
        List<FileResult> results = run.results();

        everyJobConvertedOnceInOrder(plan, results);
        outputsEqualSerial(output, serial);
        assertThat(results).extracting(r -> r.trace().engineId()).containsOnly(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("distributedStrategies")
    void failsTheRemainingImagesWhenNoEngineIsLeft(StrategyUnderTest strategy) throws Exception {
        engines(1);
        cluster.gate(0).close();
        BatchPlan plan = SampleImages.plan(output);
        DispatchOptions options = DEFAULTS.withNoEngineWait(Duration.ZERO);

        BackgroundRun run = BackgroundRun.start(strategy.on(cluster, options), plan);
        eventually("the engine is full").until(() -> cluster.inFlight(0) == 2);
        cluster.kill(0);
        List<FileResult> results = run.results();

        assertThat(results).hasSize(plan.jobs().size()).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(FileStatus.FAILED);
            assertThat(r.stage()).isEqualTo(Stage.CONVERT);
            assertThat(r.reason()).contains("no engine left");
        });
        assertThat(Samples.files(output)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("distributedStrategies")
    void failsAnImageAfterTheLastAllowedAttempt(StrategyUnderTest strategy) throws Exception {
        engines(1, 1);
        cluster.gate(0).close();
        BatchPlan plan = SampleImages.plan(output);
        DispatchOptions options = DEFAULTS.withMaxAttempts(1);

        BackgroundRun run = BackgroundRun.start(strategy.on(cluster, options), plan);
        eventually("engine 0 holds two images").until(() -> cluster.inFlight(0) == 2);
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

    @ParameterizedTest(name = "{0}")
    @MethodSource("distributedStrategies")
    void anImageThatTwoEnginesDiedConvertingFailsAndIsNotSentToAThird(StrategyUnderTest strategy) throws Exception {
        engines(1, 1, 1);
        for (int id = 0; id < 3; id++) {
            cluster.gate(id).close();
        }
        Path poison = Samples.images().get(0);
        BatchPlan plan = SampleImages.plan(List.of(poison), output);
        String name = plan.jobs().get(0).relativePath();

        BackgroundRun run = BackgroundRun.start(strategy.on(cluster, DEFAULTS), plan);
        List<Integer> killed = new ArrayList<>();
        for (int crash = 0; crash < 2; crash++) {
            // whichever engine is converting it now dies, as an engine whose decoder crashes on the file would
            int holder = eventually("an engine converts it").until(() -> holderOf(name, killed), id -> id >= 0);
            cluster.kill(holder);
            killed.add(holder);
        }
        List<FileResult> results = run.results();

        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(FileStatus.FAILED);
            assertThat(r.reason()).isEqualTo("crashed 2 engines; not retried");
        });
        int survivor = 3 - killed.get(0) - killed.get(1);
        assertThat(cluster.received(survivor)).as("the third engine never gets it").doesNotContain(name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("distributedStrategies")
    void anOutputFolderDeletedMidRunStopsDispatchingAndTheRestIsNotDone(StrategyUnderTest strategy) throws Exception {
        engines(1);
        // one image goes through, then the folder goes, then the engine converts the rest
        cluster.gate(0).close();
        cluster.gate(0).allow(1);
        BatchPlan plan = SampleImages.plan(output);
        AtomicBoolean deleted = new AtomicBoolean();

        Throwable thrown = catchThrowable(() -> strategy.on(cluster, DEFAULTS).run(plan, event -> {
            if (event instanceof ProgressEvent.ImageFinished f && !deleted.getAndSet(true)) {
                TestFiles.deleteTree(output);
                cluster.gate(0).open();
            }
        }));

        assertThat(thrown).isInstanceOf(BatchStoppedException.class)
                .hasMessage("the output folder " + output.toAbsolutePath() + " is gone");
        BatchStoppedException stop = (BatchStoppedException) thrown;
        assertThat(stop.done()).isNotEmpty().hasSizeLessThan(plan.jobs().size())
                .allSatisfy(row -> assertThat(row.status()).isEqualTo(FileStatus.CONVERTED));
        assertThat(output).as("nothing is written into a folder made anew").doesNotExist();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("distributedStrategies")
    void anEngineStuckOnATaskIsGivenUpAtTheDeadlineAndTheOthersConvertEverything(StrategyUnderTest strategy)
            throws Exception {
        engines(1, 1);
        // engine 0 answers nothing, as an engine whose decoder loops on a crafted file or that was SIGSTOPped
        cluster.gate(0).close();
        BatchPlan plan = SampleImages.plan(output);
        DispatchOptions options = DEFAULTS.withTaskTimeout(Duration.ofSeconds(1));

        long t0 = System.nanoTime();
        BackgroundRun run = BackgroundRun.start(strategy.on(cluster, options), plan);
        List<FileResult> results = run.results();
        double seconds = (System.nanoTime() - t0) / 1e9;

        everyJobConvertedOnceInOrder(plan, results);
        outputsEqualSerial(output, serial);
        assertThat(results).extracting(r -> r.trace().engineId()).containsOnly(1);
        assertThat(run.events(ProgressEvent.EngineStalled.class)).singleElement()
                .satisfies(e -> assertThat(e.engine().id()).isZero());
        assertThat(results).filteredOn(r -> r.trace().attempt() > 1).isNotEmpty()
                .allSatisfy(r -> assertThat(r.warnings()).anyMatch(w -> w.contains("engine 0 was stalled")));
        assertThat(seconds).as("held by the deadline, not for ever").isLessThan(30);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("distributedStrategies")
    void aLoneEngineThatStalledAndAnswersAgainGetsItsImagesBackAndTheBatchEnds(StrategyUnderTest strategy)
            throws Exception {
        // the only engine misses its deadline (a loaded machine), then answers again: the images it held have no
        // other engine to go to, and must not wait for one for ever
        BatchPlan plan = SampleImages.plan(output);

        BackgroundRun run = stalledOnALoneEngine(strategy, plan, DEFAULTS.withTaskTimeout(Duration.ofSeconds(1)));
        cluster.gate(0).open();
        List<FileResult> results = run.results();

        everyJobConvertedOnceInOrder(plan, results);
        outputsEqualSerial(output, serial);
        assertThat(results).extracting(r -> r.trace().engineId()).containsOnly(0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("distributedStrategies")
    void enginesThatAreAllStalledAreWaitedForNotGivenUpWithTheirImages(StrategyUnderTest strategy) throws Exception {
        // no wait at all for an engine to join: a stalled engine still counted as gone would fail every image at once
        BatchPlan plan = SampleImages.plan(output);

        BackgroundRun run = stalledOnALoneEngine(strategy, plan,
                DEFAULTS.withTaskTimeout(Duration.ofSeconds(1)).withNoEngineWait(Duration.ZERO));
        // a loaded machine: the engine answers well after its deadline
        Thread.sleep(1_500);
        cluster.gate(0).open();
        List<FileResult> results = run.results();

        everyJobConvertedOnceInOrder(plan, results);
        outputsEqualSerial(output, serial);
    }

    /**
     * Starts {@code plan} on one engine that holds every task it gets (its gate closed) and returns once the run has
     * found that engine stalled; the test opens the gate when it wants the engine to answer again.
     */
    private BackgroundRun stalledOnALoneEngine(StrategyUnderTest strategy, BatchPlan plan, DispatchOptions options) {
        engines(1);
        cluster.gate(0).close();
        BackgroundRun run = BackgroundRun.start(strategy.on(cluster, options), plan);
        eventually("the engine is found stalled")
                .until(() -> !run.events(ProgressEvent.EngineStalled.class).isEmpty());
        return run;
    }

    /** The live engine whose oldest task in flight is {@code name}, or -1. */
    private int holderOf(String name, List<Integer> dead) {
        for (int id = 0; id < 3; id++) {
            if (!dead.contains(id) && cluster.isRunningFirst(id, name)) {
                return id;
            }
        }
        return -1;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("distributedStrategies")
    void anUnreadableInputIsAFailedRowAndIsNeverSent(StrategyUnderTest strategy) throws Exception {
        engines(1, 1);
        List<Path> sources = new ArrayList<>(Samples.images().subList(0, 3));
        sources.add(1, elsewhere.resolve("vanished.png"));
        BatchPlan plan = SampleImages.plan(sources, output);

        List<FileResult> results = strategy.on(cluster, DEFAULTS).run(plan, ProgressListener.NONE);

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

    @ParameterizedTest(name = "{0}")
    @MethodSource("distributedStrategies")
    void aKernelFailureIsAFailedRowAndIsNotRetried(StrategyUnderTest strategy) throws Exception {
        engines(1, 1);
        Path notAnImage = TestFiles.write(elsewhere.resolve("notes.png"), "not a picture");
        List<Path> sources = new ArrayList<>(Samples.images().subList(0, 2));
        sources.add(notAnImage);
        BatchPlan plan = SampleImages.plan(sources, output);

        List<FileResult> results = strategy.on(cluster, DEFAULTS).run(plan, ProgressListener.NONE);

        FileResult bad = results.get(2);
        assertThat(bad.status()).isEqualTo(FileStatus.FAILED);
        assertThat(bad.stage()).isEqualTo(Stage.DECODE);
        assertThat(bad.trace().attempt()).isEqualTo(1);
        List<String> received = new ArrayList<>(cluster.received(0));
        received.addAll(cluster.received(1));
        assertThat(received).filteredOn("notes.png"::equals).hasSize(1);
        assertThat(Samples.files(output)).doesNotContain("notes.png");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("distributedStrategies")
    void cancelMidRunReturnsPromptlyAndLeavesNoPartialFile(StrategyUnderTest strategy) throws Exception {
        engines(1, 1);
        cluster.gate(1).close();
        BatchPlan plan = SampleImages.plan(output);

        BackgroundRun run = BackgroundRun.start(strategy.on(cluster, DEFAULTS), plan);
        eventually("two images are written").until(() -> run.events(ProgressEvent.ImageFinished.class).size() >= 2);
        run.cancel();

        assertThat(run.awaitEnd(Duration.ofSeconds(5))).as("run ended within 5 s").isTrue();
        assertThat(run.failure()).isInstanceOf(InterruptedException.class);
        noPartialFiles(output, serial);
        assertThat(Samples.files(output)).hasSizeLessThan(plan.jobs().size());
        assertThat(run.events(ProgressEvent.BatchFinished.class)).singleElement()
                .satisfies(e -> assertThat(e.cancelled()).isTrue());
        eventually("engine 1's held tasks are cancelled").until(() -> cluster.inFlight(1) == 0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("distributedStrategies")
    void streamsOneStartedAndOneFinishedEventPerImage(StrategyUnderTest strategy) throws Exception {
        engines(1, 1);
        BatchPlan plan = SampleImages.plan(output);
        List<ProgressEvent> events = new ArrayList<>();

        strategy.on(cluster, DEFAULTS).run(plan, events::add);

        assertThat(events.get(0)).isEqualTo(new ProgressEvent.BatchStarted(strategy.mode(), plan.jobs().size(), 0));
        assertThat(events.get(events.size() - 1)).isInstanceOfSatisfying(ProgressEvent.BatchFinished.class,
                e -> assertThat(e.cancelled()).isFalse());
        assertThat(events).filteredOn(ProgressEvent.ImageStarted.class::isInstance).hasSize(plan.jobs().size());
        assertThat(events).filteredOn(ProgressEvent.ImageFinished.class::isInstance)
                .extracting(e -> ((ProgressEvent.ImageFinished) e).job().relativePath())
                .containsExactlyInAnyOrderElementsOf(relativePaths(plan, 0, plan.jobs().size()));
    }
}
