package org.greylab.engine.node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.greylab.engine.security.ClusterKey;
import org.greylab.engine.security.KeyFileException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rotating an engine's key without a restart: on {@code SIGHUP} (the systemd unit's {@code ExecReload}) the engine
 * reads its key file again and from then on seals with the new key, while still accepting the old one for a grace
 * period, so that batches running under the old key finish. A key file that cannot be read leaves the key as it is.
 */
final class KeyReload {

    private static final Logger LOG = LoggerFactory.getLogger(KeyReload.class);

    private final EngineNode node;
    private final Path file;
    private final Duration grace;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "greylab-key-grace");
        thread.setDaemon(true);
        return thread;
    });
    private ClusterKey current;

    private KeyReload(EngineNode node, Path file, ClusterKey current, Duration grace) {
        this.node = node;
        this.file = file;
        this.current = current;
        this.grace = grace;
    }

    /** Re-reads {@code file} at every SIGHUP from now on. */
    static void onHangUp(EngineNode node, Path file, ClusterKey current, Duration grace) {
        KeyReload reload = new KeyReload(node, file, current, grace);
        sun.misc.SignalHandler previous = sun.misc.Signal.handle(new sun.misc.Signal("HUP"),
                signal -> reload.reload());
        if (previous == sun.misc.SignalHandler.SIG_IGN) {
            // a process started with SIGHUP ignored (nohup) keeps it ignored: the JVM installs no handler then
            LOG.warn("SIGHUP is ignored by this process (started under nohup?): a new key in {} is read only when"
                    + " the engine restarts", file);
        }
    }

    synchronized void reload() {
        ClusterKey next;
        try {
            next = ClusterKey.read(file);
        } catch (KeyFileException e) {
            LOG.warn("SIGHUP: the key is unchanged, because {}", e.getMessage());
            return;
        }
        if (next.equals(current)) {
            LOG.info("SIGHUP: {} holds the key in use; nothing changes", file);
            return;
        }
        ClusterKey old = current;
        current = next;
        node.useKeys(next, List.of(old));
        LOG.info("SIGHUP: new cluster key from {}; the old key is still accepted for {} s", file, grace.toSeconds());
        timer.schedule(() -> retire(next), grace.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void retire(ClusterKey keptKey) {
        if (current.equals(keptKey)) {
            node.useKeys(keptKey, List.of());
            LOG.info("the old cluster key is no longer accepted");
        }
    }
}
