package org.greylab.engine.client;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;

/**
 * Callbacks on the futures of Hazelcast's client, run in the thread that completes the future: Hazelcast's plain
 * {@code whenComplete} would hop to the common ForkJoinPool (which on a 2-core machine starts a thread per callback),
 * and each thread hop is a wake-up the answer waits for. So only for callbacks that never block.
 */
final class HazelcastFutures {

    private static final Executor IN_COMPLETING_THREAD = Runnable::run;

    private HazelcastFutures() {
    }

    /**
     * Runs {@code action} with the result or the failure of {@code remote} once it completes.
     *
     * @throws IllegalStateException if {@code remote} is not a CompletionStage
     */
    static <T> void whenComplete(Future<T> remote, BiConsumer<? super T, ? super Throwable> action) {
        stageOf(remote).whenCompleteAsync(action, IN_COMPLETING_THREAD);
    }

    /** Hazelcast's client futures are CompletionStages; Greylab's callbacks rely on it, so it is checked here. */
    private static <T> CompletionStage<T> stageOf(Future<T> remote) {
        if (!(remote instanceof CompletionStage<?>)) {
            throw new IllegalStateException("Hazelcast returned a " + remote.getClass().getName()
                    + ", not a CompletionStage");
        }
        @SuppressWarnings("unchecked")
        CompletionStage<T> stage = (CompletionStage<T>) remote;
        return stage;
    }
}
