package org.greylab.app.engines;

import java.util.Optional;
import org.greylab.core.schedule.EngineCluster;

/**
 * The window's one way to engines: starts a local cluster or connects to a lab one, and holds it for the runs.
 * Calls block (starting engines takes seconds): view models call them through the
 * {@link org.greylab.app.fx.AppExecutor}, never on the FX thread. Failures are {@link ClusterException}s whose
 * message is a sentence for the user.
 */
public interface ClusterService extends AutoCloseable {

    /** Whether this build can run engines at all (the direct and balanced modes). */
    boolean available();

    /**
     * Starts {@code engines} engine processes on this machine (like {@code ipcluster start -n N}) and returns once
     * all are members; replaces any cluster held before.
     */
    EngineCluster startLocal(int engines) throws ClusterException;

    /**
     * Begins {@link #startLocal} for {@code engines} in the background, before anyone asks: the window calls it
     * before JavaFX starts, and its later {@code startLocal} with the same count takes what this started. Does
     * nothing where there are no engines.
     */
    default void startLocalEarly(int engines) {
    }

    /** Connects to lab engines at {@code addresses} ({@code host[:port],...}) of cluster {@code clusterName}. */
    EngineCluster connect(String addresses, String clusterName) throws ClusterException;

    /**
     * {@link #connect(String, String)} with the lab cluster's key file ({@code --key-file}); null or blank for
     * engines without a key.
     */
    default EngineCluster connect(String addresses, String clusterName, String keyFile) throws ClusterException {
        if (keyFile != null && !keyFile.isBlank()) {
            throw new ClusterException("This window cannot use a cluster key.", null);
        }
        return connect(addresses, clusterName);
    }

    /**
     * One host of a start over ssh, in words, as the panel's host rows show it.
     *
     * @param host    the host as given ({@code [user@]host[:N]})
     * @param engines engines ready of those asked ({@code 1/2}); "" while starting
     * @param address where they listen ("" until known)
     * @param seconds seconds until ready or failed ("" while starting)
     * @param state   {@code starting}, {@code running} or {@code failed: why}
     */
    record HostProgress(String host, String engines, String address, String seconds, String state) {
    }

    /**
     * Starts engines on other machines over ssh, like {@code greylab engines start --ssh HOSTS}, writes their cluster
     * file (so the command line and later windows find them) and holds a client of them; {@code progress} hears each
     * host when it starts and again when it is running or has failed (on a background thread). The engines stay
     * when the window closes; {@link #stopOverSsh()} stops them.
     */
    default EngineCluster startOverSsh(String hosts, java.util.function.Consumer<HostProgress> progress)
            throws ClusterException {
        throw new ClusterException("This build cannot start engines over ssh.", null);
    }

    /** Stops the engines started over ssh (on their hosts) and forgets them; says in words what happened. */
    default String stopOverSsh() throws ClusterException {
        return "No engines were started over ssh.";
    }

    /** Disconnects, and stops the engines it started itself. Harmless when nothing is held. */
    void disconnect();

    /** The cluster held now. */
    Optional<EngineCluster> current();

    /**
     * The cluster held now; while one is being started or connected, waits for it up to {@code max} (a run pressed
     * while local engines start runs its serial part first and then finds them here).
     */
    Optional<EngineCluster> awaitCluster(java.time.Duration max) throws InterruptedException;

    /** Whether the cluster held now was started here (so closing the window stops it). */
    boolean holdsLocalEngines();

    @Override
    default void close() {
        disconnect();
    }
}
