package org.greylab.core.schedule;

import java.util.concurrent.CompletableFuture;

/** One sending of one image to one engine. */
final class Dispatch {
    final PendingImage image;
    final int engineId;
    final int attempt;
    final long submittedMicros;
    final long bytesSent;
    CompletableFuture<TaskOutcome> future;
    /** Its engine died and the image went elsewhere: whatever this sending answers is ignored. */
    boolean abandoned;
    /** What the engine's measured speed (or, before the first measure, a typical one) says it takes there. */
    long expectedNanos;
    /** When it counts as stalled ({@link System#nanoTime()}). */
    long deadlineNanos;

    Dispatch(PendingImage image, int engineId, int attempt, long submittedMicros, long bytesSent) {
        this.image = image;
        this.engineId = engineId;
        this.attempt = attempt;
        this.submittedMicros = submittedMicros;
        this.bytesSent = bytesSent;
    }
}
