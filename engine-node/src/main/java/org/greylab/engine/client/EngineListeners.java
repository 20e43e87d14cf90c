package org.greylab.engine.client;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.greylab.core.schedule.EngineInfo;
import org.greylab.core.schedule.EngineListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners of one cluster, told of each engine in the order they were added. One that throws is logged and
 * the others still hear: a broken view must not keep a strategy from learning that an engine left.
 */
final class EngineListeners implements EngineListener {

    private static final Logger LOG = LoggerFactory.getLogger(EngineListeners.class);

    // added and removed from any thread, iterated on Hazelcast's event threads
    private final List<EngineListener> listeners = new CopyOnWriteArrayList<>();

    void add(EngineListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    void remove(EngineListener listener) {
        listeners.remove(listener);
    }

    @Override
    public void engineJoined(EngineInfo engine) {
        tellEach(listener -> listener.engineJoined(engine));
    }

    @Override
    public void engineGone(EngineInfo engine) {
        tellEach(listener -> listener.engineGone(engine));
    }

    private void tellEach(Consumer<EngineListener> event) {
        for (EngineListener listener : listeners) {
            try {
                event.accept(listener);
            } catch (RuntimeException e) {
                LOG.warn("engine listener failed", e);
            }
        }
    }
}
