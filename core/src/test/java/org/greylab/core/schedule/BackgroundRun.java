package org.greylab.core.schedule;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.greylab.core.job.BatchPlan;
import org.greylab.core.job.FileResult;

/** A strategy run on a thread of its own, so a test can act on the cluster mid-run; it records every event. */
final class BackgroundRun {

    final List<ProgressEvent> events = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile List<FileResult> results;
    private volatile Throwable failure;

    private BackgroundRun(Strategy strategy, BatchPlan plan) {
        thread = new Thread(() -> {
            try {
                results = strategy.run(plan, events::add);
            } catch (Throwable t) {
                failure = t;
            }
        }, "test-" + strategy.mode().word() + "-run");
        thread.setDaemon(true);
    }

    static BackgroundRun start(Strategy strategy, BatchPlan plan) {
        BackgroundRun run = new BackgroundRun(strategy, plan);
        run.thread.start();
        return run;
    }

    /** Waits for the run to end and returns its results; fails if it threw. */
    List<FileResult> results() throws InterruptedException {
        if (!awaitEnd(Duration.ofSeconds(120))) {
            throw new AssertionError("the run did not end within 120 s");
        }
        if (failure != null) {
            throw new AssertionError("the run failed", failure);
        }
        return results;
    }

    void cancel() {
        thread.interrupt();
    }

    boolean awaitEnd(Duration limit) throws InterruptedException {
        thread.join(limit.toMillis());
        return !thread.isAlive();
    }

    Throwable failure() {
        return failure;
    }

    <T extends ProgressEvent> List<T> events(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends ProgressEvent> long count(Class<T> type, Predicate<T> which) {
        return events(type).stream().filter(which).count();
    }
}
