package org.greylab.engine.wire;

import java.io.Serializable;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/** A task that ends only when it is cancelled, holding its engine's slot as a wedged decoder would. */
final class WaitsForItsCancel implements Callable<String>, Serializable {

    private static final long serialVersionUID = 1L;
    /** Static: the engines run in the test's own JVM. */
    private static final AtomicInteger STARTED = new AtomicInteger();

    static int started() {
        return STARTED.get();
    }

    @Override
    public String call() throws InterruptedException {
        STARTED.incrementAndGet();
        Thread.sleep(Long.MAX_VALUE);
        return "never reached: only an interrupt ends the wait";
    }
}
