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

    /** Disconnects (and stops engines this cluster started itself). */
    @Override
    void close();
}
