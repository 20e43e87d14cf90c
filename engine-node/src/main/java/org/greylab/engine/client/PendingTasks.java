package org.greylab.engine.client;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.greylab.core.schedule.EngineGoneException;
import org.greylab.core.schedule.EngineInfo;

/**
 * The tasks sent to each engine and not answered yet. Hazelcast fails the tasks of an engine that leaves itself,
 * usually first; {@link #failAll} makes sure none waits for an engine that is no more.
 */
final class PendingTasks {

    private final Map<Integer, Set<PendingTask<?>>> byEngine = new ConcurrentHashMap<>();

    void add(PendingTask<?> task) {
        byEngine.computeIfAbsent(task.engineId(), id -> ConcurrentHashMap.newKeySet()).add(task);
    }

    void remove(PendingTask<?> task) {
        Set<PendingTask<?>> ofEngine = byEngine.get(task.engineId());
        if (ofEngine != null) {
            ofEngine.remove(task);
        }
    }

    /** Fails every task still waiting for {@code engine}, which has left, with {@link EngineGoneException}. */
    void failAll(EngineInfo engine) {
        Set<PendingTask<?>> orphans = byEngine.remove(engine.id());
        if (orphans != null) {
            for (PendingTask<?> task : orphans) {
                task.completeExceptionally(new EngineGoneException(engine.id(),
                        "engine " + engine.id() + " (" + engine.name() + ") left the cluster", null));
            }
        }
    }
}
