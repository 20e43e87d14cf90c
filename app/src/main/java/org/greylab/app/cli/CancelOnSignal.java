package org.greylab.app.cli;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.greylab.engine.client.HazelcastEngineCluster;

/**
 * Ctrl-C or SIGTERM while a command runs: the command's thread is interrupted, which cancels its run (no partial
 * file), and the JVM's exit waits until the command has cleaned up and printed what it did, at most
 * {@value #WAIT_SECONDS} s. Local engines stay up until then ({@link #holdEngines}): they are stopped by the
 * command itself, not by another shutdown hook in the middle of the cancel.
 */
final class CancelOnSignal implements AutoCloseable {

    private static final long WAIT_SECONDS = 10;

    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private final Thread hook;

    /** From now until {@link #close()}, a signal cancels the calling thread's work. */
    CancelOnSignal() {
        Thread worker = Thread.currentThread();
        hook = new Thread(() -> {
            worker.interrupt();
            try {
                finished.get(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // exit anyway: the run did not finish cancelling in time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "greylab-cancel");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The cluster's local engines (if it started any) keep running at a signal until this command is done. */
    void holdEngines(HazelcastEngineCluster cluster) {
        cluster.localEngines().ifPresent(engines -> engines.keepRunningAtShutdownUntil(finished));
    }

    /** The command is done (its summary printed): a signal now just ends the process. */
    @Override
    public void close() {
        finished.complete(null);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: it returns now that the command is done
        }
    }
}
