package org.greylab.app.testing;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.greylab.app.fx.AppExecutor;

/**
 * A stand-in for the FX thread in view-model tests: one thread of our own that every callback runs on, so
 * properties are written by one thread only, as in the app, and no toolkit or Stage is needed.
 */
public final class TestFx implements AutoCloseable {

    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "test-fx");
        t.setDaemon(true);
        return t;
    });
    private final AppExecutor executor = new AppExecutor(thread);

    public AppExecutor executor() {
        return executor;
    }

    /** Runs {@code action} on the "FX" thread and waits for it. */
    public void run(Runnable action) {
        call(() -> {
            action.run();
            return null;
        });
    }

    /** Reads something on the "FX" thread. */
    public <T> T call(Callable<T> read) {
        try {
            return thread.submit(read).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Stops the background threads and waits for them: a test's temporary folder is removed right after, and a
     * settings file still being saved there in the background made that removal fail now and then.
     */
    @Override
    public void close() {
        executor.close();
        try {
            executor.awaitClosed(3_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.shutdownNow();
    }
}
