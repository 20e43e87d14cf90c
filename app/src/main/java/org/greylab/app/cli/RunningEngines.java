package org.greylab.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.greylab.engine.client.ClusterFile;
import org.greylab.engine.client.EngineConnectException;
import org.greylab.engine.client.HazelcastEngineCluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The engines {@code greylab engines start} left running, found through their cluster file. */
final class RunningEngines {

    private static final Logger LOG = LoggerFactory.getLogger(RunningEngines.class);
    /** Engines on this machine answer at once; a file whose engines do not is stale. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

    private RunningEngines() {
    }

    /**
     * A client of the running engines, saying so on {@code out}; empty when there are none. A stale file (its
     * engines gone) is removed with a message. {@code explicit} is the file the user named ({@code --cluster-file});
     * for that one, no running engines is an error.
     *
     * @throws EngineConnectException (NO_ANSWER) when the file the user named holds no running engines
     */
    static Optional<HazelcastEngineCluster> connect(Path explicit, PrintWriter out) {
        return explicit != null ? open(explicit, true, out) : open(ClusterFile.defaultPath(), false, out);
    }

    /** As {@link #connect}, for the file at {@code path}; {@code explicit}: the user named it. */
    static Optional<HazelcastEngineCluster> open(Path path, boolean explicit, PrintWriter out) {
        Optional<ClusterFile> file;
        try {
            file = ClusterFile.read(path);
        } catch (IOException e) {
            LOG.debug("cluster file {} not read", path, e);
            return stale(path, explicit, out, "it cannot be read (" + e.getMessage() + ")");
        }
        if (file.isEmpty()) {
            if (explicit) {
                throw new EngineConnectException(EngineConnectException.Reason.NO_ANSWER, "There is no cluster file "
                        + path + ": start engines with 'greylab engines start --cluster-file " + path + "'.", null);
            }
            return Optional.empty();
        }
        ClusterFile running = file.get();
        if (!running.holderAlive()) {
            return stale(path, explicit, out, "the process that held them (pid " + running.holderPid()
                    + ") has ended");
        }
        try {
            HazelcastEngineCluster cluster = HazelcastEngineCluster.connect(running.clusterName(),
                    running.addresses(), CONNECT_TIMEOUT);
            out.printf("Using the %d engine(s) of 'greylab engines start' (%s)%n", cluster.engines().size(), path);
            out.flush();
            return Optional.of(cluster);
        } catch (EngineConnectException e) {
            LOG.debug("engines of {} did not answer", path, e);
            return stale(path, explicit, out, "its engines do not answer");
        }
    }

    private static Optional<HazelcastEngineCluster> stale(Path path, boolean explicit, PrintWriter out, String why) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.debug("stale cluster file {} not removed", path, e);
        }
        String said = "The engines of " + path + " are gone: " + why + "; the file is removed.";
        if (explicit) {
            throw new EngineConnectException(EngineConnectException.Reason.NO_ANSWER, said
                    + " Start them again with 'greylab engines start --cluster-file " + path + "'.", null);
        }
        out.println(said);
        out.flush();
        return Optional.empty();
    }
}
