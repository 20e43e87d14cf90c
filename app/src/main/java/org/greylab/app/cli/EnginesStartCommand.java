package org.greylab.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.greylab.core.schedule.EngineCluster;
import org.greylab.engine.client.ClusterFile;
import org.greylab.engine.client.EngineConnectException;
import org.greylab.engine.client.LocalEngines;
import org.greylab.engine.client.HazelcastEngineCluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code greylab engines start}, like {@code ipcluster start -n N}: N local engines that stay running after the
 * command, for the next {@code convert}, {@code bench} or window, until {@code greylab engines stop} or an idle
 * timeout. A small process of Greylab's own holds them ({@code engines hold}, in a session of its own): the engines
 * stop when it ends, and it ends when they have all stopped.
 */
@Command(name = "start", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"Starts local engines (127.0.0.1 only) that stay running, and lists them. convert, bench,"
                + " engines and the window use them while they run; each stops after --idle-timeout without a"
                + " task, or with 'greylab engines stop'. Their cluster file (0600) is in $XDG_RUNTIME_DIR/greylab/,"
                + " or ~/.cache/greylab/."},
        footer = {"", "Exit status: 0 engines running, 2 usage error or the engines did not start."})
final class EnginesStartCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(EnginesStartCommand.class);
    private static final Duration START_WAIT = Duration.ofSeconds(90);

    @Spec
    CommandSpec spec;

    @Option(names = "--engines", paramLabel = "N", description = "How many (default: 2, or one per core if more).")
    Integer engines;

    @Option(names = "--slots", paramLabel = "N", description = "Images each converts at once (default: 1).")
    Integer slots;

    @Option(names = "--idle-timeout", paramLabel = "TIME", defaultValue = "30m", converter = Durations.class,
            description = "Each engine stops after this long without a task: 90s, 30m, 2h"
                    + " (default: ${DEFAULT-VALUE}).")
    Duration idleTimeout;

    @Option(names = "--cluster-file", paramLabel = "FILE", description = "Where to write their cluster file"
            + " (default: $XDG_RUNTIME_DIR/greylab/local.cluster, or ~/.cache/greylab/local.cluster).")
    Path clusterFile;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        EngineOptions.validateLocal(spec, engines, slots);
        int n = engines == null ? EngineCluster.defaultLocalEngines() : engines;
        int s = slots == null ? EngineCluster.DEFAULT_LOCAL_SLOTS : slots;
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new ParameterException(spec.commandLine(), "--idle-timeout must be positive, such as 30m");
        }
        Path path = clusterFile != null ? clusterFile : ClusterFile.defaultPath();
        long t0 = System.nanoTime();
        try (HazelcastEngineCluster already = RunningEngines.open(path, false, out).orElse(null)) {
            if (already != null) {
                out.println("Engines are already running; 'greylab engines stop' ends them.");
                EnginesCommand.print(out, already.engines());
                out.flush();
                return 0;
            }
        }
        Process holder;
        Path log = Path.of(path + ".log");
        try {
            Files.createDirectories(path.toAbsolutePath().getParent());
            Files.deleteIfExists(path);
            Files.deleteIfExists(log);
            // the engines' log names the user's files: for this user only, like the cluster file
            if (log.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(log, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")));
            }
            holder = new ProcessBuilder(holderCommand(n, s, path)).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            LOG.debug("holder not started", e);
            err.println("greylab: the engines could not be started: " + e.getMessage());
            err.flush();
            return 2;
        }
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        Optional<ClusterFile> file = Optional.empty();
        while (file.isEmpty() && holder.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            try {
                file = ClusterFile.read(path);
            } catch (IOException e) {
                file = Optional.empty();
            }
        }
        if (file.isEmpty()) {
            holder.destroy();
            err.println("greylab: the engines did not start; their log: " + log);
            err.flush();
            return 2;
        }
        try (HazelcastEngineCluster cluster = HazelcastEngineCluster.connect(file.get().clusterName(),
                file.get().addresses(), Duration.ofSeconds(10))) {
            // warm now, as bench and the window have theirs: engines that stay running are for the next run to
            // find ready, not cold
            EngineOptions.awaitWarmUp(cluster);
            out.printf(Locale.ROOT, "%d local engine(s) running, ready and warm in %.2f s; each stops after %s"
                    + " without a task, or with 'greylab engines stop'%n", cluster.engines().size(), (System.nanoTime() - t0) / 1e9,
                    Durations.words(idleTimeout));
            EnginesCommand.print(out, cluster.engines());
            out.println("Cluster file: " + path);
            out.flush();
            return 0;
        } catch (EngineConnectException e) {
            err.println("greylab: " + e.getMessage());
            err.flush();
            return 2;
        }
    }

    /** This program again, as {@code engines hold}, in a session of its own so that it outlives the terminal. */
    private List<String> holderCommand(int n, int s, Path path) {
        List<String> command = new ArrayList<>(LocalEngines.ownSessionPrefix());
        String self = ProcessHandle.current().info().command().orElse("java");
        boolean java = Path.of(self).getFileName().toString().startsWith("java");
        command.add(self);
        if (java) {
            // the same classpath and the same greylab.* settings (where the engine jar is, the home folder)
            System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("greylab."))
                    .sorted().forEach(k -> command.add("-D" + k + "=" + System.getProperty(k)));
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.greylab.app.Main"));
        }
        command.addAll(List.of("engines", "hold", "--engines", Integer.toString(n), "--slots", Integer.toString(s),
                "--idle-timeout", idleTimeout.toSeconds() + "s", "--cluster-file", path.toString()));
        return command;
    }
}
