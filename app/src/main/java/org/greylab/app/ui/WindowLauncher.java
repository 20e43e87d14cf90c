package org.greylab.app.ui;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javafx.application.Application;
import org.greylab.app.engines.ClusterService;
import org.greylab.app.engines.ClusterServices;
import org.greylab.app.instance.InstanceChannel;
import org.greylab.app.instance.InstanceServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the window on some inputs, or hands them to the window this user already has open (one window per user,
 * through an {@link InstanceChannel}), or says why it cannot (no display), so the caller can point to the command
 * line.
 */
public final class WindowLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(WindowLauncher.class);

    /** The session {@link GreylabApp} opens: JavaFX creates the application itself, so it is handed over here. */
    private static volatile Session current;
    private static volatile ClusterService currentClusters;

    private final InstanceChannel channel;
    private final Show show;

    /** What happened; {@code why} in words when the window did not open. */
    public record Outcome(Result result, String why) {
    }

    public enum Result {
        /** The window opened here, and has closed. */
        CLOSED,
        /** The window already open took the inputs and was raised. */
        HANDED_OVER,
        /** There is no display, or the toolkit could not start. */
        NO_DISPLAY,
        /** A window is open but did not take the inputs. */
        FAILED
    }

    /**
     * What the window opens on.
     *
     * @param inputs      absolute folders and files; empty for the remembered ones
     * @param clusterFile where the window looks for running engines; null for the default file
     * @param server      where later {@code greylab} commands send their paths; null when there is no channel
     */
    public record Session(List<Path> inputs, Path clusterFile, InstanceServer server) {
        public Session {
            inputs = List.copyOf(inputs);
        }
    }

    /** Shows the window of a session and returns when it has closed. */
    @FunctionalInterface
    public interface Show {
        void show(Session session) throws Exception;
    }

    public WindowLauncher(InstanceChannel channel, Show show) {
        this.channel = channel;
        this.show = show;
    }

    /** This user's channel, and JavaFX's own launch. */
    public static WindowLauncher forUser() {
        return new WindowLauncher(InstanceChannel.forUser(), WindowLauncher::launch);
    }

    /** The session being shown by {@link GreylabApp}; null when it was not started by a launcher. */
    static Session current() {
        return current;
    }

    /**
     * Blocks while the window is open; returns at once when the window already open took the inputs.
     *
     * @param inputs      folders and files (made absolute here); empty for the remembered ones
     * @param clusterFile where the window looks for running engines; null for the default file
     */
    public Outcome open(List<Path> inputs, Path clusterFile) {
        String noDisplay = missingDisplay();
        if (noDisplay != null) {
            return new Outcome(Result.NO_DISPLAY, noDisplay);
        }
        List<Path> absolute = inputs.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        InstanceChannel.Claim claim = channel.claim(absolute);
        if (claim instanceof InstanceChannel.HandedOver) {
            if (clusterFile != null) {
                LOG.info("The window already open keeps its engines; --cluster-file {} is not used", clusterFile);
            }
            return new Outcome(Result.HANDED_OVER, null);
        }
        if (claim instanceof InstanceChannel.Unavailable unavailable && unavailable.windowRunning()) {
            return new Outcome(Result.FAILED, unavailable.why());
        }
        InstanceServer server = claim instanceof InstanceChannel.Serving serving ? serving.server() : null;
        try {
            show.show(new Session(absolute, clusterFile, server));
            return new Outcome(Result.CLOSED, null);
        } catch (UnsupportedOperationException | UnsatisfiedLinkError e) {
            LOG.debug("the window could not open", e);
            return new Outcome(Result.NO_DISPLAY, "the window could not open (" + e.getMessage() + ").");
        } catch (Exception e) {
            LOG.debug("the window could not open", e);
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            return new Outcome(Result.NO_DISPLAY, "the window could not open: " + message + ".");
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    private static void launch(Session session) {
        current = session;
        // the local engines start now, beside the JavaFX toolkit's own start (about 1.5 s on 2 cores), rather than
        // once the window's model asks for them; it takes them then (the window opens with them, as before)
        ClusterService clusters = ClusterServices.create(session.clusterFile());
        clusters.startLocalEarly(Math.max(1, GreylabApp.settingsStore().load().localEngines()));
        currentClusters = clusters;
        JavaFxWarnings.quietClassPathWarning();
        Application.launch(GreylabApp.class);
    }

    /** The cluster service the launcher made for the window (its engines already starting); null when none. */
    static ClusterService currentClusters() {
        return currentClusters;
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
