package org.greylab.engine.security;

/** Sealed bytes that do not open: another key, changed on the way, or meant for another task or direction. */
public final class SealBrokenException extends Exception {
    private static final long serialVersionUID = 1L;

    public SealBrokenException(String message) {
        super(message);
    }
}
