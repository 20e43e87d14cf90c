package org.greylab.app.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.greylab.app.engines.EnginesViewModel;
import org.greylab.app.engines.NoEnginesService;
import org.greylab.app.input.ImageRow;
import org.greylab.app.input.InputViewModel;
import org.greylab.app.results.ResultRow;
import org.greylab.app.results.ResultsViewModel;
import org.greylab.app.testing.TestFx;
import org.greylab.app.timeline.TimelineViewModel;
import org.greylab.core.schedule.Mode;
import org.greylab.core.job.OverwritePolicy;
import org.greylab.core.stats.OutputComparison;
import org.greylab.core.testing.Samples;
import org.greylab.core.testing.TestFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run panel's view model driving real serial runs on real files, without a Stage. */
class RunViewModelTest {

    /** An old time given to the outputs a resume must keep: a rewritten output gets a new one. */
    private static final FileTime LONG_AGO = FileTime.fromMillis(946_684_800_000L);

    private final TestFx fx = new TestFx();
    private final NoEnginesService clusters = new NoEnginesService();
    private final List<Path> opened = new ArrayList<>();
    private final RunPanel panel = new RunPanel(fx, clusters, new EnginesViewModel(fx.executor(), clusters),
            opened::add);
    private final InputViewModel input = panel.input;
    private final TimelineViewModel timeline = panel.timeline;
    private final ResultsViewModel results = panel.results;
    private final RunViewModel run = panel.run;

    @TempDir
    Path tmp;

    @AfterEach
    void stop() {
        fx.call(() -> {
            run.cancel();
            return null;
        });
        fx.close();
    }

    private void load(Path folder) {
        panel.load(folder);
    }

    /** A folder {@code name} holding the sample camera.png alone, loaded into the panel. */
    private Path loadCameraIn(String name) throws IOException {
        Path folder = Files.createDirectories(tmp.resolve(name));
        Files.copy(Samples.folder().resolve("camera.png"), folder.resolve("camera.png"));
        load(folder);
        return folder;
    }

    /** A folder holding the two smallest sample images, loaded into the panel. */
    private void loadTwoSmallest() throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("two"));
        for (Path p : Samples.smallest(2)) {
            Files.copy(p, folder.resolve(p.getFileName()));
        }
        load(folder);
    }

    private void runAndWait() {
        panel.runAndWait(Duration.ofSeconds(120));
    }

    @Test
    void aSerialRunOnTheSamplesFillsProgressRowsAndOneResult() throws Exception {
        load(Samples.folder());
        Path out = tmp.resolve("out");
        panel.choose(List.of(Mode.SERIAL), out);
        int images = Samples.images().size();

        runAndWait();

        assertThat(fx.call(() -> run.errorProperty().get())).isEmpty();
        assertThat(fx.call(() -> run.progress().fractionProperty().get())).isEqualTo(1.0);
        assertThat(fx.call(() -> run.progress().doneTextProperty().get())).startsWith(images + " / " + images);
        assertThat(Samples.files(out)).hasSize(images);
        List<ResultRow> rows = fx.call(() -> List.copyOf(results.rows()));
        assertThat(rows).singleElement().satisfies(r -> {
            assertThat(r.mode()).isEqualTo(Mode.SERIAL);
            assertThat(r.images()).isEqualTo(images);
            assertThat(r.speedup()).isEqualTo(1.0);
            assertThat(r.imagesPerSecond()).isPositive();
        });
        assertThat(fx.call(() -> input.images().stream().map(r -> r.statusProperty().get()).distinct().toList()))
                .containsExactly("converted");
        assertThat(fx.call(() -> timeline.bars().size())).isEqualTo(images);
        assertThat(fx.call(() -> run.outputReadyProperty().get())).isTrue();
    }

    @Test
    void theDefaultOutputIsTheInputFolderWithGreySuffix() throws Exception {
        Path folder = loadCameraIn("photos");
        fx.run(() -> run.options().modesProperty().set(List.of(Mode.SERIAL)));

        runAndWait();

        assertThat(fx.call(() -> run.options().defaultOutputProperty().get()))
                .isEqualTo(tmp.resolve("photos-grey").toString());
        assertThat(Samples.files(tmp.resolve("photos-grey"))).containsExactly("camera.png");
    }

    @Test
    void badFilesFillTheErrorsListWithStageAndReason() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("mixed"));
        Files.copy(Samples.folder().resolve("camera.png"), folder.resolve("good.png"));
        Files.write(folder.resolve("empty.jpg"), new byte[0]);
        Files.writeString(folder.resolve("fake.png"), "this is text, not a picture", StandardCharsets.UTF_8);
        load(folder);
        panel.choose(List.of(Mode.SERIAL), tmp.resolve("out"));

        runAndWait();

        List<ErrorRow> errors = fx.call(() -> List.copyOf(run.failed().rows()));
        assertThat(errors).extracting(ErrorRow::file).containsExactly("empty.jpg", "fake.png");
        assertThat(errors.get(0).stage()).isEqualTo("read");
        assertThat(errors.get(0).reason()).contains("empty");
        assertThat(errors.get(1).stage()).isEqualTo("decode");
        assertThat(errors).extracting(ErrorRow::engine).containsOnly("serial");
        assertThat(fx.call(() -> run.failed().canRetryProperty().get())).isTrue();
        assertThat(fx.call(() -> input.row("fake.png").map(r -> r.statusProperty().get()).orElse("")))
                .isEqualTo("failed");
        assertThat(Samples.files(tmp.resolve("out"))).containsExactly("good.png");
    }

    @Test
    void retryFailedRunsOnlyTheFailedImagesAgain() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("mixed"));
        Files.copy(Samples.folder().resolve("camera.png"), folder.resolve("good.png"));
        Path broken = folder.resolve("later.png");
        Files.write(broken, new byte[0]);
        load(folder);
        panel.choose(List.of(Mode.SERIAL), tmp.resolve("out"));
        runAndWait();
        Files.copy(Samples.folder().resolve("coffee.png"), broken, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        fx.run(run::retryFailed);
        await().atMost(Duration.ofSeconds(60)).until(() -> fx.call(() -> !run.isRunning()));

        assertThat(fx.call(() -> List.copyOf(run.failed().rows()))).isEmpty();
        assertThat(Samples.files(tmp.resolve("out"))).containsExactly("good.png", "later.png");
        assertThat(fx.call(() -> results.rows().get(results.rows().size() - 1).images())).isEqualTo(1);
    }

    @Test
    void cancelReturnsToIdleAtOnceAndLeavesNoPartialFile() throws Exception {
        panel.assertCancelLeavesWholeFilesOnly(Mode.SERIAL, 60, 1, tmp);
    }

    @Test
    void compareWithoutEnginesRunsSerialAndSaysWhyTheOthersDidNot() throws Exception {
        loadTwoSmallest();
        panel.choose(Mode.ALL, tmp.resolve("out"));

        runAndWait();

        assertThat(fx.call(() -> results.rows().stream().map(ResultRow::mode).toList())).containsExactly(Mode.SERIAL);
        assertThat(fx.call(() -> run.messageProperty().get())).contains("Direct did not run: no engines")
                .contains("Balanced did not run: no engines");
    }

    @Test
    void aSecondCompareComparesIntoTemporaryFoldersAndKeepsTheOutputsThere() throws Exception {
        loadTwoSmallest();
        Path out = tmp.resolve("out");
        panel.choose(Mode.ALL, out);
        fx.run(() -> run.options().policyProperty().set(OverwritePolicy.SKIP));
        runAndWait();
        List<String> names = Samples.files(out);
        assertThat(names).hasSize(2);
        List<Path> outputs = names.stream().map(out::resolve).toList();
        List<byte[]> before = new ArrayList<>();
        for (Path o : outputs) {
            Files.setLastModifiedTime(o, LONG_AGO);
            before.add(Files.readAllBytes(o));
        }

        runAndWait();

        assertThat(fx.call(() -> run.messageProperty().get())).doesNotContain("Nothing to convert")
                .contains("are there already and were kept").contains("temporary folders");
        // a row for each run: the second one converted both images again, elsewhere
        List<ResultRow> rows = fx.call(() -> List.copyOf(results.rows()));
        assertThat(rows).hasSize(2).allSatisfy(r -> assertThat(r.images()).isEqualTo(2));
        assertThat(Samples.files(out)).isEqualTo(names);
        for (int i = 0; i < outputs.size(); i++) {
            assertThat(Files.getLastModifiedTime(outputs.get(i))).as("%s untouched", outputs.get(i))
                    .isEqualTo(LONG_AGO);
            assertThat(Files.readAllBytes(outputs.get(i))).isEqualTo(before.get(i));
        }
    }

    @Test
    void nothingListedSaysWhatToDo() {
        fx.run(run::run);

        assertThat(fx.call(() -> run.errorProperty().get())).contains("open a folder");
        assertThat(fx.call(() -> run.isRunning())).isFalse();
    }

    @Test
    void existingOutputsAreSkippedUnderTheSkipPolicy() throws Exception {
        loadCameraIn("p");
        fx.run(() -> {
            run.options().modesProperty().set(List.of(Mode.SERIAL));
            run.options().policyProperty().set(OverwritePolicy.SKIP);
            run.options().outputProperty().set(tmp.resolve("out").toString());
        });
        runAndWait();

        runAndWait();

        assertThat(fx.call(() -> run.messageProperty().get())).contains("Nothing to convert");
        ImageRow row = fx.call(() -> input.row("camera.png").orElseThrow());
        assertThat(fx.call(() -> row.statusProperty().get())).isEqualTo("skipped");
    }

    @Test
    void openOutputHandsTheFolderToTheOpener() throws Exception {
        loadCameraIn("o");
        panel.choose(List.of(Mode.SERIAL), tmp.resolve("out"));
        runAndWait();

        fx.run(run::openOutput);

        await().atMost(Duration.ofSeconds(5)).until(() -> !opened.isEmpty());
        assertThat(opened).containsExactly(tmp.resolve("out"));
    }

    @Test
    void resumeIsOfferedForAnUnfinishedBatchAndConvertsOnlyWhatItDidNotDo() throws Exception {
        // given a serial run of 30 photos cancelled after a few
        Path folder = TestFiles.copies(Samples.biggest(), 30, tmp.resolve("many"));
        load(folder);
        Path out = tmp.resolve("out");
        panel.choose(List.of(Mode.SERIAL), out);
        assertThat(fx.call(() -> run.resumableProperty().get())).isFalse();
        fx.run(run::run);
        await().atMost(Duration.ofSeconds(60)).until(() -> Samples.files(out).size() >= 4);
        fx.run(run::cancel);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(20))
                .until(() -> Samples.files(out).stream().noneMatch(f -> f.contains(".part")));
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.call(() -> run.resumableProperty().get()));
        List<String> before = Samples.files(out);
        for (String f : before) {
            Files.setLastModifiedTime(out.resolve(f), LONG_AGO);
        }

        // when Resume is pressed
        fx.run(run::resume);
        await().atMost(Duration.ofSeconds(120)).until(() -> fx.call(() -> !run.isRunning()));

        // then every photo is there, those done before untouched, and Resume is no longer offered
        assertThat(fx.call(() -> run.errorProperty().get())).isEmpty();
        assertThat(Samples.files(out)).hasSize(30);
        assertThat(before).allSatisfy(f -> assertThat(Files.getLastModifiedTime(out.resolve(f))).isEqualTo(LONG_AGO));
        assertThat(fx.call(() -> run.messageProperty().get())).contains(before.size() + " image(s) done earlier")
                .contains("Serial: " + (30 - before.size()) + " converted");
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.call(() -> !run.resumableProperty().get()));
    }

    @Test
    void resumeIsNotOfferedForAFinishedBatch() throws Exception {
        loadCameraIn("o");
        panel.choose(List.of(Mode.SERIAL), tmp.resolve("out"));

        runAndWait();

        assertThat(tmp.resolve("out/.greylab/journal.jsonl")).isRegularFile();
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> fx.call(() -> !run.resumableProperty().get()));
    }
}
