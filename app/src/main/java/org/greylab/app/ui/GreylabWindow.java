package org.greylab.app.ui;

import java.io.InputStream;
import java.util.List;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.geometry.Rectangle2D;
import javafx.scene.Scene;
import javafx.scene.image.Image;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.stage.Screen;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;
import org.greylab.app.instance.InstanceServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the main view on a stage: theme, stylesheet, icon, title, keyboard shortcuts (Ctrl+Q closes as the window's
 * close button does), and a close that cancels a run and stops local engines off the FX thread before the toolkit
 * exits. Shared by the app and the robot tests.
 */
public final class GreylabWindow {

    private static final Logger LOG = LoggerFactory.getLogger(GreylabWindow.class);
    static final int[] ICON_SIZES = {16, 24, 32, 48, 64, 128, 256, 512, 1024};

    /** Room left for the window manager's title bar when the window is fitted to the screen. */
    private static final double TITLE_BAR_ALLOWANCE = 40;

    private GreylabWindow() {
    }

    /**
     * Shows {@code model} on {@code stage}.
     *
     * @param onClosed runs (on the FX thread) after the window closed and everything was stopped
     */
    public static MainView show(Stage stage, MainViewModel model, Runnable onClosed) {
        MainView view = new MainView(model);
        // the remembered size, but never larger than the screen (a window saved on a bigger monitor, or the default
        // on a 1280x800 laptop, would otherwise open with its toolbar above the top edge)
        Rectangle2D screen = Screen.getPrimary().getVisualBounds();
        Scene scene = new Scene(view, Math.min(model.widthProperty().get(), screen.getWidth()),
                Math.min(model.heightProperty().get(), screen.getHeight() - TITLE_BAR_ALLOWANCE));
        scene.getStylesheets().add(GreylabWindow.class.getResource("app.css").toExternalForm());
        applyTheme(model.darkProperty().get(), view);
        model.darkProperty().addListener((o, a, dark) -> applyTheme(dark, view));
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.O, KeyCombination.SHORTCUT_DOWN),
                view::chooseFolder);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.R, KeyCombination.SHORTCUT_DOWN),
                () -> model.run().run());
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.ESCAPE), () -> model.run().cancel());
        // quit as the window manager's close does: the same request, so the same saving and stopping
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.Q, KeyCombination.SHORTCUT_DOWN),
                () -> stage.fireEvent(new WindowEvent(stage, WindowEvent.WINDOW_CLOSE_REQUEST)));
        stage.titleProperty().bind(model.titleProperty());
        stage.getIcons().setAll(icons());
        stage.setScene(scene);
        stage.setMinWidth(900);
        stage.setMinHeight(600);
        stage.setOnCloseRequest(e -> {
            e.consume();
            model.widthProperty().set(stage.getWidth());
            model.heightProperty().set(stage.getHeight());
            stage.hide();
            close(model, onClosed);
        });
        stage.show();
        return view;
    }

    /**
     * Paths that later {@code greylab} commands send join the list, and the window comes to the front (a bare
     * {@code greylab} only raises it). The channel closes as soon as the window hides, so that a command started
     * while the window is closing opens a new one instead of handing its paths to a window that is going away.
     *
     * @param server null when this window has no channel
     */
    public static void followRequests(Stage stage, MainViewModel model, InstanceServer server) {
        if (server == null) {
            return;
        }
        stage.showingProperty().addListener((o, was, showing) -> {
            if (!showing) {
                model.executor().supply(() -> {
                    server.close();
                    return null;
                });
            }
        });
        server.onRequest(paths -> Platform.runLater(() -> {
            if (!stage.isShowing()) {
                return;
            }
            model.open(paths);
            raise(stage);
        }));
    }

    static void raise(Stage stage) {
        if (stage.isIconified()) {
            stage.setIconified(false);
        }
        stage.toFront();
        stage.requestFocus();
    }

    /** Cancels, saves and stops engines on a background thread, then calls {@code onClosed} on the FX thread. */
    public static void close(MainViewModel model, Runnable onClosed) {
        model.run().cancel();
        model.executor().supply(() -> {
            model.shutdown();
            return null;
        }).whenComplete((v, e) -> {
            if (e != null) {
                LOG.warn("Closing did not finish cleanly: {}", e.getMessage());
            }
            Platform.runLater(onClosed);
        });
    }

    /**
     * AtlantaFX's Primer theme, loaded by its stylesheet's path: AtlantaFX 2.1.0's classes are Java 21 bytecode,
     * its stylesheets plain CSS, so the window stays runnable on Java 17.
     */
    static void applyTheme(boolean dark, MainView view) {
        String css = dark ? "/atlantafx/base/theme/primer-dark.css" : "/atlantafx/base/theme/primer-light.css";
        java.net.URL url = GreylabWindow.class.getResource(css);
        Application.setUserAgentStylesheet(url == null ? Application.STYLESHEET_MODENA : url.toExternalForm());
        view.getStyleClass().removeAll("light", "dark");
        view.getStyleClass().add(dark ? "dark" : "light");
    }

    static List<Image> icons() {
        java.util.ArrayList<Image> list = new java.util.ArrayList<>();
        for (int size : ICON_SIZES) {
            try (InputStream in = GreylabWindow.class.getResourceAsStream("/org/greylab/app/icons/greylab-" + size
                    + ".png")) {
                if (in != null) {
                    list.add(new Image(in));
                }
            } catch (java.io.IOException e) {
                LOG.debug("icon {} could not be read", size, e);
            }
        }
        return list;
    }
}
