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
