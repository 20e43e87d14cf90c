package org.greylab.app.fx;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Carries items from any thread to the FX thread in batches: a strategy may report thousands of events a second
 * from several callback threads, and one {@code runLater} each would flood the FX queue. Items posted while a
 * drain is pending join that drain, so the FX thread sees them in order, a pulse at a time.
 */
public final class EventPump<T> {

    private final Executor fx;
    private final Consumer<List<T>> sink;
    private final ConcurrentLinkedQueue<T> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    public EventPump(Executor fx, Consumer<List<T>> sink) {
        this.fx = fx;
        this.sink = sink;
    }

    /** Called on any thread. */
    public void post(T item) {
        queue.add(item);
        if (scheduled.compareAndSet(false, true)) {
            fx.execute(this::drain);
        }
    }

    private void drain() {
        scheduled.set(false);
        List<T> batch = new ArrayList<>();
        T item;
        while ((item = queue.poll()) != null) {
            batch.add(item);
        }
        if (!batch.isEmpty()) {
            sink.accept(batch);
        }
    }
}
