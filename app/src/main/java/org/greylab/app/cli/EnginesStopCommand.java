package org.greylab.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.greylab.engine.client.ClusterFile;
import org.greylab.engine.ssh.SshCommands;
import org.greylab.engine.ssh.SshEngines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code greylab engines stop}: ends the engines of {@code greylab engines start}, and nothing else. */
@Command(name = "stop", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Stops the engines that 'greylab engines start' left running, on this machine or, for"
                + " engines started with --ssh, on their hosts over ssh.",
        footer = {"", "Exit status: 0 stopped (or none were running), 1 they did not stop in time or a host was"
                + " not reached."})
final class EnginesStopCommand implements Callable<Integer> {

    private static final long STOP_WAIT_SECONDS = 20;

    @Spec
    CommandSpec spec;

    @Option(names = "--cluster-file", paramLabel = "FILE", description = "Their cluster file (default: the one"
            + " 'greylab engines start' writes).")
    Path clusterFile;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        Path path = clusterFile != null ? clusterFile : ClusterFile.defaultPath();
        Optional<ClusterFile> file;
        try {
            file = ClusterFile.read(path);
        } catch (IOException e) {
            Files.deleteIfExists(path);
            out.println("The cluster file " + path + " could not be read (" + e.getMessage() + "); it is removed.");
            out.flush();
            return 0;
        }
        if (file.isEmpty()) {
            out.println("No engines of 'greylab engines start' are running (no " + path + ").");
            out.flush();
            return 0;
        }
        if (file.get().overSsh()) {
            return stopOverSsh(file.get(), path, out);
        }
        List<ProcessHandle> engines = file.get().runningEngines();
        if (engines.isEmpty()) {
            Files.deleteIfExists(path);
            out.println("The engines of " + path + " had already stopped; the file is removed.");
            out.flush();
            return 0;
        }
        // SIGTERM: each engine leaves the cluster in order and ends
        engines.forEach(ProcessHandle::destroy);
        try {
            CompletableFuture.allOf(engines.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new))
                    .get(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            spec.commandLine().getErr().println("greylab: the engines of " + path + " did not stop within "
                    + STOP_WAIT_SECONDS + " s (pid " + String.join(", ", engines.stream()
                    .filter(ProcessHandle::isAlive).map(p -> Long.toString(p.pid())).toList()) + ")");
            spec.commandLine().getErr().flush();
            return 1;
        }
        Files.deleteIfExists(path);
        out.printf("Stopped the %d engine(s) of cluster %s%n", file.get().addresses().size(),
                file.get().clusterName());
        Path log = Path.of(path + ".log");
        if (Files.exists(log) && Files.size(log) > 0) {
            out.println("Their log: " + log);
        } else {
            // nothing to read in it: not left behind
            Files.deleteIfExists(log);
        }
        out.flush();
        return 0;
    }

    /**
     * Asks each host over ssh to stop the file's engines there. The file (and the key file that start wrote beside
     * it) goes once every host has answered; a host that could not be reached keeps it, so that a later stop can
     * try again (its engines still end on their idle timeout).
     */
    private int stopOverSsh(ClusterFile file, Path path, PrintWriter out) throws IOException {
        out.printf("Stopping the engines of cluster %s on %d host(s) over ssh...%n", file.clusterName(),
                file.sshHosts().size());
        out.flush();
        List<SshEngines.HostStop> stops = SshEngines.stop(file, new SshCommands(file.sshConfig(),
                SshCommands.DEFAULT_CONNECT_TIMEOUT), stop -> { });
        for (SshEngines.HostStop stop : stops) {
            out.println(stop.destination() + ": " + (stop.failure() == null ? stop.stopped() + " engine(s) stopped"
                    : "not reached, " + stop.failure().describe()));
        }
        if (stops.stream().anyMatch(stop -> stop.failure() != null)) {
            out.println("The cluster file " + path + " is kept: 'greylab engines stop' again once the hosts answer.");
            out.flush();
            return 1;
        }
        Files.deleteIfExists(path);
        Files.deleteIfExists(SshStart.keyFileBeside(path));
        out.flush();
        return 0;
    }
}
