package org.greylab.core.schedule;

/** The engine a task was sent to left the cluster (crashed, killed, disconnected) before answering. */
public final class EngineGoneException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int engineId;

    public EngineGoneException(int engineId, String message, Throwable cause) {
        super(message, cause);
        this.engineId = engineId;
    }

    public int engineId() {
        return engineId;
    }
}
