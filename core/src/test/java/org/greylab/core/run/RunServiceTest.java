package org.greylab.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.greylab.core.image.ConversionSettings;
import org.greylab.core.image.GreyscaleKernel;
import org.greylab.core.job.BatchPlan;
import org.greylab.core.job.BatchPlanner;
import org.greylab.core.job.FileResult;
import org.greylab.core.job.OverwritePolicy;
import org.greylab.core.testing.Samples;
import org.greylab.core.testing.TestFiles;
import org.greylab.core.schedule.DispatchOptions;
import org.greylab.core.schedule.Mode;
import org.greylab.core.schedule.ProgressEvent;
import org.greylab.core.schedule.ThreadPoolEngineCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run service on real files and a real in-process cluster of thread-pool engines (no JavaFX, no Hazelcast). */
class RunServiceTest {

    private static final List<String> PHOTOS = List.of("chelsea.png", "coffee.png", "rocket.jpg", "camera.png",
            "china.jpg", "hubble_deep_field.jpg");

    @TempDir
    Path tmp;

    private Path input;
    private Path scratch;
    private ThreadPoolEngineCluster cluster;
    private final List<RunEvent> events = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void setUp() throws IOException {
        input = tmp.resolve("photos");
        for (String name : PHOTOS) {
            TestFiles.copySample(name, input.resolve(name));
        }
        scratch = Files.createDirectories(tmp.resolve("scratch"));
        cluster = ThreadPoolEngineCluster.withEngines(1, 1);
    }

    @AfterEach
    void tearDown() {
        cluster.close();
        Thread.interrupted();
    }

    private BatchPlan plan(Path output, OverwritePolicy policy) throws Exception {
        return new BatchPlanner().plan(List.of(input), output, ConversionSettings.defaults(), policy, true);
    }

    private RunService service() {
        return new RunService(new GreyscaleKernel(), EngineSource.of(cluster), DispatchOptions.defaults(), scratch);
    }

    private <E extends RunEvent> List<E> events(Class<E> type) {
        synchronized (events) {
            return events.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    @Test
    void oneModeWritesThePlansFolderAndReportsItsEventsInOrder() throws Exception {
        BatchPlan plan = plan(tmp.resolve("out"), OverwritePolicy.SKIP);

        RunOutcome outcome = service().run(RunRequest.of(plan, Mode.BALANCED), events::add);

        assertThat(outcome.cancelled()).isFalse();
        assertThat(outcome.results()).singleElement().satisfies(r -> {
            assertThat(r.mode()).isEqualTo(Mode.BALANCED);
            assertThat(r.converted()).isEqualTo(PHOTOS.size());
            assertThat(r.engineCount()).isEqualTo(2);
            assertThat(r.slots()).isEqualTo(2);
            assertThat(r.speedup()).as("no serial run of this plan was measured").isNull();
        });
        assertThat(Samples.files(tmp.resolve("out"))).hasSize(PHOTOS.size());
        assertThat(events.get(0)).isInstanceOf(RunEvent.RunStarted.class);
        assertThat(events.get(1)).isInstanceOf(RunEvent.ModeStarted.class);
        assertThat(events.get(events.size() - 2)).isInstanceOf(RunEvent.ModeFinished.class);
        assertThat(events.get(events.size() - 1)).isEqualTo(new RunEvent.RunEnded(outcome,
                ((RunEvent.RunEnded) events.get(events.size() - 1)).micros()));
        assertThat(events(RunEvent.Progress.class)).allMatch(p -> p.mode() == Mode.BALANCED)
                .filteredOn(p -> p.event() instanceof ProgressEvent.ImageFinished).hasSize(PHOTOS.size());
        assertThat(Samples.files(scratch)).isEmpty();
    }

    @Test
    void compareRunsEveryModeOnOnePlanKeepsOnlyTheFirstModesOutputsAndFindsThemIdentical() throws Exception {
        Path out = tmp.resolve("out");
        Files.createDirectories(out);
        Files.writeString(out.resolve("older-output.txt"), "not this run's");
        BatchPlan plan = plan(out, OverwritePolicy.SKIP);

        RunOutcome outcome = service().run(RunRequest.compare(plan, Mode.ALL), events::add);

        assertThat(outcome.results()).extracting(ModeResult::mode).containsExactlyElementsOf(Mode.ALL);
        assertThat(outcome.results()).allMatch(r -> r.converted() == PHOTOS.size());
        assertThat(outcome.comparisons()).extracting(RunEvent.Compared::mode)
                .containsExactly(Mode.DIRECT, Mode.BALANCED);
        assertThat(outcome.identicalOutputs()).isTrue();
        assertThat(outcome.identicalBytes()).as("same kernel, same runtime").isTrue();
        assertThat(outcome.differences()).isEmpty();
        assertThat(Samples.files(out)).hasSize(PHOTOS.size() + 1).contains("older-output.txt");
        assertThat(Samples.files(scratch)).as("the other modes' temporary folders are deleted").isEmpty();
        assertThat(Files.list(scratch).count()).isZero();
    }

    @Test
    void aComparisonWithSerialWarmsThisProcessUpBeforeSerialsFirstImageAndASingleModeDoesNot() throws Exception {
        RunService service = service();
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        service.compareWarmUp(() -> order.add("warm-up"));
        RunListener listener = event -> {
            if (event instanceof RunEvent.Progress p && p.event() instanceof ProgressEvent.ImageStarted) {
                order.add(p.mode().name());
            }
        };

        service.run(RunRequest.of(plan(tmp.resolve("single"), OverwritePolicy.SKIP), Mode.SERIAL), listener);
        assertThat(order).doesNotContain("warm-up").contains("SERIAL");
        order.clear();

        service.run(RunRequest.compare(plan(tmp.resolve("compared"), OverwritePolicy.SKIP), Mode.ALL), listener);
        assertThat(order).first().isEqualTo("warm-up");
        assertThat(order).filteredOn("warm-up"::equals).hasSize(1);
        assertThat(order).contains("SERIAL", "DIRECT", "BALANCED");
    }

    @Test
    void speedupIsTheSamePlansSerialWallTimeOverTheModesAndEfficiencyDividesItBySlots() throws Exception {
        BatchPlan plan = plan(tmp.resolve("out"), OverwritePolicy.OVERWRITE);

        RunOutcome outcome = service().run(RunRequest.compare(plan, Mode.ALL), events::add);

        ModeResult serial = outcome.result(Mode.SERIAL).orElseThrow();
        assertThat(serial.speedup()).isEqualTo(1.0);
        assertThat(serial.efficiency()).isEqualTo(1.0);
        for (Mode mode : List.of(Mode.DIRECT, Mode.BALANCED)) {
            ModeResult r = outcome.result(mode).orElseThrow();
            double expected = (double) serial.medianWallNanos() / r.medianWallNanos();
            assertThat(r.speedup()).as(mode.word()).isEqualTo(expected);
            assertThat(r.efficiency()).isEqualTo(expected / 2);
            assertThat(r.imagesPerSecond()).isEqualTo(PHOTOS.size() / r.wallSeconds());
        }
    }

    @Test
    void aLaterRunOfTheSamePlanGetsItsSpeedupFromTheRememberedSerialTimeButAnotherPlanDoesNot() throws Exception {
        RunService service = service();
        BatchPlan plan = plan(tmp.resolve("out"), OverwritePolicy.OVERWRITE);
        ModeResult serial = service.run(RunRequest.of(plan, Mode.SERIAL), events::add).results().get(0);

        ModeResult balanced = service.run(RunRequest.of(plan(tmp.resolve("out"), OverwritePolicy.OVERWRITE),
                Mode.BALANCED), events::add).results().get(0);
        Files.delete(input.resolve(PHOTOS.get(0)));
        ModeResult otherImages = service.run(RunRequest.of(plan(tmp.resolve("out2"), OverwritePolicy.OVERWRITE),
                Mode.BALANCED), events::add).results().get(0);

        assertThat(balanced.speedup()).isEqualTo((double) serial.medianWallNanos() / balanced.medianWallNanos());
        assertThat(otherImages.speedup()).as("another set of images has no serial reference").isNull();
    }

    @Test
    void aCompareWithACorruptImageFailsItInEveryModeAndStillFindsTheOutputsIdentical() throws Exception {
        Files.write(input.resolve("broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0});
        BatchPlan plan = plan(tmp.resolve("out"), OverwritePolicy.SKIP);

        RunOutcome outcome = service().run(RunRequest.compare(plan, Mode.ALL), events::add);

        assertThat(outcome.results()).hasSize(3).allSatisfy(r -> {
            assertThat(r.converted()).isEqualTo(PHOTOS.size());
            assertThat(r.failed()).isEqualTo(1);
            assertThat(r.report().errors()).singleElement().extracting(FileResult::input).isEqualTo("broken.png");
        });
        assertThat(outcome.failed()).isEqualTo(3);
        assertThat(outcome.identicalOutputs()).isTrue();
        assertThat(outcome.comparisons()).allMatch(c -> c.result().filesCompared() == PHOTOS.size());
    }

    @Test
    void aCancelledCompareStopsTheModeRunningLeavesNoPartialFileAndRunsNoFurtherMode() throws Exception {
        Path out = tmp.resolve("out");
        BatchPlan plan = plan(out, OverwritePolicy.SKIP);
        Thread runner = Thread.currentThread();
        AtomicInteger balancedDone = new AtomicInteger();
        RunListener cancelInDirect = event -> {
            events.add(event);
            if (event instanceof RunEvent.Progress p && p.mode() == Mode.DIRECT
                    && p.event() instanceof ProgressEvent.ImageFinished && balancedDone.incrementAndGet() == 2) {
                runner.interrupt();
            }
        };

        RunOutcome outcome = service().run(RunRequest.compare(plan, Mode.ALL), cancelInDirect);

        assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
        assertThat(outcome.cancelled()).isTrue();
        assertThat(outcome.results()).extracting(ModeResult::mode).containsExactly(Mode.SERIAL, Mode.DIRECT);
        ModeResult direct = outcome.result(Mode.DIRECT).orElseThrow();
        assertThat(direct.report().cancelled()).isTrue();
        assertThat(direct.report().notRun()).isPositive();
        assertThat(events(RunEvent.ModeStarted.class)).extracting(RunEvent.ModeStarted::mode)
                .doesNotContain(Mode.BALANCED);
        assertThat(outcome.comparisons()).isEmpty();
        assertThat(events.get(events.size() - 1)).isInstanceOf(RunEvent.RunEnded.class);
        assertThat(Samples.files(out)).as("serial's outputs, whole").hasSize(PHOTOS.size())
                .noneMatch(name -> name.contains(".part"));
        assertThat(Files.list(scratch).count()).as("direct's temporary folder is gone").isZero();
    }

    @Test
    void aDistributedModeWithoutEnginesIsSkippedWithItsReasonAndSerialStillRuns() throws Exception {
        BatchPlan plan = plan(tmp.resolve("out"), OverwritePolicy.SKIP);
        RunService noEngines = new RunService(new GreyscaleKernel(), EngineSource.NONE, DispatchOptions.defaults(),
                scratch);

        RunOutcome outcome = noEngines.run(RunRequest.compare(plan, Mode.ALL), events::add);

        assertThat(outcome.results()).extracting(ModeResult::mode).containsExactly(Mode.SERIAL);
        assertThat(outcome.skipped()).extracting(RunEvent.ModeSkipped::mode)
                .containsExactly(Mode.DIRECT, Mode.BALANCED);
        assertThat(outcome.skipped()).allMatch(s -> s.why().equals("no engines"));
        assertThat(outcome.comparisons()).isEmpty();
    }

    @Test
    void aBenchRepeatsEveryModeInterleavedIntoTemporaryFoldersAndLeavesThePlansFolderAlone() throws Exception {
        Path out = tmp.resolve("never-written");
        BatchPlan plan = plan(out, OverwritePolicy.OVERWRITE);

        RunOutcome outcome = service().run(RunRequest.bench(plan, Mode.ALL, 2), events::add);

        assertThat(events(RunEvent.ModeStarted.class)).extracting(s -> s.mode().word() + s.round())
                .containsExactly("serial0", "direct0", "balanced0", "serial1", "direct1", "balanced1");
        assertThat(outcome.results()).allSatisfy(r -> assertThat(r.wallNanos()).hasSize(2));
        assertThat(outcome.identicalOutputs()).isTrue();
        assertThat(outcome.comparisons()).allMatch(c -> c.result().filesCompared() == PHOTOS.size());
        assertThat(out).doesNotExist();
        assertThat(Files.list(scratch).count()).isZero();
    }

    @Test
    void directAnnouncesEachEnginesShareFromDirectViewsSplitBeforeSendingAnything() throws Exception {
        BatchPlan plan = plan(tmp.resolve("out"), OverwritePolicy.SKIP);

        service().run(RunRequest.of(plan, Mode.DIRECT), events::add);

        List<ProgressEvent> progress = events(RunEvent.Progress.class).stream().map(RunEvent.Progress::event)
                .toList();
        assertThat(progress.get(1)).isEqualTo(new ProgressEvent.SharesPlanned(java.util.Map.of(0, 3, 1, 3)));
        assertThat(progress.subList(2, progress.size())).noneMatch(e -> e instanceof ProgressEvent.SharesPlanned);
    }

    @Test
    void anEmptyPlanRunsNoModeAndAsksForNoEngine() throws Exception {
        BatchPlan planned = plan(tmp.resolve("out"), OverwritePolicy.SKIP);
        BatchPlan empty = new BatchPlan(planned.inputRoots(), planned.outputRoot(), planned.settings(),
                planned.policy(), List.of(), List.of());
        RunService noEngines = new RunService(new GreyscaleKernel(), () -> {
            throw new AssertionError("no engine is needed for nothing");
        }, DispatchOptions.defaults(), scratch);

        RunOutcome outcome = noEngines.run(RunRequest.compare(empty, Mode.ALL), events::add);

        assertThat(outcome.results()).isEmpty();
        assertThat(outcome.cancelled()).isFalse();
        assertThat(events).hasSize(2).first().isInstanceOf(RunEvent.RunStarted.class);
        assertThat(events.get(1)).isInstanceOf(RunEvent.RunEnded.class);
        assertThat(tmp.resolve("out")).doesNotExist();
        assertThat(Files.list(scratch).count()).isZero();
    }
}
