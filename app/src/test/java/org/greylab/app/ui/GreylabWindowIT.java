package org.greylab.app.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.input.DragEvent;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;
import org.greylab.app.fx.AppExecutor;
import org.greylab.app.engines.HazelcastClusterService;
import org.greylab.app.results.ResultRow;
import org.greylab.app.settings.SettingsStore;
import org.greylab.app.settings.WindowSettings;
import org.greylab.app.testing.SyntheticDrag;
import org.greylab.core.image.GreyFormula;
import org.greylab.core.image.OutputFormat;
import org.greylab.core.job.OverwritePolicy;
import org.greylab.core.schedule.Mode;
import org.greylab.core.schedule.TaskGrouping;
import org.greylab.core.testing.Samples;
import org.greylab.core.testing.TestFiles;
import org.greylab.engine.client.EngineProcess;
import org.greylab.engine.client.HazelcastEngineCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The real window, driven by a robot, headless on Monocle, with two real local engines. */
@ExtendWith(ApplicationExtension.class)
class GreylabWindowIT {

    @TempDir
    static Path tmp;

    private MainViewModel model;
    private HazelcastClusterService clusters;
    private Stage stage;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        Path settings = Files.createTempFile(tmp, "settings-", ".json");
        Files.delete(settings);
        SettingsStore store = new SettingsStore(settings);
        WindowSettings d = WindowSettings.defaults();
        store.save(new WindowSettings(List.of(Samples.folder().toString()), tmp.resolve("out").toString(), null,
                Mode.ALL, 2, d.labAddresses(), "", OutputFormat.KEEP, GreyFormula.SKIMAGE, OverwritePolicy.OVERWRITE,
                false, 1280, 860, null, null));
        clusters = new HazelcastClusterService();
        model = new MainViewModel(AppExecutor.forFx(), clusters, store, Samples.repo(),
                folder -> { });
        model.setStartEngines(engineJarPresent());
        model.startUp();
        GreylabWindow.show(stage, model, () -> { });
    }

    @AfterEach
    void close() throws Exception {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        Platform.runLater(() -> GreylabWindow.close(model, () -> closed.complete(null)));
        closed.get(30, TimeUnit.SECONDS);
    }

    /** The process ids of the window's local engines once they are ready (skipped without the engine jar). */
    private List<Long> readyEnginePids() throws Exception {
        Assumptions.assumeTrue(engineJarPresent(), "needs the engine-node jar (mvn verify builds it)");
        await().atMost(Duration.ofSeconds(90)).until(() -> onFx(() -> model.engines().ready()));
        return ((HazelcastEngineCluster) clusters.current().orElseThrow()).localEngines().orElseThrow()
                .processes().stream().map(EngineProcess::pid).toList();
    }

    private static boolean engineJarPresent() {
        String jar = System.getProperty("greylab.engine.jar", "");
        return !jar.isBlank() && Files.isRegularFile(Path.of(jar));
    }

    private static <T> T onFx(java.util.concurrent.Callable<T> read) throws Exception {
        return WaitForAsyncUtils.asyncFx(read).get(10, TimeUnit.SECONDS);
    }

    @Test
    void theWindowOpensOnTheSamples(FxRobot robot) throws Exception {
        TableView<?> table = robot.lookup("#imageTable").queryAs(TableView.class);

        await().atMost(Duration.ofSeconds(20)).until(() -> onFx(() -> table.getItems().size())
                == Samples.images().size());

        assertThat(robot.window(0).getScene().getWindow()).isNotNull();
        assertThat(onFx(() -> ((Stage) robot.window(0)).getTitle())).isEqualTo("Greylab \u2014 samples");
        assertThat(robot.lookup("#run").queryAs(Button.class).isDisabled()).isFalse();
    }

    @Test
    void theGroupChoiceSetsHowManyImagesATaskCarriesAndIsRemembered(FxRobot robot) throws Exception {
        // given the window with its default grouping, auto
        assertThat(onFx(() -> model.run().options().groupingProperty().get())).isEqualTo(TaskGrouping.AUTO);

        // when "off" is picked in the Group list
        robot.clickOn("#grouping");
        robot.clickOn((Node n) -> n instanceof ListCell<?> cell && "off".equals(cell.getText()) && cell.isVisible());

        // then runs send one image a task, and the settings remember it as the command line's word
        assertThat(onFx(() -> model.run().options().groupingProperty().get())).isEqualTo(TaskGrouping.OFF);
        assertThat(onFx(() -> model.settings().group())).isEqualTo(TaskGrouping.OFF);
    }

    @Test
    void droppingAFolderShowsTheDropTargetAndAddsItsImages(FxRobot robot) throws Exception {
        // given an empty list and a folder of two photos
        robot.clickOn("#clearInputs");
        Path folder = TestFiles.copyInto(tmp.resolve("dropped"), Samples.smallest(2));
        SyntheticDrag drag = onFx(() -> new SyntheticDrag(List.of(folder.toFile())));
        Node table = robot.lookup("#imageTable").query();
        Node dropTarget = robot.lookup("#dropTarget").query();
        robot.moveTo(table);

        // when the folder is dragged over the window
        robot.interact(() -> {
            drag.fire(table, DragEvent.DRAG_ENTERED);
            drag.fire(table, DragEvent.DRAG_OVER);
        });

        // then the drop target shows
        assertThat(dropTarget.isVisible()).isTrue();

        // when it is dropped
        robot.interact(() -> drag.fire(table, DragEvent.DRAG_DROPPED));

        // then its images are in the list and the target is gone
        TableView<?> images = (TableView<?>) table;
        await().atMost(Duration.ofSeconds(20)).until(() -> onFx(() -> images.getItems().size()) == 2);
        assertThat(dropTarget.isVisible()).isFalse();
    }

    @Test
    void compareOnTwoEnginesShowsThreeRowsAndFullEngineBars(FxRobot robot) throws Exception {
        Assumptions.assumeTrue(engineJarPresent(), "needs the engine-node jar (mvn verify builds it)");
        // given the samples and two local engines
        await().atMost(Duration.ofSeconds(20)).until(() -> onFx(() -> model.input().images().size())
                == Samples.images().size());
        await().atMost(Duration.ofSeconds(90)).until(() -> onFx(() -> model.engines().ready()));
        robot.clickOn("#modeCompare");

        // when Run is pressed
        robot.clickOn("#run");

        // then three rows with speedups appear, every engine bar is full, and the outputs equal serial's
        TableView<?> results = robot.lookup("#resultsTable").queryAs(TableView.class);
        await().atMost(Duration.ofSeconds(240)).until(() -> onFx(() -> results.getItems().size() == 3
                && !model.run().isRunning()));
        List<Mode> modes = onFx(() -> results.getItems().stream().map(r -> ((ResultRow) r).mode()).toList());
        assertThat(modes).containsExactlyElementsOf(Mode.ALL);
        assertThat(onFx(() -> results.getItems().stream().allMatch(r -> ((ResultRow) r).speedup() > 0))).isTrue();
        robot.clickOn("#timingsTab");
        WaitForAsyncUtils.waitForFxEvents();
        for (String id : List.of("#engineProgress-0", "#engineProgress-1")) {
            ProgressBar bar = robot.lookup(id).queryAs(ProgressBar.class);
            assertThat(bar.getProgress()).as(id).isEqualTo(1.0);
        }
        assertThat(robot.lookup("#runMessage").queryAs(Label.class).getText())
                .contains("Direct outputs identical to serial").contains("Balanced outputs identical to serial");
        assertThat(Samples.files(tmp.resolve("out"))).hasSize(Samples.images().size());
    }

    @Test
    void escapeCancelsARunAndTheWindowIsIdleAtOnce(FxRobot robot) throws Exception {
        // given a long serial run
        Path folder = TestFiles.copies(Samples.biggest(), 60, tmp.resolve("many"));
        robot.clickOn("#clearInputs");
        robot.interact(() -> model.input().addFolder(folder));
        await().atMost(Duration.ofSeconds(20)).until(() -> onFx(() -> model.input().images().size()) == 60);
        robot.clickOn("#modeSerial");
        robot.clickOn("#run");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> onFx(() -> model.run().progress().fractionProperty().get() > 0));

        // when Esc is pressed
        robot.type(KeyCode.ESCAPE);

        // then the window is idle: Run is enabled, Cancel is not
        assertThat(robot.lookup("#run").queryAs(Button.class).isDisabled()).isFalse();
        assertThat(robot.lookup("#cancel").queryAs(Button.class).isDisabled()).isTrue();
        assertThat(robot.lookup("#phase").queryAs(Label.class).getText()).isEqualTo("Cancelled");
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() ->
                Samples.files(tmp.resolve("out")).stream().noneMatch(f -> f.contains(".part")));
        assertThat(new File(tmp.resolve("out").toString()).exists()).isTrue();
    }

    @Test
    void resumeAppearsForAnUnfinishedBatchAndConvertsOnlyTheImagesItDidNotDo(FxRobot robot) throws Exception {
        // given a serial run of 40 photos into a folder of its own, cancelled with Esc after a few
        Path folder = TestFiles.copies(Samples.biggest(), 40, tmp.resolve("to-resume"));
        Path out = tmp.resolve("resumed-out");
        robot.clickOn("#clearInputs");
        robot.interact(() -> {
            model.input().addFolder(folder);
            model.run().options().outputProperty().set(out.toString());
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> onFx(() -> model.input().images().size()) == 40);
        robot.clickOn("#modeSerial");
        assertThat(robot.lookup("#resume").queryAs(Button.class).isVisible()).isFalse();
        robot.clickOn("#run");
        await().atMost(Duration.ofSeconds(60)).until(() -> Samples.files(out).size() >= 3);
        robot.type(KeyCode.ESCAPE);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(20))
                .until(() -> Samples.files(out).stream().noneMatch(f -> f.contains(".part")));

        // then Resume is shown
        Button resume = robot.lookup("#resume").queryAs(Button.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> onFx(resume::isVisible));
        List<String> before = Samples.files(out);
        FileTime longAgo = FileTime.fromMillis(946_684_800_000L);
        for (String f : before) {
            Files.setLastModifiedTime(out.resolve(f), longAgo);
        }

        // when it is pressed
        robot.clickOn("#resume");
        await().atMost(Duration.ofSeconds(120)).until(() -> onFx(() -> !model.run().isRunning()));

        // then every photo is there, those done before untouched, and Resume is gone
        assertThat(Samples.files(out)).hasSize(40);
        assertThat(before).allSatisfy(f -> assertThat(Files.getLastModifiedTime(out.resolve(f))).isEqualTo(longAgo));
        assertThat(robot.lookup("#runMessage").queryAs(Label.class).getText())
                .contains(before.size() + " image(s) done earlier");
        await().atMost(Duration.ofSeconds(10)).until(() -> onFx(() -> !resume.isVisible()));
    }

    @Test
    void closingTheWindowDuringARunCancelsItAndLeavesNoEngineProcess(FxRobot robot) throws Exception {
        // given two local engines busy with a long balanced run
        List<Long> pids = readyEnginePids();
        assertThat(pids).hasSize(2).allSatisfy(pid -> assertThat(alive(pid)).isTrue());
        Path folder = TestFiles.copies(Samples.biggest(), 60, tmp.resolve("close"));
        robot.clickOn("#clearInputs");
        robot.interact(() -> model.input().addFolder(folder));
        await().atMost(Duration.ofSeconds(20)).until(() -> onFx(() -> model.input().images().size()) == 60);
        robot.clickOn("#modeBalanced");
        robot.clickOn("#run");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> onFx(() -> model.run().progress().fractionProperty().get() > 0));

        // when the window is closed (its close button: the stage's close request)
        robot.interact(() -> stage.fireEvent(new WindowEvent(stage, WindowEvent.WINDOW_CLOSE_REQUEST)));

        // then the run is cancelled, the window is gone and within 5 s no engine process is left
        assertThat(onFx(() -> model.run().isRunning())).isFalse();
        assertThat(onFx(stage::isShowing)).isFalse();
        await().atMost(Duration.ofSeconds(5)).until(() -> pids.stream().noneMatch(GreylabWindowIT::alive));
        assertThat(clusters.current()).isEmpty();
        assertThat(Samples.files(tmp.resolve("out"))).noneMatch(f -> f.contains(".part"));
    }

    @Test
    void atTheDefaultSizeTheTimingsColumnsAllFitAndTheEngineColumnsFitOrScroll(FxRobot robot) throws Exception {
        // given the window at its default size (1280 x 860, the settings of start()) with the Timings tab shown
        robot.clickOn("#timingsTab");
        WaitForAsyncUtils.waitForFxEvents();

        // then every Timings column is in the table, and the table within the window
        TableView<?> timings = robot.lookup("#resultsTable").queryAs(TableView.class);
        assertThat(onFx(() -> columnsFit(timings))).as(onFx(() -> layout(timings))).isTrue();
        // and the engine columns either fit or can be scrolled to
        TableView<?> engines = robot.lookup("#engineTable").queryAs(TableView.class);
        assertThat(onFx(() -> columnsFit(engines) || horizontalBarShown(engines))).as(onFx(() -> layout(engines)))
                .isTrue();
    }

    private static boolean columnsFit(TableView<?> table) {
        double columns = table.getVisibleLeafColumns().stream().mapToDouble(c -> c.getWidth()).sum();
        double right = table.localToScene(table.getLayoutBounds()).getMaxX();
        return columns <= table.getWidth() && right <= table.getScene().getWidth();
    }

    private static boolean horizontalBarShown(TableView<?> table) {
        return table.lookupAll(".scroll-bar").stream().anyMatch(n -> n instanceof javafx.scene.control.ScrollBar bar
                && bar.getOrientation() == javafx.geometry.Orientation.HORIZONTAL && bar.isVisible());
    }

    /** What a failure says: the table's and its columns' widths, and its ancestors'. */
    private static String layout(TableView<?> table) {
        return String.format(java.util.Locale.ROOT, "%s %.0f px wide, columns (width/min): %s; in %s", table.getId(),
                table.getWidth(), table.getVisibleLeafColumns().stream().map(c -> String.format(java.util.Locale.ROOT,
                        "%s %.0f/%.0f", c.getText(), c.getWidth(), c.getMinWidth())).toList(),
                ancestors(table.getParent()));
    }

    /** Each ancestor of {@code node}: its class, width and least width, for a failure's message. */
    private static String ancestors(Node node) {
        StringBuilder s = new StringBuilder();
        for (Node n = node; n != null; n = n.getParent()) {
            s.append(n.getClass().getSimpleName()).append(String.format(java.util.Locale.ROOT, " %.0f/min %.0f",
                    n.getLayoutBounds().getWidth(), n.minWidth(-1))).append(" < ");
        }
        return s.toString();
    }

    @Test
    void ctrlQClosesTheWindowAsItsCloseButtonDoes(FxRobot robot) throws Exception {
        List<Long> pids = readyEnginePids();
        robot.clickOn("#imageTable");

        robot.press(KeyCode.CONTROL, KeyCode.Q).release(KeyCode.Q, KeyCode.CONTROL);

        await().atMost(Duration.ofSeconds(5)).until(() -> !onFx(stage::isShowing));
        await().atMost(Duration.ofSeconds(10)).until(() -> pids.stream().noneMatch(GreylabWindowIT::alive));
        assertThat(clusters.current()).isEmpty();
    }

    @Test
    void tenThousandImagesLoadWhileTheWindowStaysResponsiveAndScrollToTheEnd(FxRobot robot) throws Exception {
        // given a folder of 10,000 small images (hard links to one sample where the file system allows)
        Path folder = Files.createDirectories(tmp.resolve("ten-thousand"));
        Path sample = Samples.file("space/shuttle.png");
        Assumptions.assumeTrue(Files.isRegularFile(sample), "needs assets/samples/space/shuttle.png");
        for (int i = 0; i < 10_000; i++) {
            Path link = folder.resolve(String.format("img-%05d.png", i));
            try {
                Files.createLink(link, sample);
            } catch (UnsupportedOperationException | java.io.IOException e) {
                Files.copy(sample, link);
            }
        }
        robot.clickOn("#clearInputs");
        TableView<?> table = robot.lookup("#imageTable").queryAs(TableView.class);

        // when it is added, the FX thread answers within 2 s all the while rows, headers and thumbnails load
        robot.interact(() -> model.input().addFolder(folder));
        AtomicInteger roundTrips = new AtomicInteger();
        await("10,000 rows with their pixel sizes").atMost(Duration.ofSeconds(60))
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50)).until(() -> {
                    if (onFx(() -> table.getItems().size() == 10_000 && !model.input().scanningProperty().get()
                            && !"".equals(((org.greylab.app.input.ImageRow) table.getItems().get(9_999))
                            .pixelSizeProperty().get()))) {
                        return true;
                    }
                    // not loaded yet: the FX thread must still answer within 2 s (a failure here ends the wait)
                    long start = System.nanoTime();
                    WaitForAsyncUtils.asyncFx(() -> null).get(2, TimeUnit.SECONDS);
                    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
                    roundTrips.incrementAndGet();
                    return false;
                });

        // then the list holds 10,000 rows and scrolls to the last one
        assertThat(roundTrips.get()).isPositive();
        assertThat(onFx(() -> table.getItems().size())).isEqualTo(10_000);
        robot.interact(() -> table.scrollTo(9_999));
        WaitForAsyncUtils.waitForFxEvents();
        Object last = onFx(() -> table.getItems().get(9_999));
        await().atMost(Duration.ofSeconds(10)).until(() -> onFx(() -> robot.lookup(".table-row-cell")
                .queryAllAs(TableRow.class).stream().anyMatch(r -> r.isVisible() && r.getItem() == last)));
        assertThat(onFx(() -> ((org.greylab.app.input.ImageRow) last).relativePath())).isEqualTo("img-09999.png");
        // the whole list stays responsive after it loaded too
        WaitForAsyncUtils.asyncFx(() -> null).get(2, TimeUnit.SECONDS);
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
