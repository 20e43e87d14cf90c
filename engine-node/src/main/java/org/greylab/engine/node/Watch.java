package org.greylab.engine.node;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * What the engine's watches share ({@link IdleWatch}, {@link ParentWatch}, {@link JarWatch}): a condition checked
 * every {@code period} on a daemon thread of its own, and an action run once when it first holds, after which the
 * checks stop.
 */
final class Watch {

    private Watch() {
    }

    /** Checks {@code holds} every {@code period} on a daemon thread named {@code name}; runs {@code then} once. */
    static ScheduledExecutorService until(String name, Duration period, BooleanSupplier holds, Runnable then) {
        ScheduledExecutorService check = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        });
        check.scheduleWithFixedDelay(() -> {
            if (holds.getAsBoolean()) {
                check.shutdown();
                then.run();
            }
        }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        return check;
    }
}
