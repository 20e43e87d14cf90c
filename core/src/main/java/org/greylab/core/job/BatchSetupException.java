package org.greylab.core.job;

/**
 * A batch cannot start: an input that does not exist, an output folder that cannot be created or written, too
 * little free space, an output folder that overlaps an input. The message says what is wrong and what to do, in
 * words a user understands; nothing has been written when it is thrown.
 */
public final class BatchSetupException extends Exception {
    private static final long serialVersionUID = 1L;

    public BatchSetupException(String message) {
        super(message);
    }

    public BatchSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
