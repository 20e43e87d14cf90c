package org.greylab.core.job;

/**
 * Where and when one image ran. Times are epoch microseconds: submitted/received on the client's clock,
 * started/finished on the engine's clock (the same clock in serial mode and on loopback).
 *
 * @param engineId the engine's small id, or {@link #SERIAL} when it ran in the app's own thread
 * @param attempt  1 for the first try, 2+ after a failover
 */
public record TaskTrace(int engineId, int attempt, long submittedMicros, long startedMicros, long finishedMicros,
                        long receivedMicros, long bytesSent, long bytesReceived) {

    public static final int SERIAL = -1;
    public static final TaskTrace NONE = new TaskTrace(SERIAL, 0, 0, 0, 0, 0, 0, 0);

    public boolean ranOnEngine() {
        return engineId != SERIAL;
    }
}
