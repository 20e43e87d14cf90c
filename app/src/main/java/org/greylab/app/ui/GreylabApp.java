package org.greylab.app.ui;

import java.nio.file.Path;
import java.util.List;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.greylab.app.fx.AppExecutor;
import org.greylab.app.engines.ClusterService;
import org.greylab.app.engines.ClusterServices;
import org.greylab.app.settings.SettingsStore;

/**
 * The JavaFX application. Started through {@link WindowLauncher} (from {@code greylab} and {@code greylab PATH...}),
 * never as the main class, so JavaFX works from the plain classpath.
 */
public final class GreylabApp extends Application {

    /** Overrides where settings are kept (tests and the screenshot script use a throw-away file). */
    public static final String SETTINGS_PROPERTY = "greylab.settings.file";

    private MainViewModel model;

    @Override
    public void start(Stage stage) {
        Platform.setImplicitExit(false);
        WindowLauncher.Session session = WindowLauncher.current();
        if (session == null) {
            session = new WindowLauncher.Session(List.of(), null, null);
        }
        AppExecutor executor = AppExecutor.forFx();
        ClusterService clusters = WindowLauncher.currentClusters();
        model = new MainViewModel(executor, clusters != null ? clusters : ClusterServices.create(session.clusterFile()),
                settingsStore(), home(), new DesktopFolderOpener(getHostServices()));
        model.startUp(session.inputs());
        GreylabWindow.show(stage, model, () -> {
            executor.close();
            Platform.exit();
        });
        GreylabWindow.followRequests(stage, model, session.server());
    }

    /** The settings file: {@link #SETTINGS_PROPERTY}'s, else the user's. */
    static SettingsStore settingsStore() {
        String settings = System.getProperty(SETTINGS_PROPERTY);
        return settings == null || settings.isBlank() ? SettingsStore.forUser() : new SettingsStore(Path.of(settings));
    }

    /** Where the bundled assets are: {@code -Dgreylab.home} (the launcher sets it), else the working folder. */
    public static Path home() {
        String home = System.getProperty("greylab.home");
        return (home == null || home.isBlank() ? Path.of("") : Path.of(home)).toAbsolutePath().normalize();
    }
}
