package org.greylab.core.image;

/**
 * The grey step alone, for the benchmark in {@code org.greylab.core.bench} (test code only): the per-pixel
 * {@link GreyMixer#grey8} loop that {@link GreyConverter} used before {@link GreyRows}, and {@link GreyRows} itself.
 */
public final class GreySteps {

    private GreySteps() {
    }

    /** The former loop of {@code GreyConverter.fromBytes}: one {@code grey8} call per pixel. */
    public static void perPixel(byte[] src, int srcPos, int pixelStride, int rOff, int gOff, int bOff,
                                byte[] dst, int dstPos, int pixels, GreyFormula formula) {
        GreyMixer mixer = GreyMixer.of(formula);
        int i = srcPos;
        int end = dstPos + pixels;
        for (int o = dstPos; o < end; o++, i += pixelStride) {
            dst[o] = (byte) mixer.grey8(src[i + rOff] & 0xFF, src[i + gOff] & 0xFF, src[i + bOff] & 0xFF);
        }
    }

    public static void rows(byte[] src, int srcPos, int pixelStride, int rOff, int gOff, int bOff,
                            byte[] dst, int dstPos, int pixels, GreyFormula formula) {
        GreyRows.rgb8(src, srcPos, pixelStride, rOff, gOff, bOff, dst, dstPos, pixels, formula);
    }

    /** Pixels packed one to an int, red in the low byte (TurboJPEG's RGBX as little-endian ints). */
    public static void packed(int[] src, int srcPos, byte[] dst, int dstPos, int pixels, GreyFormula formula) {
        GreyRows.packed8(src, srcPos, dst, dstPos, pixels, formula);
    }
}
