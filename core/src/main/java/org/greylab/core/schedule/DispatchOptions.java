package org.greylab.core.schedule;

import java.time.Duration;
import java.util.Objects;

/**
 * How the distributed strategies bound and recover their work.
 *
 * @param prefetch         images an engine may hold beyond its slots (ipyparallel's high-water mark; default 1)
 * @param maxInFlightBytes the client's byte budget for images read and not yet written (default: an eighth of the
 *                         heap, at least 8 MiB); one image always runs even when it alone is larger
 * @param maxAttempts      engines an image may be sent to before it fails because they keep dying (default 3)
 * @param noEngineWait     how long to wait for an engine to join when none is left before the remaining images
 *                         fail with "no engine left" (default 10 s; zero fails them at once)
 * @param taskTimeout      the least time an engine is given for one image before the image goes elsewhere and the
 *                         engine counts as stalled: a task's deadline is this plus ten times the time the engine's
 *                         measured speed says the image (and those queued before it there) should take (default
 *                         10 s)
 * @param grouping         how many images one task carries ({@link TaskGrouping#AUTO} by default: sized by the
 *                         engine's measured work)
 */
public record DispatchOptions(int prefetch, long maxInFlightBytes, int maxAttempts, Duration noEngineWait,
                              Duration taskTimeout, TaskGrouping grouping) {

    public static final int DEFAULT_PREFETCH = 1;
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    public static final Duration DEFAULT_NO_ENGINE_WAIT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_TASK_TIMEOUT = Duration.ofSeconds(10);
    public static final long MIN_DEFAULT_BYTES = 8L << 20;

    public DispatchOptions {
        Objects.requireNonNull(noEngineWait, "noEngineWait");
        if (prefetch < 0) {
            throw new IllegalArgumentException("prefetch must not be negative, not " + prefetch);
        }
        if (maxInFlightBytes < 1) {
            throw new IllegalArgumentException("the in-flight byte budget must be positive, not " + maxInFlightBytes);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("at least one attempt is needed, not " + maxAttempts);
        }
        if (noEngineWait.isNegative()) {
            throw new IllegalArgumentException("the wait for an engine must not be negative");
        }
        Objects.requireNonNull(taskTimeout, "taskTimeout");
        if (taskTimeout.isNegative() || taskTimeout.isZero()) {
            throw new IllegalArgumentException("the task timeout must be positive");
        }
        Objects.requireNonNull(grouping, "grouping");
    }

    public static DispatchOptions defaults() {
        return new DispatchOptions(DEFAULT_PREFETCH, defaultByteBudget(Runtime.getRuntime().maxMemory()),
                DEFAULT_MAX_ATTEMPTS, DEFAULT_NO_ENGINE_WAIT, DEFAULT_TASK_TIMEOUT, TaskGrouping.AUTO);
    }

    /**
     * An eighth of the heap: an image's bytes are held as read, again as the cluster serialises them and once more
     * as the output comes back, so this leaves most of the heap to everything else.
     */
    public static long defaultByteBudget(long maxHeapBytes) {
        return Math.max(MIN_DEFAULT_BYTES, maxHeapBytes / 8);
    }

    public DispatchOptions withPrefetch(int newPrefetch) {
        return new DispatchOptions(newPrefetch, maxInFlightBytes, maxAttempts, noEngineWait, taskTimeout, grouping);
    }

    public DispatchOptions withMaxInFlightBytes(long bytes) {
        return new DispatchOptions(prefetch, bytes, maxAttempts, noEngineWait, taskTimeout, grouping);
    }

    public DispatchOptions withMaxAttempts(int attempts) {
        return new DispatchOptions(prefetch, maxInFlightBytes, attempts, noEngineWait, taskTimeout, grouping);
    }

    public DispatchOptions withTaskTimeout(Duration timeout) {
        return new DispatchOptions(prefetch, maxInFlightBytes, maxAttempts, noEngineWait, timeout, grouping);
    }

    public DispatchOptions withGrouping(TaskGrouping newGrouping) {
        return new DispatchOptions(prefetch, maxInFlightBytes, maxAttempts, noEngineWait, taskTimeout, newGrouping);
    }

    public DispatchOptions withNoEngineWait(Duration wait) {
        return new DispatchOptions(prefetch, maxInFlightBytes, maxAttempts, wait, taskTimeout, grouping);
    }
}
