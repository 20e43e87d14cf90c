package org.greylab.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.greylab.core.schedule.SampleImages.PIPELINE;
import static org.greylab.core.schedule.StrategyAssertions.everyJobConvertedOnceInOrder;
import static org.greylab.core.schedule.StrategyAssertions.outputsEqualSerial;
import static org.greylab.core.schedule.StrategyAssertions.relativePaths;

import java.util.List;
import org.greylab.core.job.BatchPlan;
import org.greylab.core.job.FileResult;
import org.greylab.core.job.FileStatus;
import org.greylab.core.schedule.ProgressEvent;
import org.greylab.core.schedule.ProgressListener;
import org.greylab.core.schedule.DirectSplit.Block;
import org.junit.jupiter.api.Test;

/**
 * What only direct does: DirectView's fixed split, a dead engine's unfinished block split over the survivors, and
 * nothing for an engine that joins. What it shares with balanced is in {@link DistributedStrategiesTest}.
 */
class DirectStrategyTest extends DistributedStrategyFixture {

    @Test
    void sendsEachEngineOnlyTheImagesOfItsOwnBlock() throws Exception {
        engines(1, 1, 1);
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
    void splitsADeadEnginesUnfinishedBlockOverTheSurvivors() throws Exception {
        engines(1, 1, 1);
        cluster.gate(1).close();
        cluster.gate(1).allow(1);
        BatchPlan plan = SampleImages.plan(output);
        Block block1 = DirectSplit.blocks(plan.jobs().size(), List.of(0, 1, 2)).get(1);
        int b = block1.from();

        BackgroundRun run = BackgroundRun.start(new DirectStrategy(cluster, PIPELINE), plan);
        // engine 1 converted the first image of its block and holds the next two (1 slot + 1 prefetch)
        eventually("engine 1 is mid-block").until(() -> cluster.finished(1) == 1 && cluster.inFlight(1) == 2);
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
        engines(1, 1);
        cluster.gate(0).close();
        BatchPlan plan = SampleImages.plan(output);

        BackgroundRun run = BackgroundRun.start(new DirectStrategy(cluster, PIPELINE), plan);
        eventually("engine 0 is full").until(() -> cluster.inFlight(0) == 2);
        int joined = cluster.addEngine(1);
        eventually("engine 1 finished its block").until(() -> cluster.finished(1) == plan.jobs().size() / 2);
        cluster.gate(0).open();
        List<FileResult> results = run.results();

        everyJobConvertedOnceInOrder(plan, results);
        assertThat(cluster.received(joined)).isEmpty();
        assertThat(run.events(ProgressEvent.EngineJoined.class)).extracting(e -> e.engine().id())
                .containsExactly(joined);
    }
}
