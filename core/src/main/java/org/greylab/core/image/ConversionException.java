package org.greylab.core.image;

/** One image could not be converted: the stage it failed at and a reason in words a user understands. */
public final class ConversionException extends Exception {
    private static final long serialVersionUID = 1L;

    private final Stage stage;

    public ConversionException(Stage stage, String reason) {
        super(reason);
        this.stage = stage;
    }

    public ConversionException(Stage stage, String reason, Throwable cause) {
        super(reason, cause);
        this.stage = stage;
    }

    public Stage stage() {
        return stage;
    }

    /** The reason, for a report row. */
    public String reason() {
        return getMessage();
    }
}
