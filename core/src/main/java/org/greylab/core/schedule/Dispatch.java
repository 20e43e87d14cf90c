package org.greylab.core.schedule;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** One sending of one task (one image, or a group of them) to one engine. */
final class Dispatch {
    /** The images the task carries, in the order the engine converts them. */
    final List<PendingImage> images;
    final int engineId;
    final long taskId;
    final long submittedMicros;
    final long bytesSent;
    CompletableFuture<List<TaskOutcome>> future;
    /** Its engine died and the images went elsewhere: whatever this sending answers is ignored. */
    boolean abandoned;
    /** What the engine's measured speed (or, before the first measure, a typical one) says it takes there. */
    long expectedNanos;
    /** When it counts as stalled ({@link System#nanoTime()}). */
    long deadlineNanos;
    /** How long from its sending that deadline allowed: what a warning about it says. */
    long allowedNanos;

    Dispatch(List<PendingImage> images, int engineId, long taskId, long submittedMicros, long bytesSent) {
        this.images = List.copyOf(images);
        this.engineId = engineId;
        this.taskId = taskId;
        this.submittedMicros = submittedMicros;
        this.bytesSent = bytesSent;
    }

    /** Whether several images travel in it: an engine that dies holding it cannot say which one it was on. */
    boolean isGroup() {
        return images.size() > 1;
    }

    /** Its first image's path, and how many travel with it, for the log. */
    String describe() {
        String first = images.get(0).job.relativePath();
        return isGroup() ? first + " and " + (images.size() - 1) + " more images of its task" : first;
    }
}
