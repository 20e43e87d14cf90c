package org.greylab.engine.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.greylab.core.schedule.TaskOutcome;

/**
 * A task's future as {@link HazelcastEngineCluster#submit} returns it; cancelling it cancels (and interrupts) the task
 * on its engine.
 */
final class PendingTask extends CompletableFuture<TaskOutcome> {

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
            future.cancel(true);
        }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        Future<?> future = remote;
        if (cancelled && future != null) {
            future.cancel(true);
        }
        return cancelled;
    }
}
