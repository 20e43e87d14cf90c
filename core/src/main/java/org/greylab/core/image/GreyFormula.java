package org.greylab.core.image;

/**
 * How red, green and blue are weighed into one grey level. Weights are applied to the 8-bit (or 16-bit)
 * sRGB-encoded values, as scikit-image does, and the sum is rounded to the nearest level.
 */
public enum GreyFormula {
    /** scikit-image's {@code rgb2gray}: Y = 0.2125 R + 0.7154 G + 0.0721 B (the default). */
    SKIMAGE(0.2125, 0.7154, 0.0721),
    /** ITU-R BT.601 luma: Y = 0.299 R + 0.587 G + 0.114 B. */
    REC601(0.299, 0.587, 0.114),
    /** The plain average of the three channels. */
    AVERAGE(1.0 / 3, 1.0 / 3, 1.0 / 3);

    private final double red;
    private final double green;
    private final double blue;

    GreyFormula(double red, double green, double blue) {
        this.red = red;
        this.green = green;
        this.blue = blue;
    }

    public double red() {
        return red;
    }

    public double green() {
        return green;
    }

    public double blue() {
        return blue;
    }
}
