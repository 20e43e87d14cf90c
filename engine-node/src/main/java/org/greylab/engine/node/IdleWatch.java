package org.greylab.engine.node;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops an engine that has had no task for a while ({@code --idle-timeout}), like engines left running by
 * {@code greylab engines start}: they must not stay on a machine for ever once nobody uses them. A task counts
 * from the moment the engine starts or finishes it, so a long image never looks idle.
 */
final class IdleWatch {

    private static final Logger LOG = LoggerFactory.getLogger(IdleWatch.class);

    private IdleWatch() {
    }

    /**
     * Checks every {@code period} whether {@code activity} (a count that moves with every task started or
     * finished) has stood still for {@code timeout}; then runs {@code onIdle} once.
     */
    static ScheduledExecutorService watch(Duration timeout, Duration period, LongSupplier activity, Runnable onIdle) {
        long[] last = {activity.getAsLong(), System.nanoTime()};
        return Watch.until("greylab-idle-watch", period, () -> {
            long now = System.nanoTime();
            long seen = activity.getAsLong();
            if (seen != last[0]) {
                last[0] = seen;
                last[1] = now;
                return false;
            }
            return now - last[1] >= timeout.toNanos();
        }, () -> {
            LOG.info("no task for {} s: stopping", timeout.toSeconds());
            onIdle.run();
        });
    }
}
