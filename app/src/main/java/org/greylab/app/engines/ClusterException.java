package org.greylab.app.engines;

/** Engines could not be started or reached; the message is a sentence a user can act on. */
public final class ClusterException extends Exception {
    private static final long serialVersionUID = 1L;

    public ClusterException(String message, Throwable cause) {
        super(message, cause);
    }
}
