package org.greylab.engine.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task's future as {@link HazelcastEngineCluster#submit} (one image's outcome) or
 * {@link HazelcastEngineCluster#submitGroup} (a group's) returns it; cancelling it cancels (and interrupts) the task
 * on its engine.
 */
final class PendingTask<T> extends CompletableFuture<T> {

    private static final Logger LOG = LoggerFactory.getLogger(PendingTask.class);

    /**
     * Where the engines are told of cancellations. Hazelcast's client waits for the engine's answer to a cancel and
     * throws when it does not come: an engine whose link was cut held the dispatcher until the client's heartbeat
     * gave up (15 s) and then ended the run with "TargetDisconnectedException: Heartbeat timed out" (found by
     * installer/lab/lab.sh cutting a host's link mid-run). The caller never waits for it now, and an engine that
     * cannot be told has nothing to stop.
     */
    private static final ExecutorService CANCELLER = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "greylab-task-cancel");
        thread.setDaemon(true);
        return thread;
    });

    private final int engineId;
    private volatile Future<?> remote;

    PendingTask(int engineId) {
        this.engineId = engineId;
    }

    int engineId() {
        return engineId;
    }

    /** Links the engine's future, once the task has been sent; cancels it at once if this was cancelled meanwhile. */
    void attach(Future<?> future) {
        remote = future;
        if (isCancelled()) {
            cancelOnEngine(future);
        }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        Future<?> future = remote;
        if (cancelled && future != null) {
            cancelOnEngine(future);
        }
        return cancelled;
    }

    private void cancelOnEngine(Future<?> future) {
        CANCELLER.execute(() -> {
            try {
                future.cancel(true);
            } catch (RuntimeException e) {
                LOG.debug("engine {} was not told of a cancelled task: {}", engineId, e.toString());
            }
        });
    }
}
