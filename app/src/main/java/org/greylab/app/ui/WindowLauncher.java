package org.greylab.app.ui;

import java.nio.file.Path;
import java.util.Locale;
import javafx.application.Application;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens the window, or says why it cannot (no display), so the caller can point to the command line. */
public final class WindowLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(WindowLauncher.class);

    /** What happened: the window ran and closed, or there was no display (and why, in words). */
    public record Outcome(boolean opened, String why) {
    }

    private WindowLauncher() {
    }

    /** Blocks while the window is open. */
    public static Outcome open() {
        return open(null);
    }

    /**
     * Blocks while the window is open.
     *
     * @param clusterFile where the window looks for running engines; null for the default file
     */
    public static Outcome open(Path clusterFile) {
        String noDisplay = missingDisplay();
        if (noDisplay != null) {
            return new Outcome(false, noDisplay);
        }
        try {
            if (clusterFile == null) {
                Application.launch(GreylabApp.class);
            } else {
                Application.launch(GreylabApp.class, "--" + GreylabApp.CLUSTER_FILE_PARAMETER + "="
                        + clusterFile.toAbsolutePath());
            }
            return new Outcome(true, null);
        } catch (UnsupportedOperationException | UnsatisfiedLinkError e) {
            LOG.debug("the window could not open", e);
            return new Outcome(false, "the window could not open (" + e.getMessage() + ").");
        } catch (RuntimeException e) {
            LOG.debug("the window could not open", e);
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            return new Outcome(false, "the window could not open: " + message + ".");
        }
    }

    /** Why there is no display, or null when there may be one. */
    static String missingDisplay() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.contains("win") || os.contains("mac")) {
            return null;
        }
        if (blank(System.getenv("DISPLAY")) && blank(System.getenv("WAYLAND_DISPLAY"))
                && !"Monocle".equalsIgnoreCase(System.getProperty("glass.platform"))) {
            return "there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set).";
        }
        return null;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
