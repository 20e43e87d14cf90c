package org.greylab.engine.security;

/** A key file that cannot be used, with a message that names the file and says what to do. */
public final class KeyFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KeyFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
