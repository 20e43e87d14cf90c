package org.greylab.core.schedule;

/**
 * How large the next task to one engine may grow: the grouping arithmetic, apart from the dispatcher so it can be
 * checked on its own ({@code GroupLimitTest}).
 *
 * <p>A task goes on taking the next image while all of these hold:
 * <ul>
 *   <li>it carries fewer than {@link #maxImages} images;</li>
 *   <li>(auto only) the engine time its images are expected to take is still below {@link #targetNanos};</li>
 *   <li>its input bytes and their expected output bytes stay within {@link #maxBytes}, so that a task is never a
 *       memory risk on either side;</li>
 *   <li>neither the first image nor the next one is large ({@link #isLarge}): a large image, or (auto) one that is a
 *       third of a task's work by itself, travels alone.</li>
 * </ul>
 *
 * @param maxImages      the most images in this task
 * @param targetNanos    the engine time a task aims at; {@code Long.MAX_VALUE} when the count alone decides
 * @param maxBytes       input plus expected output bytes, at most
 * @param nanosPerByte   the engine's expected time per input byte
 * @param outputPerInput expected output bytes per input byte
 */
record GroupLimit(int maxImages, long targetNanos, long maxBytes, double nanosPerByte, double outputPerInput) {

    /**
     * The work a task aims at: 30 ms of engine time. A task's dispatch costs about 1-3 ms on a loaded 2-core machine
     * (docs/PERFORMANCE.md), so at 30 ms it is under a tenth of the task, and an engine's last task still ends within
     * a few tens of milliseconds of the others'.
     */
    static final long TARGET_NANOS = 30_000_000L;
    /**
     * The most input plus expected output bytes in one task: 8 MiB, a handful of photos' worth. The client holds a
     * task's inputs while it travels and its outputs as they come back; the engine holds one task at a time per slot.
     */
    static final long MAX_BYTES = 8L << 20;
    /**
     * An image of this many input bytes or more is large: it travels alone. 64 KiB: a thumbnail is a few KiB, and a
     * file above this is a photo, whose dispatch is a small part of its work. Bytes, not the engine's measured time
     * per byte alone, decide it, because that measure is an average over formats: a 100-250 KB PNG or WebP photo
     * takes far longer than its bytes say, and on 105 photos (the corpus five times) auto grouped such photos in
     * pairs and ran about 1.5 times slower than one photo a task.
     */
    static final long LARGE_BYTES = 64L << 10;
    /**
     * (auto) An image expected to take this long or more travels alone: its dispatch is already a small part of it,
     * and a pair of photos in one task would only coarsen the balance and hold the first one's output back until the
     * second is done. A third of the target: on 105 photos (about 20 ms each here) pairs ran slower than single
     * photos in interleaved runs, thumbnails (about 1 ms) still fill their tasks.
     */
    static final long ALONE_NANOS = TARGET_NANOS / 3;
    /**
     * Before an engine has answered, it is expected to take this long per input byte: the dispatcher's own
     * conservative figure (slower than a JPEG photo on one core), so that a first task is not too large.
     */
    static final double UNMEASURED_NANOS_PER_BYTE = 300;
    /** Before the first measure, a task carries at most this many images: the first answers bring the measure. */
    static final int UNMEASURED_MAX_IMAGES = 4;
    /**
     * Before any answer, an output is expected to be this many times its input: a grey PNG from a small JPEG is about
     * twice its input; twice that again leaves room.
     */
    static final double UNMEASURED_OUTPUT_PER_INPUT = 4;
    /**
     * The tail: the work not sent yet, spread over every slot, is kept to at least this many tasks per slot, so
     * tasks shrink as the batch nears its end and the last ones go out one image at a time.
     */
    static final int TAIL_TASKS_PER_SLOT = 4;

    /**
     * The limit for the next task to an engine.
     *
     * @param grouping       the user's choice
     * @param nanosPerByte   the engine's measured time per input byte; negative before its first answer
     * @param outputPerInput the run's measured output bytes per input byte; negative before the first answer
     * @param unsentBytes    input bytes of the images not sent yet (this task's included)
     * @param slots          the slots of every live engine together
     * @param maxTaskBytes   the byte budget for one task (see {@link #maxTaskBytes})
     */
    static GroupLimit of(TaskGrouping grouping, double nanosPerByte, double outputPerInput, long unsentBytes,
                         int slots, long maxTaskBytes) {
        boolean measured = nanosPerByte >= 0;
        double perByte = measured ? nanosPerByte : UNMEASURED_NANOS_PER_BYTE;
        double outPerIn = outputPerInput >= 0 ? outputPerInput : UNMEASURED_OUTPUT_PER_INPUT;
        return switch (grouping.kind()) {
            case OFF -> new GroupLimit(1, Long.MAX_VALUE, maxTaskBytes, perByte, outPerIn);
            case FIXED -> new GroupLimit(grouping.images(), Long.MAX_VALUE, maxTaskBytes, perByte, outPerIn);
            case AUTO -> {
                // the tail: what is left, spread over the slots, a few tasks each; never more than the target
                double leftPerTask = perByte * Math.max(0, unsentBytes) / ((double) Math.max(1, slots)
                        * TAIL_TASKS_PER_SLOT);
                long target = (long) Math.min(TARGET_NANOS, leftPerTask);
                yield new GroupLimit(measured ? grouping.images() : Math.min(grouping.images(),
                        UNMEASURED_MAX_IMAGES), target, maxTaskBytes, perByte, outPerIn);
            }
        };
    }

    /**
     * The byte budget of one task: {@link #MAX_BYTES}, or less where the client's window is small: a task takes at
     * most a share of the window that leaves every engine's tasks in flight room beside it.
     *
     * @param windowBytes    the client's byte budget for images in flight
     * @param tasksInFlight  tasks the engines may hold at once, all together (their slots plus prefetch)
     */
    static long maxTaskBytes(long windowBytes, long tasksInFlight) {
        return Math.max(1, Math.min(MAX_BYTES, windowBytes / Math.max(1, 2 * tasksInFlight)));
    }

    /** What one image of {@code inputBytes} is expected to cost in the task's byte budget: input and output. */
    long bytesOf(long inputBytes) {
        return inputBytes + (long) Math.ceil(inputBytes * outputPerInput);
    }

    /** The engine time an image of {@code inputBytes} is expected to take. */
    long nanosOf(long inputBytes) {
        return (long) (nanosPerByte * inputBytes);
    }

    /** Whether an image travels alone whatever the grouping: large in bytes, or a whole task's work by itself. */
    boolean isLarge(long inputBytes) {
        return inputBytes >= LARGE_BYTES || bytesOf(inputBytes) > maxBytes
                || (targetNanos != Long.MAX_VALUE && nanosOf(inputBytes) >= ALONE_NANOS);
    }

    /**
     * Whether a task that carries {@code images} images of {@code inputBytes} input bytes in all, the first of
     * {@code firstBytes}, may take one more of {@code nextBytes}.
     */
    boolean accepts(int images, long inputBytes, long firstBytes, long nextBytes) {
        if (images >= maxImages || isLarge(firstBytes) || isLarge(nextBytes)) {
            return false;
        }
        if (bytesOf(inputBytes + nextBytes) > maxBytes) {
            return false;
        }
        return targetNanos == Long.MAX_VALUE || nanosOf(inputBytes) < targetNanos;
    }
}
