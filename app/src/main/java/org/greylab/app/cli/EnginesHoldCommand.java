package org.greylab.app.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.greylab.engine.client.ClusterFile;
import org.greylab.engine.client.EngineProcess;
import org.greylab.engine.client.LocalEngines;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code greylab engines hold}, started by {@code engines start} and by nobody else: starts the engines, writes
 * their cluster file and waits. SIGTERM ({@code engines stop}) stops the engines; when the last one has stopped by
 * itself (its idle timeout), the file goes and this process ends. Engines stop within seconds if it is killed.
 */
@Command(name = "hold", hidden = true, description = "Holds the engines of 'greylab engines start' (internal).")
final class EnginesHoldCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(EnginesHoldCommand.class);

    @Option(names = "--engines", required = true)
    int engines;

    @Option(names = "--slots", required = true)
    int slots;

    @Option(names = "--idle-timeout", required = true, converter = Durations.class)
    Duration idleTimeout;

    @Option(names = "--cluster-file", required = true)
    Path clusterFile;

    @Override
    public Integer call() throws IOException {
        LoggingSetup.configure(false, null);
        LocalEngines local = LocalEngines.start(LocalEngines.Options.of(engines, slots).withIdleTimeout(idleTimeout));
        long pid = ProcessHandle.current().pid();
        Thread removeFile = new Thread(() -> removeIfOurs(pid), "greylab-cluster-file-remove");
        Runtime.getRuntime().addShutdownHook(removeFile);
        new ClusterFile(local.clusterName(), local.addresses(), pid, Instant.now()).write(clusterFile);
        LOG.info("holding {} engines of cluster {}; cluster file {}", engines, local.clusterName(), clusterFile);
        CompletableFuture.allOf(local.processes().stream().map(EngineProcess::onExit)
                .toArray(CompletableFuture[]::new)).join();
        LOG.info("every engine has stopped");
        local.close();
        return 0;
    }

    /** The file goes, unless another holder has written its own there since. */
    private void removeIfOurs(long pid) {
        try {
            Optional<ClusterFile> file = ClusterFile.read(clusterFile);
            if (file.isPresent() && file.get().holderPid() == pid) {
                Files.deleteIfExists(clusterFile);
            }
        } catch (IOException e) {
            LOG.debug("cluster file {} not removed", clusterFile, e);
        }
    }
}
