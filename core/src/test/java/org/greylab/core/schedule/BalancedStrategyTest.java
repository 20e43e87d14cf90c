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
import org.greylab.core.job.ImageJob;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.greylab.core.schedule.ProgressEvent;
import org.junit.jupiter.api.Test;

/**
 * What only balanced does: the least-load rule, a dead engine's images going to the others (never back to it), and
 * work at once for an engine that joins. What it shares with direct is in {@link DistributedStrategiesTest}.
 */
class BalancedStrategyTest extends DistributedStrategyFixture {

    @Test
    void givesTheIdleEngineTheNextImage() throws Exception {
        engines(1, 1);
        cluster.gate(0).close();
        BatchPlan plan = SampleImages.plan(output);
        int n = plan.jobs().size();

        // image by image (no groups), as ipyparallel's scheduler: the rule itself
        BackgroundRun run = BackgroundRun.start(new BalancedStrategy(cluster, PIPELINE,
                DispatchOptions.defaults().withGrouping(TaskGrouping.OFF)), plan);
        // engine 0 is stuck on its first two images: every other image must go to engine 1 as it frees up
        eventually("engine 1 did all the rest").until(() -> cluster.finished(1) == n - 2);
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
    void anImageQueuedBehindTwoCrashesIsNotBlamedButTheOneConvertingDuringBothIs() throws Exception {
        engines(1, 1);
        cluster.gate(0).close();
        cluster.gate(1).close();
        BatchPlan plan = SampleImages.plan(output);

        BackgroundRun run = BackgroundRun.start(new BalancedStrategy(cluster, PIPELINE), plan);
        eventually("engine 0 holds a running and a queued image").until(() -> cluster.inFlight(0) == 2);
        String running = cluster.received(0).get(0);
        String queued = cluster.received(0).get(1);
        cluster.kill(0);
        // a new engine takes the dead one's images first, in their order: the same one runs, the same one waits
        int newcomer = cluster.addEngine(1, true);
        eventually("the newcomer holds both").until(() -> cluster.inFlight(newcomer) == 2);
        assertThat(cluster.received(newcomer)).containsExactly(running, queued);
        cluster.kill(newcomer);
        cluster.gate(1).open();
        List<FileResult> results = run.results();

        assertThat(results).filteredOn(r -> r.input().equals(running)).singleElement().satisfies(r ->
                assertThat(r.reason()).isEqualTo("crashed 2 engines; not retried"));
        assertThat(results).filteredOn(r -> !r.input().equals(running))
                .allSatisfy(r -> assertThat(r.status()).isEqualTo(FileStatus.CONVERTED));
    }

    @Test
    void requeuesADeadEnginesImagesToTheOthers() throws Exception {
        engines(1, 1);
        cluster.gate(1).close();
        cluster.gate(1).allow(2);
        BatchPlan plan = SampleImages.plan(output);

        BackgroundRun run = BackgroundRun.start(new BalancedStrategy(cluster, PIPELINE), plan);
        eventually("engine 1 is busy mid-run").until(() -> cluster.finished(1) == 2 && cluster.inFlight(1) == 2);
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
        engines(1, 1, 1);
        cluster.gate(1).close();
        BatchPlan plan = SampleImages.plan(output);

        BackgroundRun run = BackgroundRun.start(new BalancedStrategy(cluster, PIPELINE), plan);
        eventually("engine 1 holds two images").until(() -> cluster.inFlight(1) == 2);
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
        engines(1);
        cluster.gate(0).close();
        BatchPlan plan = SampleImages.plan(output);
        int n = plan.jobs().size();

        BackgroundRun run = BackgroundRun.start(new BalancedStrategy(cluster, PIPELINE), plan);
        eventually("engine 0 is full").until(() -> cluster.inFlight(0) == 2);
        int joined = cluster.addEngine(1);
        // engine 0 is still stuck, so only the new engine can move the batch on
        eventually("the new engine did the rest").until(() -> cluster.finished(joined) == n - 2);
        cluster.gate(0).open();
        List<FileResult> results = run.results();

        everyJobConvertedOnceInOrder(plan, results);
        assertThat(cluster.received(joined)).containsExactlyElementsOf(relativePaths(plan, 2, n));
        assertThat(run.events(ProgressEvent.EngineJoined.class)).extracting(e -> e.engine().id())
                .containsExactly(joined);
    }
}
