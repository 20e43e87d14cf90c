package org.greylab.core.image;

/** Grey of interleaved 8-bit pixel rows (placeholder: one pixel at a time through {@link GreyMixer}). */
final class GreyRows {

    private GreyRows() {
    }

    /**
     * Grey of {@code pixels} interleaved 8-bit pixels starting at src[srcPos], pixelStride 3 or 4 bytes, colour
     * bytes at offsets rOff/gOff/bOff within a pixel; writes one byte per pixel to dst from dstPos.
     */
    static void rgb8(byte[] src, int srcPos, int pixelStride, int rOff, int gOff, int bOff,
                     byte[] dst, int dstPos, int pixels, GreyFormula formula) {
        GreyMixer mixer = GreyMixer.of(formula);
        for (int p = 0, i = srcPos; p < pixels; p++, i += pixelStride) {
            dst[dstPos + p] = (byte) mixer.grey8(src[i + rOff] & 0xFF, src[i + gOff] & 0xFF, src[i + bOff] & 0xFF);
        }
    }
}
