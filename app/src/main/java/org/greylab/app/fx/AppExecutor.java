package org.greylab.app.fx;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javafx.application.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of the window's threads. Work runs on background threads (a pool for runs and the cluster, a
 * small one for thumbnails and previews, so a long batch never starves the image list); results come back
 * through {@link #fx()}, which in the app is the JavaFX application thread. View models write their properties
 * only in callbacks delivered there. Tests inject a single "FX" thread of their own, so view models run without
 * the toolkit.
 */
public final class AppExecutor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AppExecutor.class);

    private final Executor fx;
    private final ExecutorService work;
    private final ExecutorService images;
    private final ScheduledExecutorService timer;

    public AppExecutor(Executor fx) {
        this.fx = fx;
        this.work = Executors.newCachedThreadPool(daemon("greylab-work"));
        this.images = Executors.newFixedThreadPool(2, daemon("greylab-images"));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("greylab-timer"));
    }

    /** The production executor: callbacks on the JavaFX application thread. */
    public static AppExecutor forFx() {
        return new AppExecutor(Platform::runLater);
    }

    /** Where view models get their callbacks (the FX thread in the app). */
    public Executor fx() {
        return fx;
    }

    /**
     * Runs {@code work} on a background thread; its result goes to {@code onDone} and a failure to {@code onError},
     * both on the FX thread. The returned future can be cancelled (interrupting the work).
     */
    public <T> Future<?> run(Callable<T> task, Consumer<T> onDone, Consumer<Throwable> onError) {
        return work.submit(() -> call(task, onDone, onError));
    }

    /** Like {@link #run} but on the image pool (thumbnails, previews, headers). */
    public <T> Future<?> image(Callable<T> task, Consumer<T> onDone, Consumer<Throwable> onError) {
        return images.submit(() -> call(task, onDone, onError));
    }

    /** Runs {@code task} on a background thread and returns its future (no FX callback). */
    public <T> CompletableFuture<T> supply(Callable<T> task) {
        CompletableFuture<T> future = new CompletableFuture<>();
        work.execute(() -> {
            try {
                future.complete(task.call());
            } catch (Throwable e) {
                future.completeExceptionally(e);
            }
        });
        return future;
    }

    /** Runs {@code action} on the FX thread every {@code periodMillis} until the returned future is cancelled. */
    public ScheduledFuture<?> every(long periodMillis, Runnable action) {
        return timer.scheduleAtFixedRate(() -> fx.execute(action), periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    private <T> void call(Callable<T> task, Consumer<T> onDone, Consumer<Throwable> onError) {
        T value;
        try {
            value = task.call();
        } catch (InterruptedException e) {
            LOG.debug("background work interrupted");
            Thread.currentThread().interrupt();
            return;
        } catch (Throwable e) {
            LOG.debug("background work failed", e);
            fx.execute(() -> onError.accept(e));
            return;
        }
        fx.execute(() -> onDone.accept(value));
    }

    @Override
    public void close() {
        work.shutdownNow();
        images.shutdownNow();
        timer.shutdownNow();
    }

    /**
     * After {@link #close}: waits up to {@code millis} for the background threads to end, so that whoever owns the
     * files they were writing (a settings file saved in the background) may remove them.
     *
     * @return whether every thread ended in time
     */
    public boolean awaitClosed(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (ExecutorService pool : new ExecutorService[] {work, images, timer}) {
            if (!pool.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                return false;
            }
        }
        return true;
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
