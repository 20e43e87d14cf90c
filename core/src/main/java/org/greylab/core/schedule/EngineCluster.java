package org.greylab.core.schedule;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The engines a distributed strategy sends images to. The strategies decide where and when; this decides nothing.
 * The Hazelcast implementation lives in engine-node; strategies know nothing of Hazelcast.
 */
public interface EngineCluster extends AutoCloseable {

    /**
     * Images a local engine converts at once: one, like one ipyparallel engine; on a small machine the engines, not
     * their threads, share the cores.
     */
    int DEFAULT_LOCAL_SLOTS = 1;

    /** Local engines when none are asked for: two, or one per core on bigger machines. */
    static int defaultLocalEngines() {
        return Math.max(2, Runtime.getRuntime().availableProcessors());
    }

    /** The engines that are members now, by id. */
    List<EngineInfo> engines();

    void addListener(EngineListener listener);

    void removeListener(EngineListener listener);

    /**
     * Sends one task to one engine. The future completes with the engine's outcome, or exceptionally with
     * {@link EngineGoneException} when that engine leaves before answering.
     */
    CompletableFuture<TaskOutcome> submit(int engineId, ConvertTask task);

    /**
     * Sends several images to one engine as one task, which converts them one after the other. The future completes
     * with one outcome per image, in the order of {@code tasks}, each with its own engine start and finish times (a
     * failed image is an outcome like any other), or exceptionally as a whole: with {@link EngineGoneException} when
     * the engine leaves before answering. Cancelling it cancels what the engine has not converted yet.
     */
    CompletableFuture<List<TaskOutcome>> submitGroup(int engineId, List<ConvertTask> tasks);

    /** Disconnects (and stops engines this cluster started itself). */
    @Override
    void close();
}
