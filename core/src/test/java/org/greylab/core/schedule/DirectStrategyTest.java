package org.greylab.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.greylab.core.schedule.SampleImages.PIPELINE;
import static org.greylab.core.schedule.StrategyAssertions.everyJobConvertedOnceInOrder;
import static org.greylab.core.schedule.StrategyAssertions.noPartialFiles;
import static org.greylab.core.schedule.StrategyAssertions.outputsEqualSerial;
import static org.greylab.core.schedule.StrategyAssertions.relativePaths;
import static org.greylab.core.schedule.ThreadPoolEngineCluster.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.greylab.core.image.Stage;
import org.greylab.core.job.BatchPlan;
import org.greylab.core.job.FileResult;
import org.greylab.core.job.FileStatus;
import org.greylab.core.progress.ProgressEvent;
import org.greylab.core.progress.ProgressListener;
import org.greylab.core.schedule.DirectSplit.Block;
import org.greylab.core.testing.Samples;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectStrategyTest {

    @TempDir
    static Path serialFolder;
    static Map<String, byte[]> serial;

    @TempDir
    Path output;
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

        List<FileResult> results = new DirectStrategy(cluster, PIPELINE).run(plan, ProgressListener.NONE);

        everyJobConvertedOnceInOrder(plan, results);
        outputsEqualSerial(output, serial);
        assertThat(results).extracting(r -> r.trace().engineId()).containsOnly(0, 1);
    }

    @Test
    void sendsEachEngineOnlyTheImagesOfItsOwnBlock() throws Exception {
        cluster = ThreadPoolEngineCluster.withEngines(1, 1, 1);
        BatchPlan plan = SampleImages.plan(output);

        List<FileResult> results = new DirectStrategy(cluster, PIPELINE).run(plan, ProgressListener.NONE);

        everyJobConvertedOnceInOrder(plan, results);
        for (Block b : DirectSplit.blocks(plan.jobs().size(), List.of(0, 1, 2))) {
            assertThat(cluster.received(b.engineId())).as("engine " + b.engineId())
                    .containsExactlyElementsOf(relativePaths(plan, b.from(), b.to()));
            assertThat(results.subList(b.from(), b.to())).extracting(r -> r.trace().engineId())
                    .containsOnly(b.engineId());
        }
    }

    @Test
    void neverHoldsMoreThanSlotsPlusPrefetchOnAnEngine() throws Exception {
        cluster = ThreadPoolEngineCluster.withEngines(1, 2);
        cluster.gate(0).close();
        cluster.gate(1).close();
        BatchPlan plan = SampleImages.plan(output);

        BackgroundRun run = BackgroundRun.start(new DirectStrategy(cluster, PIPELINE), plan);
        await("both engines hold slots + prefetch", () -> cluster.inFlight(0) >= 2 && cluster.inFlight(1) >= 3);
        cluster.gate(0).open();
        cluster.gate(1).open();
        List<FileResult> results = run.results();

        everyJobConvertedOnceInOrder(plan, results);
        assertThat(cluster.maxInFlight(0)).isEqualTo(1 + 1);
        assertThat(cluster.maxInFlight(1)).isEqualTo(2 + 1);
    }

    @Test
    void splitsADeadEnginesUnfinishedBlockOverTheSurvivors() throws Exception {
        cluster = ThreadPoolEngineCluster.withEngines(1, 1, 1);
        cluster.gate(1).close();
        cluster.gate(1).allow(1);
        BatchPlan plan = SampleImages.plan(output);
        Block block1 = DirectSplit.blocks(plan.jobs().size(), List.of(0, 1, 2)).get(1);
        int b = block1.from();

        BackgroundRun run = BackgroundRun.start(new DirectStrategy(cluster, PIPELINE), plan);
        // engine 1 converted the first image of its block and holds the next two (1 slot + 1 prefetch)
        await("engine 1 is mid-block", () -> cluster.finished(1) == 1 && cluster.inFlight(1) == 2);
        cluster.kill(1);
        List<FileResult> results = run.results();

        everyJobConvertedOnceInOrder(plan, results);
        outputsEqualSerial(output, serial);
        assertThat(block1.size()).isEqualTo(5);
        // the two in flight on engine 1 are re-run on engine 0, the two it never got move to engine 2
        for (int i = b + 1; i <= b + 2; i++) {
            assertThat(results.get(i).trace().engineId()).isEqualTo(0);
            assertThat(results.get(i).trace().attempt()).isEqualTo(2);
            assertThat(results.get(i).warnings()).contains("re-run on engine 0 after engine 1 was lost");
        }
        for (int i = b + 3; i <= b + 4; i++) {
            assertThat(results.get(i).trace().engineId()).isEqualTo(2);
            assertThat(results.get(i).trace().attempt()).isEqualTo(1);
            assertThat(results.get(i).warnings()).contains("moved to engine 2 after engine 1 was lost");
        }
        assertThat(results.get(b).trace().engineId()).isEqualTo(1);
        assertThat(run.events(ProgressEvent.ImageRequeued.class)).hasSize(4)
                .allSatisfy(e -> assertThat(e.fromEngineId()).isEqualTo(1));
        assertThat(run.events(ProgressEvent.EngineGone.class)).extracting(e -> e.engine().id()).containsExactly(1);
    }

    @Test
    void givesAnEngineThatJoinsMidBatchNothingSinceTheSplitIsFixedUpFront() throws Exception {
        cluster = ThreadPoolEngineCluster.withEngines(1, 1);
        cluster.gate(0).close();
        BatchPlan plan = SampleImages.plan(output);

        BackgroundRun run = BackgroundRun.start(new DirectStrategy(cluster, PIPELINE), plan);
        await("engine 0 is full", () -> cluster.inFlight(0) == 2);
        int joined = cluster.addEngine(1);
        await("engine 1 finished its block", () -> cluster.finished(1) == plan.jobs().size() / 2);
        cluster.gate(0).open();
        List<FileResult> results = run.results();

        everyJobConvertedOnceInOrder(plan, results);
        assertThat(cluster.received(joined)).isEmpty();
        assertThat(run.events(ProgressEvent.EngineJoined.class)).extracting(e -> e.engine().id())
                .containsExactly(joined);
    }

    @Test
    void failsTheRemainingImagesWhenNoEngineIsLeft() throws Exception {
        cluster = ThreadPoolEngineCluster.withEngines(1);
        cluster.gate(0).close();
        BatchPlan plan = SampleImages.plan(output);
        DispatchOptions options = DispatchOptions.defaults().withNoEngineWait(Duration.ZERO);

        BackgroundRun run = BackgroundRun.start(new DirectStrategy(cluster, PIPELINE, options), plan);
        await("the engine is full", () -> cluster.inFlight(0) == 2);
        cluster.kill(0);
        List<FileResult> results = run.results();

        assertThat(results).hasSize(plan.jobs().size()).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(FileStatus.FAILED);
            assertThat(r.stage()).isEqualTo(Stage.CONVERT);
            assertThat(r.reason()).contains("no engine left");
        });
        assertThat(Samples.files(output)).isEmpty();
    }

    @Test
    void cancelMidRunReturnsPromptlyAndLeavesNoPartialFile() throws Exception {
        cluster = ThreadPoolEngineCluster.withEngines(1, 1);
        cluster.gate(1).close();
        BatchPlan plan = SampleImages.plan(output);

        BackgroundRun run = BackgroundRun.start(new DirectStrategy(cluster, PIPELINE), plan);
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
}
