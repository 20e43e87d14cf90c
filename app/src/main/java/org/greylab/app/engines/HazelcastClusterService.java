package org.greylab.app.engines;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.greylab.core.schedule.EngineCluster;
import org.greylab.engine.client.ClusterFile;
import org.greylab.engine.client.EngineAddress;
import org.greylab.engine.client.EngineConnectException;
import org.greylab.engine.client.HazelcastEngineCluster;
import org.greylab.engine.security.ClusterKey;
import org.greylab.engine.security.KeyFileException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Engines through engine-node's Hazelcast client: {@link HazelcastEngineCluster#startLocal} for local engines
 * ({@link EngineCluster#DEFAULT_LOCAL_SLOTS} each) and
 * {@link HazelcastEngineCluster#connect} for lab ones. Holds at most one cluster; a new one replaces it.
 */
public final class HazelcastClusterService implements ClusterService {

    private static final Logger LOG = LoggerFactory.getLogger(HazelcastClusterService.class);

    private static final Duration RUNNING_ENGINES_TIMEOUT = Duration.ofSeconds(3);

    private final Path clusterFile;
    private final Object lock = new Object();
    private HazelcastEngineCluster current;
    private boolean local;
    private int changing;

    /** Looks for running engines in the default cluster file. */
    public HazelcastClusterService() {
        this(null);
    }

    /** @param clusterFile where {@code greylab engines start} wrote its engines; null for the default file */
    public HazelcastClusterService(Path clusterFile) {
        this.clusterFile = clusterFile == null ? ClusterFile.defaultPath() : clusterFile;
    }

    @Override
    public boolean available() {
        return true;
    }

    /**
     * Adopts the engines of {@code greylab engines start} when they run (they stay when the window closes), else
     * starts {@code engines} of its own.
     */
    @Override
    public EngineCluster startLocal(int engines) throws ClusterException {
        begin();
        try {
            Optional<HazelcastEngineCluster> running = running();
            if (running.isPresent()) {
                return hold(running.get(), false);
            }
            HazelcastEngineCluster cluster = HazelcastEngineCluster.startLocal(engines,
                    EngineCluster.DEFAULT_LOCAL_SLOTS);
            // in the background: the engines show as ready now, and a run started meanwhile waits at most 1.5 s
            cluster.warmUp(HazelcastEngineCluster.DEFAULT_WARM_UP);
            return hold(cluster, true);
        } catch (EngineConnectException e) {
            throw new ClusterException(e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new ClusterException("The local engines could not start: " + e.getMessage(), e);
        } finally {
            end();
        }
    }

    @Override
    public EngineCluster connect(String addresses, String clusterName) throws ClusterException {
        return connect(addresses, clusterName, null);
    }

    @Override
    public EngineCluster connect(String addresses, String clusterName, String keyFile) throws ClusterException {
        ClusterKey key;
        try {
            key = keyFile == null || keyFile.isBlank() ? ClusterKey.none() : ClusterKey.read(Path.of(keyFile.trim()));
        } catch (KeyFileException | java.nio.file.InvalidPathException e) {
            throw new ClusterException(e.getMessage(), e);
        }
        List<EngineAddress> parsed;
        try {
            parsed = EngineAddress.parseList(addresses);
        } catch (IllegalArgumentException e) {
            throw new ClusterException("The engine addresses are not valid: " + e.getMessage()
                    + " (write host[:port], comma-separated).", e);
        }
        begin();
        try {
            return hold(HazelcastEngineCluster.connect(clusterName, parsed,
                    HazelcastEngineCluster.DEFAULT_CONNECT_TIMEOUT, key), false);
        } catch (EngineConnectException e) {
            throw new ClusterException(e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new ClusterException("The engines could not be reached: " + e.getMessage(), e);
        } finally {
            end();
        }
    }

    /** A client of the engines {@code greylab engines start} left running, if they answer. */
    private Optional<HazelcastEngineCluster> running() {
        return ClusterFile.connectToRunning(clusterFile, RUNNING_ENGINES_TIMEOUT,
                why -> LOG.info("{} Starting local engines.", why));
    }

    private void begin() {
        synchronized (lock) {
            changing++;
        }
        disconnect();
    }

    private void end() {
        synchronized (lock) {
            changing--;
            lock.notifyAll();
        }
    }

    private EngineCluster hold(HazelcastEngineCluster cluster, boolean startedHere) {
        synchronized (lock) {
            current = cluster;
            local = startedHere;
            lock.notifyAll();
            return cluster;
        }
    }

    @Override
    public void disconnect() {
        HazelcastEngineCluster old;
        synchronized (lock) {
            old = current;
            current = null;
            local = false;
        }
        if (old != null) {
            try {
                old.close();
            } catch (RuntimeException e) {
                LOG.warn("Closing the engine cluster failed: {}", e.getMessage());
            }
        }
    }

    @Override
    public Optional<EngineCluster> current() {
        synchronized (lock) {
            return Optional.ofNullable(current);
        }
    }

    @Override
    public Optional<EngineCluster> awaitCluster(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (lock) {
            while (current == null && changing > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
            return Optional.ofNullable(current);
        }
    }

    @Override
    public boolean holdsLocalEngines() {
        synchronized (lock) {
            return current != null && local;
        }
    }
}
