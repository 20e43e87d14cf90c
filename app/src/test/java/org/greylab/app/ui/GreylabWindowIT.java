package org.greylab.app.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableView;
import javafx.scene.input.DragEvent;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.greylab.app.engines.HazelcastClusterService;
import org.greylab.app.results.ResultRow;
import org.greylab.app.settings.SettingsStore;
import org.greylab.app.settings.WindowSettings;
import org.greylab.app.testing.Samples;
import org.greylab.app.testing.SyntheticDrag;
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

    @Start
    void start(Stage stage) throws Exception {
        Path settings = Files.createTempFile(tmp, "settings-", ".json");
        Files.delete(settings);
        SettingsStore store = new SettingsStore(settings);
        WindowSettings d = WindowSettings.defaults();
        store.save(new WindowSettings(List.of(Samples.folder().toString()), tmp.resolve("out").toString(), null,
                "compare", 2, d.labAddresses(), "", "keep", "skimage", "overwrite", false, 1280, 860));
        model = new MainViewModel(AppExecutor.forFx(), new HazelcastClusterService(), store, Samples.repo(),
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
        assertThat(onFx(() -> ((Stage) robot.window(0)).getTitle())).isEqualTo("Greylab");
        assertThat(robot.lookup("#run").queryAs(Button.class).isDisabled()).isFalse();
    }

    @Test
    void droppingAFolderShowsTheDropTargetAndAddsItsImages(FxRobot robot) throws Exception {
        // given an empty list and a folder of two photos
        robot.clickOn("#clearInputs");
        Path folder = Files.createDirectories(tmp.resolve("dropped"));
        for (Path p : Samples.smallest(2)) {
            Files.copy(p, folder.resolve(p.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
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
        List<String> modes = onFx(() -> results.getItems().stream().map(r -> ((ResultRow) r).mode()).toList());
        assertThat(modes).containsExactly("serial", "direct", "balanced");
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
        Path folder = Files.createDirectories(tmp.resolve("many"));
        Path biggest = Samples.images().stream().max((a, b) -> Long.compare(Samples.size(a), Samples.size(b)))
                .orElseThrow();
        for (int i = 0; i < 60; i++) {
            Files.copy(biggest, folder.resolve("copy-" + i + biggest.getFileName()),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        robot.clickOn("#clearInputs");
        robot.interact(() -> model.input().addFolder(folder));
        await().atMost(Duration.ofSeconds(20)).until(() -> onFx(() -> model.input().images().size()) == 60);
        robot.clickOn("#modeSerial");
        robot.clickOn("#run");
        await().atMost(Duration.ofSeconds(60)).until(() -> onFx(() -> model.run().progressProperty().get() > 0));

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
}
