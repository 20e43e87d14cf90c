package org.greylab.app.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.greylab.app.cli.GreylabCli;
import org.greylab.app.engines.NoEnginesService;
import org.greylab.app.fx.AppExecutor;
import org.greylab.app.input.ImageRow;
import org.greylab.app.instance.InstanceChannel;
import org.greylab.app.settings.SettingsStore;
import org.greylab.core.testing.Samples;
import org.greylab.core.testing.TestFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * {@code greylab FOLDER} through the command line's own code, in this JVM: the window (headless, on Monocle) opens
 * on that folder, and a second {@code greylab OTHER} hands OTHER to it. Only how the window is shown differs from
 * the app: in the robot's stage, without local engines, instead of {@code Application.launch}.
 */
@ExtendWith(ApplicationExtension.class)
class OpenOnPathsIT {

    @TempDir
    static Path tmp;

    private Stage stage;
    private Path socket;
    private final CompletableFuture<MainViewModel> shown = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private CompletableFuture<Integer> firstGreylab;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        socket = Files.createTempDirectory(tmp, "run").resolve("greylab/window.socket");
    }

    @AfterEach
    void close() throws Exception {
        if (shown.isDone()) {
            Platform.runLater(() -> GreylabWindow.close(shown.join(), () -> closed.complete(null)));
            assertThat(firstGreylab.get(30, TimeUnit.SECONDS)).isZero();
        }
    }

    /** Shows the session in the robot's stage, as GreylabApp does, and returns when the window has closed. */
    private WindowLauncher launcher() {
        return new WindowLauncher(new InstanceChannel(socket), session -> {
            Path settings = Files.createTempFile(tmp, "settings-", ".json");
            Files.delete(settings);
            Platform.runLater(() -> {
                MainViewModel model = new MainViewModel(AppExecutor.forFx(), new NoEnginesService(),
                        new SettingsStore(settings), Samples.repo(), folder -> { });
                model.startUp(session.inputs());
                GreylabWindow.show(stage, model, () -> closed.complete(null));
                GreylabWindow.followRequests(stage, model, session.server());
                shown.complete(model);
            });
            closed.get(5, TimeUnit.MINUTES);
        });
    }

    /** {@code greylab ARGS...} in this JVM: the first one blocks while its window is open. */
    private CompletableFuture<Integer> greylab(String... args) {
        return CompletableFuture.supplyAsync(() -> GreylabCli.run(args, new PrintWriter(out, true),
                new PrintWriter(err, true), launcher()));
    }

    private static <T> T onFx(Callable<T> read) throws Exception {
        return WaitForAsyncUtils.asyncFx(read).get(10, TimeUnit.SECONDS);
    }

    private List<String> listed(FxRobot robot) throws Exception {
        TableView<?> table = robot.lookup("#imageTable").queryAs(TableView.class);
        return onFx(() -> table.getItems().stream().map(row -> ((ImageRow) row).source().getFileName().toString())
                .sorted().toList());
    }

    private static List<String> names(Path folder) throws Exception {
        try (var files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void greylabFolderOpensTheWindowListingThatFoldersImages(FxRobot robot) throws Exception {
        Path trip = TestFiles.copyInto(tmp.resolve("trip"), Samples.smallest(3));

        firstGreylab = greylab(trip.toString());

        shown.get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(20)).until(() -> listed(robot).equals(names(trip)));
        assertThat(onFx(stage::getTitle)).isEqualTo("Greylab \u2014 trip");
        assertThat(robot.lookup("#inputLeftOut").queryAs(Label.class).isVisible()).isFalse();
    }

    @Test
    void aSecondGreylabAddsItsFolderToTheSameWindowWithinTwoSecondsAndExitsZero(FxRobot robot) throws Exception {
        Path trip = TestFiles.copyInto(tmp.resolve("trip2"), Samples.smallest(2));
        Path other = TestFiles.copyInto(tmp.resolve("other"), Samples.images().subList(0, 1));
        firstGreylab = greylab(trip.toString());
        MainViewModel model = shown.get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(20)).until(() -> listed(robot).size() == 2);

        long start = System.nanoTime();
        int status = greylab(other.toString()).get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> listed(robot).containsAll(names(other)));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(millis).isLessThan(2000);
        assertThat(status).isZero();
        assertThat(out.toString()).contains("Added to the Greylab window already open.");
        assertThat(listed(robot)).containsAll(names(trip));
        assertThat(onFx(() -> List.copyOf(model.input().sources()))).containsExactly(trip, other);
        assertThat(firstGreylab).isNotDone();
    }

    @Test
    void aBareGreylabBringsTheWindowAlreadyOpenToTheFrontAndChangesNothing(FxRobot robot) throws Exception {
        Path trip = TestFiles.copyInto(tmp.resolve("trip3"), Samples.smallest(1));
        firstGreylab = greylab(trip.toString());
        MainViewModel model = shown.get(30, TimeUnit.SECONDS);

        int status = greylab().get(10, TimeUnit.SECONDS);

        assertThat(status).isZero();
        assertThat(out.toString()).contains("The Greylab window already open is in front.");
        assertThat(onFx(() -> List.copyOf(model.input().sources()))).containsExactly(trip);
    }

    @Test
    void aPathThatDoesNotExistIsShownAsLeftOutInTheWindow(FxRobot robot) throws Exception {
        Path trip = TestFiles.copyInto(tmp.resolve("trip4"), Samples.smallest(1));
        Path missing = tmp.resolve("not here");

        firstGreylab = greylab(trip.toString(), missing.toString());

        shown.get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(20)).until(() -> listed(robot).equals(names(trip)));
        Label leftOut = robot.lookup("#inputLeftOut").queryAs(Label.class);
        assertThat(onFx(leftOut::isVisible)).isTrue();
        assertThat(onFx(leftOut::getText)).contains(missing.toString()).contains("does not exist");
        assertThat(onFx(() -> robot.listWindows().size())).isEqualTo(1);
    }
}
