package org.greylab.core.image;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Supplier;

/**
 * Objects that one thread at a time uses and that are worth keeping between images (a native handle with its grown
 * buffers), handed to whichever thread converts next. Not per thread: an engine's tasks run on Hazelcast's shared
 * pool, whose threads come and go, and state kept per thread was made afresh for most runs (native buffers grown and
 * zeroed again from nothing: a pass over the development corpus on a new thread took 1.9 times as long as on the
 * thread before it). The most recently returned object is handed out first; the number made is at most the number of
 * images ever converted at once.
 *
 * @param <T> what is kept
 */
final class Reusables<T> {

    private final ConcurrentLinkedDeque<T> idle = new ConcurrentLinkedDeque<>();
    private final Supplier<T> make;

    Reusables(Supplier<T> make) {
        this.make = make;
    }

    /** An idle object, or a new one; give it back with {@link #giveBack} once this image is done with it. */
    T take() {
        T kept = idle.pollFirst();
        return kept != null ? kept : make.get();
    }

    void giveBack(T object) {
        idle.offerFirst(object);
    }
}
