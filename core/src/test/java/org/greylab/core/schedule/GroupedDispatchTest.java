package org.greylab.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.greylab.core.schedule.StrategyAssertions.everyJobConvertedOnceInOrder;
import static org.greylab.core.schedule.StrategyAssertions.noPartialFiles;
import static org.greylab.core.schedule.StrategyAssertions.outputsEqualSerial;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.greylab.core.image.Stage;
import org.greylab.core.job.BatchPlan;
import org.greylab.core.job.FileResult;
import org.greylab.core.job.FileStatus;
import org.greylab.core.job.TaskTrace;
import org.greylab.core.testing.Thumbnails;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tasks that carry several images, in both distributed modes, on thumbnails cut from the sample photos: each image
 * keeps its own row, trace, failure and bytes; a lost or stalled engine's group comes back as single images; only an
 * image that takes an engine down alone is blamed for it.
 */
class GroupedDispatchTest extends DistributedStrategyFixture {

    private static final int THUMBNAILS = 40;
    private static final DispatchOptions AUTO = DispatchOptions.defaults();

    private static List<Path> thumbnails;
    /** Serial's output of every thumbnail, by output path. */
    private static Map<String, byte[]> serialThumbnails;

    @BeforeAll
    static void makeThumbnails(@TempDir Path folder) throws Exception {
        thumbnails = Thumbnails.write(folder.resolve("thumbs"), THUMBNAILS);
        Files.createDirectories(folder.resolve("serial"));
        serialThumbnails = SampleImages.serialOutputs(SampleImages.plan(thumbnails, folder.resolve("serial")));
    }

    private static DispatchOptions grouped(int images) {
        return AUTO.withGrouping(TaskGrouping.fixed(images));
    }

    private BatchPlan thumbnailPlan() throws Exception {
        return SampleImages.plan(thumbnails, output);
    }

    /** How many images each task carried, from the engines' side. */
    private List<Integer> taskSizes() {
        List<Integer> sizes = new ArrayList<>();
        for (EngineInfo e : cluster.engines()) {
            sizes.addAll(cluster.taskSizes(e.id()));
        }
        return sizes;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("distributedStrategies")
    void autoGroupsThumbnailsAndEveryImageKeepsItsOwnRowTimesAndBytes(StrategyUnderTest strategy) throws Exception {
        engines(1, 1);
        BatchPlan plan = thumbnailPlan();
        List<ProgressEvent> events = new ArrayList<>();

        List<FileResult> results = strategy.on(cluster, AUTO).run(plan, events::add);

        everyJobConvertedOnceInOrder(plan, results);
        outputsEqualSerial(output, serialThumbnails);
        assertThat(taskSizes()).as("tasks").anyMatch(size -> size > 1)
                .allMatch(size -> size <= TaskGrouping.MAX_IMAGES);
        assertThat(taskSizes().stream().mapToInt(Integer::intValue).sum()).isEqualTo(THUMBNAILS);
        // one bar per image: the images of one task ran one after the other, each with its own engine times
        Map<Long, List<TaskTrace>> byTask = results.stream().map(FileResult::trace)
                .collect(Collectors.groupingBy(TaskTrace::taskId, LinkedHashMap::new, Collectors.toList()));
        assertThat(byTask.values()).anyMatch(traces -> traces.size() > 1);
        for (List<TaskTrace> traces : byTask.values()) {
            assertThat(traces).allMatch(t -> t.taskImages() == traces.size());
            for (int i = 1; i < traces.size(); i++) {
                assertThat(traces.get(i).startedMicros()).isGreaterThanOrEqualTo(traces.get(i - 1).finishedMicros());
            }
        }
        assertThat(events).filteredOn(ProgressEvent.ImageStarted.class::isInstance).hasSize(THUMBNAILS);
        assertThat(events).filteredOn(ProgressEvent.ImageFinished.class::isInstance).hasSize(THUMBNAILS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("distributedStrategies")
    void offSendsEveryImageAsATaskOfItsOwn(StrategyUnderTest strategy) throws Exception {
        engines(1, 1);
        BatchPlan plan = thumbnailPlan();

        List<FileResult> results = strategy.on(cluster, AUTO.withGrouping(TaskGrouping.OFF)).run(plan,
                ProgressListener.NONE);

        everyJobConvertedOnceInOrder(plan, results);
        outputsEqualSerial(output, serialThumbnails);
        assertThat(taskSizes()).hasSize(THUMBNAILS).containsOnly(1);
        assertThat(results).allMatch(r -> r.trace().taskImages() == 1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("distributedStrategies")
    void aFixedGroupCarriesUpToThatManyImages(StrategyUnderTest strategy) throws Exception {
        engines(1, 1);
        BatchPlan plan = thumbnailPlan();

        List<FileResult> results = strategy.on(cluster, grouped(8)).run(plan, ProgressListener.NONE);

        everyJobConvertedOnceInOrder(plan, results);
        outputsEqualSerial(output, serialThumbnails);
        assertThat(taskSizes()).allMatch(size -> size <= 8).contains(8);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("distributedStrategies")
    void aCorruptImageInAGroupIsTheOneFailedRowAndTheOthersConvert(StrategyUnderTest strategy) throws Exception {
        engines(1, 1);
        // a JPEG cut after its header: it sniffs as a JPEG and fails to decode
        Path corrupt = elsewhere.resolve("thumb-0005.jpg");
        Files.write(corrupt, Arrays.copyOf(Files.readAllBytes(thumbnails.get(5)), 200));
        List<Path> inputs = new ArrayList<>(thumbnails);
        inputs.set(5, corrupt);
        BatchPlan plan = SampleImages.plan(inputs, output);

        List<FileResult> results = strategy.on(cluster, grouped(10)).run(plan, ProgressListener.NONE);

        assertThat(results).filteredOn(r -> r.status() == FileStatus.FAILED).singleElement().satisfies(r -> {
            assertThat(r.input()).isEqualTo("thumb-0005.jpg");
            assertThat(r.stage()).isEqualTo(Stage.DECODE);
            assertThat(r.trace().taskImages()).as("it travelled with others").isGreaterThan(1);
        });
        Map<String, byte[]> expected = new LinkedHashMap<>(serialThumbnails);
        expected.remove("thumb-0005.jpg");
        outputsEqualSerial(output, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("distributedStrategies")
    void anEngineKilledWithAGroupInFlightLosesNothingAndItsImagesGoOnAlone(StrategyUnderTest strategy)
            throws Exception {
        engines(1, 1);
        cluster.gate(1).close();
        BatchPlan plan = thumbnailPlan();

        BackgroundRun run = BackgroundRun.start(strategy.on(cluster, grouped(6)), plan);
        eventually("engine 1 holds a group").until(() -> cluster.inFlight(1) >= 1
                && cluster.taskSizes(1).get(0) > 1);
        cluster.kill(1);
        List<FileResult> results = run.results();

        everyJobConvertedOnceInOrder(plan, results);
        outputsEqualSerial(output, serialThumbnails);
        List<FileResult> rerun = results.stream()
                .filter(r -> String.join(" ", r.warnings()).contains("after engine 1 was lost")
                        && String.join(" ", r.warnings()).startsWith("re-run")).toList();
        assertThat(rerun).as("the group's images, re-run").hasSizeGreaterThan(1)
                .allSatisfy(r -> assertThat(r.trace().taskImages()).as(r.input()).isEqualTo(1));
    }

    @org.junit.jupiter.api.Test
    void aThumbnailThatTravelledAloneToALostEngineGoesOnAloneToo() throws Exception {
        // engine 1's block alternates a large photo and a thumbnail: each thumbnail goes alone (a large image
        // ends a group); re-run at the head of engine 0's block, it must not take engine 0's thumbnails with it
        Path photo = org.greylab.core.testing.Samples.images().stream()
                .filter(p -> p.getFileName().toString().equals("flower.jpg")).findFirst().orElseThrow();
        // engine 0's block: 18 thumbnails, of which it holds two groups of 6 and has 6 still to come
        List<Path> inputs = new ArrayList<>(thumbnails.subList(0, 18));
        for (int i = 0; i < 6; i++) {
            Path copy = elsewhere.resolve("photo-" + i + ".jpg");
            Files.copy(photo, copy);
            inputs.add(copy);
            inputs.add(thumbnails.get(18 + i));
        }
        inputs.addAll(thumbnails.subList(24, 30));
        engines(1, 1);
        cluster.gate(0).close();
        cluster.gate(1).close();
        BatchPlan plan = SampleImages.plan(inputs, output);
        StrategyUnderTest direct = distributedStrategies().filter(s -> s.mode() == Mode.DIRECT).findFirst()
                .orElseThrow();

        BackgroundRun run = BackgroundRun.start(direct.on(cluster, grouped(6)), plan);
        eventually("engine 1 holds a photo and a thumbnail, each alone").until(() -> cluster.taskSizes(1).size() >= 2
                && cluster.inFlight(0) >= 2);
        assertThat(cluster.taskSizes(1)).containsOnly(1);
        cluster.kill(1);
        cluster.gate(0).open();
        List<FileResult> results = run.results();

        everyJobConvertedOnceInOrder(plan, results);
        List<FileResult> rerun = results.stream()
                .filter(r -> String.join(" ", r.warnings()).startsWith("re-run")).toList();
        assertThat(rerun).as("engine 1's photo and thumbnail, re-run").extracting(FileResult::input)
                .contains("photo-0.jpg", "thumb-0018.jpg");
        assertThat(rerun).allSatisfy(r -> assertThat(r.trace().taskImages()).as(r.input()).isEqualTo(1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("distributedStrategies")
    void aGroupThatMissesItsDeadlineComesBackAsSingleImages(StrategyUnderTest strategy) throws Exception {
        engines(1, 1);
        cluster.gate(1).close();
        BatchPlan plan = thumbnailPlan();

        BackgroundRun run = BackgroundRun.start(strategy.on(cluster, grouped(5)
                .withTaskTimeout(Duration.ofSeconds(1))), plan);
        List<FileResult> results = run.results();
        cluster.gate(1).open();

        everyJobConvertedOnceInOrder(plan, results);
        outputsEqualSerial(output, serialThumbnails);
        assertThat(run.events(ProgressEvent.EngineStalled.class)).isNotEmpty();
        assertThat(results).filteredOn(r -> String.join(" ", r.warnings()).contains("stalled"))
                .isNotEmpty().allSatisfy(r -> {
                    assertThat(r.trace().taskImages()).isEqualTo(1);
                    assertThat(r.status()).isEqualTo(FileStatus.CONVERTED);
                });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("distributedStrategies")
    void onlyTheImageThatTakesAnEngineDownAloneIsBlamedAfterItsGroupTookOneDown(StrategyUnderTest strategy)
            throws Exception {
        engines(1, 1, 1);
        for (int id = 0; id < 3; id++) {
            cluster.gate(id).close();
        }
        BatchPlan plan = SampleImages.plan(thumbnails.subList(0, 6), output);
        String poison = plan.jobs().get(0).relativePath();

        BackgroundRun run = BackgroundRun.start(strategy.on(cluster, grouped(6)), plan);
        List<Integer> killed = new ArrayList<>();
        // first the engine running the group that starts with it
        int first = eventually("an engine converts its group").until(() -> holderOf(poison, killed), id -> id >= 0);
        assertThat(cluster.taskSizes(first).get(0)).as("it went in a group first").isGreaterThan(1);
        cluster.kill(first);
        killed.add(first);
        // then the one it went to alone, once the tasks queued before it there have gone through
        int second = eventually("another engine holds it").until(() -> holderAnywhere(poison, killed),
                id -> id >= 0);
        cluster.gate(second).allow(cluster.tasksAhead(second, poison));
        eventually("it converts it alone").until(() -> cluster.isRunningFirst(second, poison));
        assertThat(cluster.taskSizes(second).get(cluster.taskSizes(second).size() - 1)).isEqualTo(1);
        cluster.kill(second);
        killed.add(second);
        int survivor = 3 - killed.get(0) - killed.get(1);
        cluster.gate(survivor).open();
        List<FileResult> results = run.results();

        assertThat(results).filteredOn(r -> r.status() == FileStatus.FAILED).singleElement().satisfies(r -> {
            assertThat(r.input()).isEqualTo(poison);
            assertThat(r.reason()).isEqualTo("crashed 2 engines; not retried");
        });
        assertThat(results).filteredOn(r -> !r.input().equals(poison))
                .allSatisfy(r -> assertThat(r.status()).as(r.input()).isEqualTo(FileStatus.CONVERTED));
        assertThat(cluster.received(survivor)).as("the third engine never gets it").doesNotContain(poison);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("distributedStrategies")
    void cancelWhileGroupsAreInFlightLeavesNoPartialFile(StrategyUnderTest strategy) throws Exception {
        engines(1, 1);
        cluster.gate(1).close();
        BatchPlan plan = thumbnailPlan();

        BackgroundRun run = BackgroundRun.start(strategy.on(cluster, grouped(8)), plan);
        eventually("a few images are written").until(() -> run.events(ProgressEvent.ImageFinished.class).size() >= 2
                && cluster.inFlight(1) >= 1);
        run.cancel();

        assertThat(run.awaitEnd(Duration.ofSeconds(5))).as("run ended within 5 s").isTrue();
        assertThat(run.failure()).isInstanceOf(InterruptedException.class);
        noPartialFiles(output, serialThumbnails);
        assertThat(org.greylab.core.testing.Samples.files(output)).hasSizeLessThan(plan.jobs().size());
        eventually("engine 1's held group is cancelled").until(() -> cluster.inFlight(1) == 0);
    }

    /** A live engine that holds a task starting with {@code name}, running or queued; -1 if none. */
    private int holderAnywhere(String name, List<Integer> dead) {
        for (int id = 0; id < 3; id++) {
            if (!dead.contains(id) && cluster.tasksAhead(id, name) >= 0) {
                return id;
            }
        }
        return -1;
    }

    private int holderOf(String name, List<Integer> dead) {
        for (int id = 0; id < 3; id++) {
            if (!dead.contains(id) && cluster.isRunningFirst(id, name)) {
                return id;
            }
        }
        return -1;
    }
}
