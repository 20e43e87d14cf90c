package org.greylab.app.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.greylab.engine.client.ClusterFile;
import org.greylab.engine.client.EngineConnectException;
import org.greylab.engine.client.HazelcastEngineCluster;

/** The engines {@code greylab engines start} left running, as the command line finds them and says so. */
final class RunningEngines {

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
        if (explicit && !Files.exists(path)) {
            throw new EngineConnectException(EngineConnectException.Reason.NO_ANSWER, "There is no cluster file "
                    + path + ": start engines with 'greylab engines start --cluster-file " + path + "'.", null);
        }
        List<String> gone = new ArrayList<>();
        Optional<HazelcastEngineCluster> cluster = ClusterFile.connectToRunning(path, CONNECT_TIMEOUT, gone::add);
        if (cluster.isPresent()) {
            out.printf("Using the %d engine(s) of 'greylab engines start' (%s)%n", cluster.get().engines().size(),
                    path);
        } else if (!gone.isEmpty() && explicit) {
            throw new EngineConnectException(EngineConnectException.Reason.NO_ANSWER, gone.get(0)
                    + " Start them again with 'greylab engines start --cluster-file " + path + "'.", null);
        } else {
            gone.forEach(out::println);
        }
        out.flush();
        return cluster;
    }
}
