package org.greylab.app.engines;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.greylab.core.schedule.EngineCluster;
import org.greylab.engine.client.ClusterFile;
import org.greylab.engine.client.EngineAddress;
import org.greylab.engine.client.EngineConnectException;
import org.greylab.engine.client.HazelcastEngineCluster;
import org.greylab.engine.node.EngineNode;
import org.greylab.engine.security.ClusterKey;
import org.greylab.engine.security.KeyFileException;
import org.greylab.engine.ssh.SshCommands;
import org.greylab.engine.ssh.SshEngines;
import org.greylab.engine.ssh.SshHost;
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
    /** As {@code greylab engines start}'s default. */
    private static final Duration SSH_IDLE_TIMEOUT = Duration.ofMinutes(30);

    private final Path clusterFile;
    private final Object lock = new Object();
    private HazelcastEngineCluster current;
    private boolean local;
    private int changing;
    /** The start {@link #startLocalEarly} began and no {@link #startLocal} has taken yet; null when none. */
    private CompletableFuture<EngineCluster> early;
    private int earlyEngines;

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
        CompletableFuture<EngineCluster> started;
        boolean same;
        synchronized (lock) {
            started = early;
            same = engines == earlyEngines;
            early = null;
        }
        if (started != null) {
            EngineCluster cluster = awaitEarly(started);
            if (same) {
                return cluster;
            }
            // another count was asked for meanwhile: those engines go, the ones asked for come
            disconnect();
        }
        return startLocalNow(engines);
    }

    /**
     * Starts the engines on a thread of its own: the window's JavaFX start-up and the engines' boot then share the
     * cores, where before the engines were started only once the toolkit was up (1.5 s into the window's life).
     */
    @Override
    public void startLocalEarly(int engines) {
        CompletableFuture<EngineCluster> started = new CompletableFuture<>();
        synchronized (lock) {
            if (early != null || current != null) {
                return;
            }
            early = started;
            earlyEngines = engines;
        }
        Thread starter = new Thread(() -> {
            try {
                started.complete(startLocalNow(engines));
            } catch (ClusterException | RuntimeException e) {
                started.completeExceptionally(e);
            }
        }, "greylab-engines-early");
        starter.setDaemon(true);
        starter.start();
    }

    private static EngineCluster awaitEarly(CompletableFuture<EngineCluster> started) throws ClusterException {
        try {
            return started.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof ClusterException c) {
                throw c;
            }
            throw new ClusterException("The local engines could not start: " + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    private EngineCluster startLocalNow(int engines) throws ClusterException {
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

    /**
     * Starts engines over ssh as {@code greylab engines start --ssh} does (a fresh cluster name and key, the default
     * idle timeout), writes their cluster file where this window looks for running engines, and holds a client of
     * them.
     */
    @Override
    public EngineCluster startOverSsh(String hosts, Consumer<HostProgress> progress) throws ClusterException {
        List<SshHost> parsed;
        Path bundle;
        try {
            parsed = SshHost.parseList(hosts == null ? "" : hosts);
            bundle = SshEngines.findBundle();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ClusterException(e.getMessage(), e);
        }
        refuseOverRunningEngines();
        begin();
        try {
            parsed.forEach(host -> progress.accept(new HostProgress(host.toString(), "", "", "", "starting")));
            ClusterKey key = ClusterKey.generate();
            SshEngines.Started started = SshEngines.start(new SshEngines.Options(parsed, bundle,
                    new SshCommands(null, SshCommands.DEFAULT_CONNECT_TIMEOUT), null, null, SSH_IDLE_TIMEOUT,
                    SshEngines.DEFAULT_START_TIMEOUT, SshEngines.Options.newClusterName(), key),
                    row -> progress.accept(words(row)));
            if (started.running().isEmpty()) {
                throw new ClusterException("No engine started: " + String.join("; ", started.failed().stream()
                        .map(r -> r.host() + ": " + r.failure().describe()).toList()), null);
            }
            started.clusterFile(Instant.now(), null).write(clusterFile);
            return hold(HazelcastEngineCluster.connect(started.clusterName(), started.addresses(),
                    ClusterFile.SSH_ENGINES_TIMEOUT, key), false);
        } catch (IOException | RuntimeException e) {
            throw new ClusterException("The engines could not be started over ssh: " + e.getMessage(), e);
        } finally {
            end();
        }
    }

    /** The cluster file is where the new engines go: engines it names that may still run are never forgotten. */
    private void refuseOverRunningEngines() throws ClusterException {
        Optional<ClusterFile> file;
        try {
            file = ClusterFile.read(clusterFile);
        } catch (IOException e) {
            // unreadable: it is replaced, as 'greylab engines start' does
            return;
        }
        if (file.isPresent() && file.get().overSsh()) {
            throw new ClusterException("Engines started over ssh are listed in " + clusterFile + ": press Stop"
                    + " (SSH) first, or 'greylab engines stop'.", null);
        }
        if (file.isPresent() && !file.get().runningEngines().isEmpty()) {
            throw new ClusterException("The engines of 'greylab engines start' are running (" + clusterFile
                    + "): stop them first with 'greylab engines stop'.", null);
        }
    }

    private static HostProgress words(SshEngines.HostRow row) {
        String addresses = String.join(",", row.engines().stream().map(EngineNode.ReadyLine::address).toList());
        return new HostProgress(row.host().toString(), row.engines().size() + "/" + row.host().engines(),
                addresses.isEmpty() ? row.address() : addresses,
                String.format(Locale.ROOT, "%.2f", row.toReady().toNanos() / 1e9),
                row.failure() == null ? row.state().word() : row.state().word() + ": " + row.failure().describe());
    }

    @Override
    public String stopOverSsh() throws ClusterException {
        disconnect();
        try {
            Optional<ClusterFile> file = ClusterFile.read(clusterFile);
            if (file.isEmpty() || !file.get().overSsh()) {
                return "No engines started over ssh are running.";
            }
            List<SshEngines.HostStop> stops = SshEngines.stop(file.get(), new SshCommands(file.get().sshConfig(),
                    SshCommands.DEFAULT_CONNECT_TIMEOUT), stop -> { });
            List<String> unreached = stops.stream().filter(stop -> stop.failure() != null)
                    .map(stop -> stop.destination() + ": " + stop.failure().describe()).toList();
            if (!unreached.isEmpty()) {
                throw new ClusterException("Some hosts were not reached (their engines stop by themselves after"
                        + " their idle timeout): " + String.join("; ", unreached), null);
            }
            Files.deleteIfExists(clusterFile);
            return "Stopped " + stops.stream().mapToInt(SshEngines.HostStop::stopped).sum() + " engine(s) on "
                    + stops.size() + " host(s).";
        } catch (IOException e) {
            throw new ClusterException("The engines started over ssh could not be stopped: " + e.getMessage(), e);
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
