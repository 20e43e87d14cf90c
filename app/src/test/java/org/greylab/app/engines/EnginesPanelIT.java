package org.greylab.app.engines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.greylab.app.fx.AppExecutor;
import org.greylab.engine.ssh.SshEngines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** The engines panel's SSH row, driven by a robot: hosts typed, Start pressed, a row per host with its reason. */
@ExtendWith(ApplicationExtension.class)
class EnginesPanelIT {

    @TempDir
    static Path tmp;

    private HazelcastClusterService service;
    private String savedBundle;

    @Start
    void start(Stage stage) throws Exception {
        savedBundle = System.getProperty(SshEngines.BUNDLE_PROPERTY);
        System.setProperty(SshEngines.BUNDLE_PROPERTY,
                Files.writeString(tmp.resolve(SshEngines.bundleName()), "not used").toString());
        service = new HazelcastClusterService(tmp.resolve("ssh.cluster"));
        stage.setScene(new Scene(new EnginesView(new EnginesViewModel(AppExecutor.forFx(), service)), 900, 500));
        stage.show();
    }

    @AfterEach
    void close() {
        service.close();
        if (savedBundle == null) {
            System.clearProperty(SshEngines.BUNDLE_PROPERTY);
        } else {
            System.setProperty(SshEngines.BUNDLE_PROPERTY, savedBundle);
        }
    }

    private static <T> T onFx(Callable<T> read) throws Exception {
        FutureTask<T> task = new FutureTask<>(read);
        Platform.runLater(task);
        return task.get(10, TimeUnit.SECONDS);
    }

    @Test
    void givenAHostThatCannotBeReachedWhenStartIsPressedThenItsRowSaysWhyAndStopStaysOff(FxRobot robot)
            throws Exception {
        TableView<?> hosts = robot.lookup("#hostTable").queryAs(TableView.class);
        assertThat(onFx(hosts::isVisible)).as("no host table before a start").isFalse();

        robot.clickOn("#sshHosts").write("nosuchhost.invalid:2");
        robot.clickOn("#startSsh");

        await().atMost(Duration.ofSeconds(60)).until(() -> onFx(() -> hosts.getItems().size() == 1
                && ((HostRow) hosts.getItems().get(0)).stateProperty().get().startsWith("failed")));
        HostRow row = onFx(() -> (HostRow) hosts.getItems().get(0));
        assertThat(onFx(() -> row.hostProperty().get() + " | " + row.enginesProperty().get() + " | "
                + row.stateProperty().get())).startsWith("nosuchhost.invalid:2 | 0/2 | failed: unreachable");
        assertThat(onFx(hosts::isVisible)).isTrue();
        Label error = robot.lookup("#enginesError").queryAs(Label.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> onFx(() -> error.getText().startsWith(
                "No engine started")));
        assertThat(robot.lookup("#stopSsh").queryAs(Button.class).isDisabled()).isFalse();
    }
}
