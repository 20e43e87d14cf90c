package org.greylab.core.image;

/** What the grey output is written as: {@code --format keep|png|jpeg|tiff}. */
public enum OutputFormat {
    /** JPEG stays JPEG, PNG stays PNG, TIFF stays TIFF, anything else becomes PNG. */
    KEEP,
    PNG,
    JPEG,
    TIFF;

    /** The container actually written for an input of {@code input} format. */
    public ImageFormat resolve(ImageFormat input) {
        return switch (this) {
            case PNG -> ImageFormat.PNG;
            case JPEG -> ImageFormat.JPEG;
            case TIFF -> ImageFormat.TIFF;
            case KEEP -> switch (input) {
                case JPEG, PNG, TIFF -> input;
                default -> ImageFormat.PNG;
            };
        };
    }
}
