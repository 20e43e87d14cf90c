package org.greylab.core.job;

/**
 * Where and when one image ran. Times are epoch microseconds: submitted/received on the client's clock,
 * started/finished on the engine's clock (the same clock in serial mode and on loopback).
 *
 * @param engineId the engine's small id, or {@link #SERIAL} when it ran in the app's own thread
 * @param attempt    1 for the first try, 2+ after a failover
 * @param taskId     the task that carried it to its engine (several images may share one); 0 when none did
 * @param taskImages how many images that task carried (1 for an image sent alone, and in serial mode)
 */
public record TaskTrace(int engineId, int attempt, long submittedMicros, long startedMicros, long finishedMicros,
                        long receivedMicros, long bytesSent, long bytesReceived, long taskId, int taskImages) {

    public static final int SERIAL = -1;
    public static final TaskTrace NONE = new TaskTrace(SERIAL, 0, 0, 0, 0, 0, 0, 0);

    /** An image that travelled in a task of its own (or ran in serial mode). */
    public TaskTrace(int engineId, int attempt, long submittedMicros, long startedMicros, long finishedMicros,
                     long receivedMicros, long bytesSent, long bytesReceived) {
        this(engineId, attempt, submittedMicros, startedMicros, finishedMicros, receivedMicros, bytesSent,
                bytesReceived, 0, 1);
    }

    public boolean ranOnEngine() {
        return engineId != SERIAL;
    }
}
