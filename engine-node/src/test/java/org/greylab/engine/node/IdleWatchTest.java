package org.greylab.engine.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class IdleWatchTest {

    @Test
    void anEngineWithoutTasksForTheTimeoutIsStopped() throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);

        IdleWatch.watch(Duration.ofMillis(300), Duration.ofMillis(20), () -> 7, stopped::countDown);

        assertThat(stopped.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void tasksStartingOrFinishingKeepTheEngineRunning() throws Exception {
        AtomicLong activity = new AtomicLong();
        CountDownLatch stopped = new CountDownLatch(1);
        ScheduledExecutorService watch = IdleWatch.watch(Duration.ofMillis(400), Duration.ofMillis(20),
                activity::get, stopped::countDown);
        try {
            long end = System.nanoTime() + Duration.ofMillis(1200).toNanos();
            while (System.nanoTime() < end) {
                activity.incrementAndGet();
                Thread.sleep(100);
            }
            assertThat(stopped.getCount()).as("busy for three timeouts, never idle").isEqualTo(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> stopped.getCount() == 0);
        } finally {
            watch.shutdownNow();
        }
    }
}
