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
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code greylab engines stop}: ends the engines of {@code greylab engines start}, and nothing else. */
@Command(name = "stop", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Stops the engines that 'greylab engines start' left running.",
        footer = {"", "Exit status: 0 stopped (or none were running), 1 they did not stop in time."})
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
        out.flush();
        return 0;
    }
}
