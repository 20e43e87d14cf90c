package org.greylab.engine.client;

/**
 * No usable engine could be reached, or local engines could not be started. The message says which, in words a user
 * can act on; {@link #reason()} says it to code.
 */
public final class EngineConnectException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why connecting failed. */
    public enum Reason {
        /** Nothing listens at any of the addresses (a plain TCP connection fails). */
        NO_ANSWER,
        /** Something listens, but no engine of the requested cluster name answered. */
        WRONG_CLUSTER,
        /** Engines answered, but every one runs another Greylab version. */
        WRONG_VERSION,
        /** Engines answered, but none proved this client's cluster key. */
        WRONG_KEY,
        /** Local engine processes did not start or did not all join in time. */
        START_FAILED
    }

    private final Reason reason;

    public EngineConnectException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
