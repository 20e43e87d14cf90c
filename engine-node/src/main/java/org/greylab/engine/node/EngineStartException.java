package org.greylab.engine.node;

/** An engine could not start; the message says why in words a lab user can act on. */
public final class EngineStartException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EngineStartException(String message) {
        super(message);
    }

    public EngineStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
