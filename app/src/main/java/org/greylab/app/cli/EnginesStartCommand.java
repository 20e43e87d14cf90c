package org.greylab.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.greylab.core.schedule.EngineCluster;
import org.greylab.core.schedule.EngineInfo;
import org.greylab.engine.client.ClusterFile;
import org.greylab.engine.client.EngineConnectException;
import org.greylab.engine.client.EngineProcess;
import org.greylab.engine.client.HazelcastEngineCluster;
import org.greylab.engine.client.LocalEngines;
import org.greylab.engine.node.EngineNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code greylab engines start}, like {@code ipcluster start -n N}: N local engines that stay running after the
 * command, for the next {@code convert}, {@code bench} or window, until {@code greylab engines stop} or an idle
 * timeout. The engines run in a session of their own (they outlive the terminal), log to a file beside the cluster
 * file, and warm their kernel up by themselves once ready; the command returns as soon as every engine has printed
 * its ready line, listing them from those lines (connecting a client to ask them would cost more than they took).
 */
@Command(name = "start", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"Starts local engines (127.0.0.1 only) that stay running, and lists them. convert, bench,"
                + " engines and the window use them while they run; each stops after --idle-timeout without a"
                + " task, or with 'greylab engines stop'. Their cluster file (0600) is in $XDG_RUNTIME_DIR/greylab/,"
                + " or ~/.cache/greylab/.",
            "With --ssh or --hosts-file: starts them on other machines over your own ssh (keys, agent,"
                    + " ~/.ssh/config and known hosts as you have them; never a password prompt), copying the engine"
                    + " bundle into ~/.cache/greylab/ there when it is missing or differs. Nothing needs installing"
                    + " there: the bundle brings its own Java runtime."},
        footer = {"", "Exit status: 0 engines running, 1 some hosts failed (the others run), 2 usage error or no"
                + " engine started."})
final class EnginesStartCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(EnginesStartCommand.class);
    private static final Duration START_WAIT = Duration.ofSeconds(90);

    @Spec
    CommandSpec spec;

    @Option(names = "--engines", paramLabel = "N", description = "How many local engines (default: 2, or one per"
            + " core if more).")
    Integer engines;

    @Option(names = "--slots", paramLabel = "N", description = "Images each converts at once (default: 1; over"
            + " ssh: the host's processors).")
    Integer slots;

    @Option(names = "--idle-timeout", paramLabel = "TIME", defaultValue = "30m", converter = Durations.class,
            description = "Each engine stops after this long without a task: 90s, 30m, 2h"
                    + " (default: ${DEFAULT-VALUE}).")
    Duration idleTimeout;

    @Option(names = "--cluster-file", paramLabel = "FILE", description = "Where to write their cluster file"
            + " (default: $XDG_RUNTIME_DIR/greylab/local.cluster, or ~/.cache/greylab/local.cluster).")
    Path clusterFile;

    @Mixin
    SshStartOptions ssh = new SshStartOptions();

    @Override
    public Integer call() throws IOException {
        long t0 = System.nanoTime();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (ssh.given()) {
            if (engines != null) {
                throw new ParameterException(spec.commandLine(), "--engines counts local engines; over ssh each"
                        + " host says its own count: --ssh HOST:N (1 when not said).");
            }
            EngineOptions.validateLocal(spec, null, slots);
            if (idleTimeout.isNegative() || idleTimeout.isZero()) {
                throw new ParameterException(spec.commandLine(), "--idle-timeout must be positive, such as 30m");
            }
            Path path = clusterFile != null ? clusterFile : ClusterFile.defaultPath();
            if (runningFile(path, out).isPresent()) {
                out.println("Engines of " + path + " are already running; 'greylab engines stop"
                        + (clusterFile != null ? " --cluster-file " + path : "") + "' ends them, or give another"
                        + " --cluster-file.");
                out.flush();
                return 2;
            }
            return new SshStart(spec, ssh, slots, idleTimeout, path).run(out, err);
        }
        ssh.refuseWithoutHosts(spec);
        EngineOptions.validateLocal(spec, engines, slots);
        int n = engines == null ? EngineCluster.defaultLocalEngines() : engines;
        int s = slots == null ? EngineCluster.DEFAULT_LOCAL_SLOTS : slots;
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new ParameterException(spec.commandLine(), "--idle-timeout must be positive, such as 30m");
        }
        Path path = clusterFile != null ? clusterFile : ClusterFile.defaultPath();
        Optional<ClusterFile> running = runningFile(path, out);
        if (running.isPresent()) {
            // their pids say they run: no client is needed to know it, and connecting one would cost a second
            out.println("Engines are already running (" + running.get().addresses().size() + ", cluster "
                    + running.get().clusterName() + "); 'greylab engines' lists them, 'greylab engines stop' ends"
                    + " them.");
            out.println("Cluster file: " + path);
            out.flush();
            return 0;
        }
        Path log = Path.of(path + ".log");
        LocalEngines local;
        try {
            Files.createDirectories(path.toAbsolutePath().getParent());
            Files.deleteIfExists(log);
            // the engines' log names the user's files: for this user only, like the cluster file
            if (log.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(log, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")));
            }
            local = LocalEngines.start(LocalEngines.Options.of(n, s).withIdleTimeout(idleTimeout)
                    .withStartTimeout(START_WAIT).detached(log));
        } catch (IOException | EngineConnectException e) {
            LOG.debug("engines not started", e);
            err.println("greylab: the engines could not be started: " + e.getMessage());
            err.println("Their log: " + log);
            err.flush();
            return 2;
        }
        List<EngineProcess> processes = local.detach();
        new ClusterFile(local.clusterName(), local.addresses(),
                processes.stream().map(EngineProcess::pid).toList(), Instant.now(), local.key()).write(path);
        out.printf(Locale.ROOT, "%d local engine(s) running, ready in %.2f s (they warm up by themselves); each"
                + " stops after %s without a task, or with 'greylab engines stop'%n", processes.size(),
                (System.nanoTime() - t0) / 1e9, Durations.words(idleTimeout));
        EnginesCommand.print(out, listed(processes));
        out.println("Cluster file: " + path);
        out.println("Their log: " + log);
        out.flush();
        return 0;
    }

    /** The file at {@code path} when its engines still run; a stale one is removed, and said so. */
    private static Optional<ClusterFile> runningFile(Path path, PrintWriter out) {
        try {
            Optional<ClusterFile> file = ClusterFile.read(path);
            if (file.isEmpty()) {
                return file;
            }
            if (!file.get().runningEngines().isEmpty() || file.get().overSsh() && answers(file.get())) {
                return file;
            }
            out.println("The engines of " + path + " had stopped; the file is replaced.");
        } catch (IOException e) {
            out.println("The cluster file " + path + " could not be read (" + e.getMessage() + "); it is replaced.");
        }
        return Optional.empty();
    }

    /** Whether engines on other hosts answer: only a client can tell (their pids are not this machine's). */
    private static boolean answers(ClusterFile file) {
        try (HazelcastEngineCluster cluster = HazelcastEngineCluster.connect(file.clusterName(), file.addresses(),
                ClusterFile.SSH_ENGINES_TIMEOUT, file.key())) {
            return !cluster.engines().isEmpty();
        } catch (EngineConnectException e) {
            return false;
        }
    }

    /** The engines as their ready lines describe them, numbered in start order as a client would. */
    private static List<EngineInfo> listed(List<EngineProcess> processes) {
        List<EngineInfo> engines = new ArrayList<>();
        int cores = Runtime.getRuntime().availableProcessors();
        for (EngineProcess process : processes) {
            Optional<EngineNode.ReadyLine> line = process.readyLine().flatMap(EngineNode.ReadyLine::parse);
            if (line.isPresent()) {
                EngineNode.ReadyLine ready = line.get();
                engines.add(new EngineInfo(engines.size(), ready.name(), ready.address(), ready.slots(), cores,
                        ready.version(), ready.decoders()));
            }
        }
        return engines;
    }
}
