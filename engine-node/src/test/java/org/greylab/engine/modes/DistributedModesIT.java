package org.greylab.engine.modes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.greylab.core.image.ConversionSettings;
import org.greylab.core.image.GreyscaleKernel;
import org.greylab.core.job.BatchPlan;
import org.greylab.core.job.BatchPlanner;
import org.greylab.core.job.FileResult;
import org.greylab.core.job.FileStatus;
import org.greylab.core.job.ImagePipeline;
import org.greylab.core.job.OverwritePolicy;
import org.greylab.core.schedule.ProgressEvent;
import org.greylab.core.schedule.ProgressListener;
import org.greylab.core.schedule.BalancedStrategy;
import org.greylab.core.schedule.DispatchOptions;
import org.greylab.core.schedule.Mode;
import org.greylab.core.schedule.SerialStrategy;
import org.greylab.core.schedule.Strategy;
import org.greylab.core.schedule.TaskGrouping;
import org.greylab.core.stats.OutputComparison;
import org.greylab.core.testing.Samples;
import org.greylab.core.testing.Thumbnails;
import org.greylab.engine.client.EngineProcess;
import org.greylab.engine.client.HazelcastEngineCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three modes end to end: real engine processes on loopback (started as {@code --engines N} starts them), real
 * photos, real files. Serial is the reference every distributed run must equal.
 */
class DistributedModesIT {

    private static final ConversionSettings SETTINGS = ConversionSettings.defaults();

    @TempDir
    Path temp;

    private HazelcastEngineCluster cluster;

    @AfterEach
    void stopEngines() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void serialDirectAndBalancedWriteIdenticalOutputsOnTheSamples() throws Exception {
        cluster = HazelcastEngineCluster.startLocal(2, 1);

        assertAllModesAgree(Samples.folder());
    }

    @Test
    void serialDirectAndBalancedWriteIdenticalOutputsOnTheCorpus() throws Exception {
        Path corpus = Samples.corpusOrSkip();
        cluster = HazelcastEngineCluster.startLocal(2, 1);

        assertAllModesAgree(corpus);
    }

    @Test
    void directRunSurvivesAnEngineKilledMidBatch() throws Exception {
        assertKilledEngineCostsNoImage(Mode.DIRECT);
    }

    @Test
    void balancedRunSurvivesAnEngineKilledMidBatch() throws Exception {
        assertKilledEngineCostsNoImage(Mode.BALANCED);
    }

    @Test
    void engineStartedMidBatchTakesWorkInBalancedMode() throws Exception {
        cluster = HazelcastEngineCluster.startLocal(1, 1);
        BatchPlan plan = plan(Samples.folder(), temp.resolve(Mode.BALANCED.word()));
        AtomicInteger finished = new AtomicInteger();
        ProgressListener addEngineAfterFirstImage = event -> {
            if (event instanceof ProgressEvent.ImageFinished && finished.incrementAndGet() == 1) {
                // hold dispatch (this runs on the dispatching thread) until the new engine is a member, so the
                // test does not race the engine's start-up against the rest of the batch
                cluster.localEngines().orElseThrow().addEngine();
                await().atMost(Duration.ofSeconds(60)).until(() -> cluster.engines().size() == 2);
            }
        };

        List<FileResult> results = new BalancedStrategy(cluster, pipeline()).run(plan, addEngineAfterFirstImage);

        assertThat(results).hasSize(plan.jobs().size()).allMatch(r -> r.status() == FileStatus.CONVERTED);
        assertThat(results).extracting(r -> r.trace().engineId()).contains(0, 1);
        assertThat(OutputComparison.compare(serialOutputs(Samples.folder()), plan.outputRoot()).identical()).isTrue();
    }

    @Test
    void cancelMidRunLeavesNoPartialFileAndNoEngineProcess() throws Exception {
        cluster = HazelcastEngineCluster.startLocal(2, 1);
        List<Long> pids = cluster.localEngines().orElseThrow().processes().stream().map(EngineProcess::pid).toList();
        BatchPlan plan = plan(Samples.folder(), temp.resolve("cancelled"));
        AtomicInteger finished = new AtomicInteger();
        Thread runner = Thread.currentThread();
        ProgressListener cancelAfterTwo = event -> {
            if (event instanceof ProgressEvent.ImageFinished && finished.incrementAndGet() == 2) {
                runner.interrupt();
            }
        };
        boolean interrupted = false;
        try {
            new BalancedStrategy(cluster, pipeline()).run(plan, cancelAfterTwo);
        } catch (InterruptedException expected) {
            interrupted = true;
        }
        Thread.interrupted();
        cluster.close();

        assertThat(interrupted).as("the run reports the cancel").isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> pids.stream()
                .noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
        List<Path> left = files(plan.outputRoot());
        assertThat(left).noneMatch(p -> p.getFileName().toString().endsWith(".part"));
        assertThat(left).hasSizeLessThan(plan.jobs().size());
        for (Path output : left) {
            assertThat(ImageIO.read(output.toFile())).as("%s decodes whole", output).isNotNull();
        }
    }

    @Test
    void aStoppedEngineIsGivenUpAtItsDeadlineNotTheHeartbeatAndAnswersAgainOnceContinued() throws Exception {
        cluster = HazelcastEngineCluster.startLocal(2, 1);
        EngineProcess victim = cluster.localEngines().orElseThrow().processes().get(1);
        // the samples forty times over: engine 0 alone must still have work when engine 1 is given up (2 s after
        // its stop) and when its ping answers after SIGCONT, also on a machine several times faster than this one
        // (with ten copies engine 0 once finished them all before engine 1 was back, CI, JDK 17). Stopping engine 0
        // meanwhile instead was tried: engine 1's way back can outlast engine 0's own deadline, and an image that
        // both engines then held is failed as a likely crasher
        Path input = temp.resolve("stopped-in");
        for (int copy = 0; copy < 40; copy++) {
            org.greylab.core.testing.TestFiles.copyInto(input.resolve("c" + copy), Samples.images());
        }
        BatchPlan plan = plan(input, temp.resolve("stopped"));
        AtomicInteger finished = new AtomicInteger();
        AtomicLong stoppedAt = new AtomicLong();
        AtomicLong givenUpAt = new AtomicLong();
        AtomicLong backAt = new AtomicLong();
        ProgressListener stopAfterTwo = event -> {
            if (event instanceof ProgressEvent.ImageFinished && finished.incrementAndGet() == 2) {
                signal("STOP", victim.pid());
                stoppedAt.set(System.nanoTime());
            } else if (event instanceof ProgressEvent.EngineStalled stalled && stalled.engine().id() == 1) {
                givenUpAt.set(System.nanoTime());
                signal("CONT", victim.pid());
            } else if (event instanceof ProgressEvent.EngineJoined back && back.engine().id() == 1
                    && givenUpAt.get() != 0) {
                backAt.set(System.nanoTime());
            }
        };
        Strategy strategy = Mode.BALANCED.strategy(cluster, pipeline(),
                DispatchOptions.defaults().withTaskTimeout(Duration.ofSeconds(2)));

        List<FileResult> results = strategy.run(plan, stopAfterTwo);

        assertThat(results).hasSize(plan.jobs().size()).allMatch(r -> r.status() == FileStatus.CONVERTED);
        assertThat(givenUpAt.get()).as("engine 1 was given up as stalled").isNotZero();
        assertThat((givenUpAt.get() - stoppedAt.get()) / 1e9).as("seconds from SIGSTOP to giving it up")
                .isLessThan(10);
        OutputComparison.Result comparison =
                OutputComparison.compare(serialOutputs(input), plan.outputRoot());
        assertThat(comparison.differences()).isEmpty();
        assertThat(comparison.identicalBytes()).isTrue();
        assertThat(victim.isAlive()).as("a stalled engine is left alone, not killed").isTrue();
        assertThat(backAt.get()).as("continued, it answered its ping and took work again").isNotZero();
    }

    @Test
    void serialDirectAndBalancedWriteIdenticalOutputsOnThumbnailsSentInGroups() throws Exception {
        Path thumbs = temp.resolve("thumbs");
        Thumbnails.write(thumbs, 300);
        cluster = HazelcastEngineCluster.startLocal(2, 1);

        assertAllModesAgree(thumbs);
        for (Mode mode : List.of(Mode.DIRECT, Mode.BALANCED)) {
            BatchPlan plan = plan(thumbs, temp.resolve(mode.word() + "-traced"));
            List<FileResult> results = mode.strategy(cluster, pipeline(), DispatchOptions.defaults())
                    .run(plan, ProgressListener.NONE);
            assertThat(results).as("%s sent thumbnails in groups", mode)
                    .anyMatch(r -> r.trace().taskImages() > 1);
        }
    }

    @Test
    void aCorruptThumbnailInAGroupIsTheOneFailedRowOnRealEngines() throws Exception {
        Path thumbs = temp.resolve("thumbs");
        List<Path> written = Thumbnails.write(thumbs, 40);
        // cut after its header: still a JPEG by its first bytes, not decodable
        Files.write(written.get(7), java.util.Arrays.copyOf(Files.readAllBytes(written.get(7)), 200));
        cluster = HazelcastEngineCluster.startLocal(2, 1);
        BatchPlan plan = plan(thumbs, temp.resolve("corrupt"));

        List<FileResult> results = Mode.BALANCED.strategy(cluster, pipeline(),
                DispatchOptions.defaults().withGrouping(TaskGrouping.fixed(10))).run(plan, ProgressListener.NONE);

        assertThat(results).filteredOn(r -> r.status() == FileStatus.FAILED).singleElement().satisfies(r -> {
            assertThat(r.input()).endsWith("thumb-0007.jpg");
            assertThat(r.stage()).isEqualTo(org.greylab.core.image.Stage.DECODE);
            assertThat(r.trace().taskImages()).isGreaterThan(1);
        });
        assertThat(results).filteredOn(r -> r.status() == FileStatus.CONVERTED).hasSize(39);
    }

    @Test
    void directLosesNoImageWhenAnEngineIsKilledWithGroupsInFlight() throws Exception {
        assertKilledEngineWithGroupsCostsNoImage(Mode.DIRECT);
    }

    @Test
    void balancedLosesNoImageWhenAnEngineIsKilledWithGroupsInFlight() throws Exception {
        assertKilledEngineWithGroupsCostsNoImage(Mode.BALANCED);
    }

    private void assertKilledEngineWithGroupsCostsNoImage(Mode mode) throws Exception {
        Path thumbs = temp.resolve("thumbs");
        Thumbnails.write(thumbs, 400);
        cluster = HazelcastEngineCluster.startLocal(2, 1);
        EngineProcess victim = cluster.localEngines().orElseThrow().processes().get(1);
        BatchPlan plan = plan(thumbs, temp.resolve(mode.word()));
        AtomicInteger groupsDone = new AtomicInteger();
        // killed once it has answered a group, so that it holds the next ones
        ProgressListener killAfterAGroup = event -> {
            if (event instanceof ProgressEvent.ImageFinished f && f.result().trace().engineId() == 1
                    && f.result().trace().taskImages() > 1 && groupsDone.incrementAndGet() == 1) {
                victim.kill();
            }
        };

        List<FileResult> results = mode.strategy(cluster, pipeline(),
                DispatchOptions.defaults().withGrouping(TaskGrouping.fixed(16))).run(plan, killAfterAGroup);

        assertThat(groupsDone.get()).as("the engine was killed after a group").isPositive();
        assertThat(results).hasSize(plan.jobs().size()).allMatch(r -> r.status() == FileStatus.CONVERTED);
        assertThat(results).filteredOn(r -> String.join(" ", r.warnings()).startsWith("re-run"))
                .allMatch(r -> r.trace().taskImages() == 1);
        OutputComparison.Result comparison = OutputComparison.compare(serialOutputs(thumbs), plan.outputRoot());
        assertThat(comparison.differences()).as(mode.word()).isEmpty();
        assertThat(comparison.identicalBytes()).isTrue();
        assertThat(files(plan.outputRoot())).hasSize(plan.jobs().size());
    }

    @Test
    void cancelWhileGroupsAreInFlightLeavesNoPartialFile() throws Exception {
        Path thumbs = temp.resolve("thumbs");
        Thumbnails.write(thumbs, 300);
        cluster = HazelcastEngineCluster.startLocal(2, 1);
        BatchPlan plan = plan(thumbs, temp.resolve("cancelled"));
        AtomicInteger finished = new AtomicInteger();
        Thread runner = Thread.currentThread();
        ProgressListener cancelAfterAGroup = event -> {
            if (event instanceof ProgressEvent.ImageFinished && finished.incrementAndGet() == 20) {
                runner.interrupt();
            }
        };
        boolean interrupted = false;
        try {
            Mode.BALANCED.strategy(cluster, pipeline(), DispatchOptions.defaults()
                    .withGrouping(TaskGrouping.fixed(16))).run(plan, cancelAfterAGroup);
        } catch (InterruptedException expected) {
            interrupted = true;
        }
        Thread.interrupted();

        assertThat(interrupted).as("the run reports the cancel").isTrue();
        List<Path> left = files(plan.outputRoot());
        assertThat(left).hasSizeLessThan(plan.jobs().size());
        Path serial = serialOutputs(thumbs);
        for (Path output : left) {
            assertThat(output.getFileName().toString()).as("no temporary file left").doesNotStartWith(".");
            assertThat(Files.readAllBytes(output)).as("%s is whole", output)
                    .isEqualTo(Files.readAllBytes(serial.resolve(plan.outputRoot().relativize(output))));
        }
    }

    private static void signal(String name, long pid) {
        try {
            new ProcessBuilder("kill", "-" + name, Long.toString(pid)).start().waitFor();
        } catch (Exception e) {
            throw new IllegalStateException("kill -" + name + " " + pid + " failed", e);
        }
    }

    private void assertKilledEngineCostsNoImage(Mode mode) throws Exception {
        cluster = HazelcastEngineCluster.startLocal(2, 1);
        EngineProcess victim = cluster.localEngines().orElseThrow().processes().get(1);
        BatchPlan plan = plan(Samples.folder(), temp.resolve(mode.word()));
        AtomicInteger finished = new AtomicInteger();
        List<ProgressEvent.ImageRequeued> requeued = new CopyOnWriteArrayList<>();
        ProgressListener killAfterThree = event -> {
            if (event instanceof ProgressEvent.ImageFinished && finished.incrementAndGet() == 3) {
                victim.kill();
            } else if (event instanceof ProgressEvent.ImageRequeued again) {
                requeued.add(again);
            }
        };
        Strategy strategy = mode.strategy(cluster, pipeline(), DispatchOptions.defaults());

        List<FileResult> results = strategy.run(plan, killAfterThree);

        assertThat(results).hasSize(plan.jobs().size()).allMatch(r -> r.status() == FileStatus.CONVERTED);
        assertThat(results).extracting(FileResult::output).doesNotHaveDuplicates();
        assertThat(requeued).as("the failover is reported").isNotEmpty()
                .allMatch(r -> r.fromEngineId() == 1);
        assertThat(results).filteredOn(r -> !r.warnings().isEmpty())
                .as("the rows say where they were re-run").isNotEmpty()
                .allSatisfy(r -> assertThat(String.join(" ", r.warnings())).contains("engine 1 was lost"));
        OutputComparison.Result comparison =
                OutputComparison.compare(serialOutputs(Samples.folder()), plan.outputRoot());
        assertThat(comparison.differences()).isEmpty();
        assertThat(comparison.identicalBytes()).isTrue();
        assertThat(files(plan.outputRoot())).hasSize(plan.jobs().size());
    }

    private void assertAllModesAgree(Path input) throws Exception {
        Path serial = serialOutputs(input);
        for (Mode mode : List.of(Mode.DIRECT, Mode.BALANCED)) {
            BatchPlan plan = plan(input, temp.resolve(mode.word()));
            Strategy strategy = mode.strategy(cluster, pipeline(), DispatchOptions.defaults());

            List<FileResult> results = strategy.run(plan, ProgressListener.NONE);

            assertThat(results).hasSize(plan.jobs().size()).allMatch(r -> r.status() == FileStatus.CONVERTED);
            assertThat(results).extracting(r -> r.trace().engineId()).as("%s used both engines", mode)
                    .contains(0, 1);
            OutputComparison.Result comparison = OutputComparison.compare(serial, plan.outputRoot());
            assertThat(comparison.differences()).as(mode.word()).isEmpty();
            assertThat(comparison.identicalNames()).isTrue();
            assertThat(comparison.identicalBytes()).as("same build, same runtime: same bytes").isTrue();
        }
    }

    private Path serialOutputs(Path input) throws Exception {
        Path folder = temp.resolve(Mode.SERIAL.word());
        if (!Files.isDirectory(folder)) {
            BatchPlan plan = plan(input, folder);
            List<FileResult> results = new SerialStrategy(pipeline()).run(plan, ProgressListener.NONE);
            assertThat(results).allMatch(r -> r.status() == FileStatus.CONVERTED);
        }
        return folder;
    }

    private static BatchPlan plan(Path input, Path output) throws Exception {
        BatchPlan plan = new BatchPlanner().plan(List.of(input), output, SETTINGS, OverwritePolicy.OVERWRITE, true);
        BatchPlanner.prepareOutputFolder(plan);
        return plan;
    }

    private static ImagePipeline pipeline() {
        return new ImagePipeline(new GreyscaleKernel());
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }
}
