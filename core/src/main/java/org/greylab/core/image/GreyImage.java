package org.greylab.core.image;

/**
 * A grey plane, optionally with alpha, interleaved (G or GA), 8 or 16 bits per sample. Exactly one of
 * {@code bytes} (8-bit) and {@code shorts} (16-bit, unsigned) is non-null. Package-private: the kernel's working form
 * between the convert and encode stages.
 */
record GreyImage(int width, int height, int bitDepth, boolean hasAlpha, byte[] bytes, short[] shorts) {

    int channels() {
        return hasAlpha ? 2 : 1;
    }

    static GreyImage of8(int width, int height, boolean hasAlpha, byte[] samples) {
        return new GreyImage(width, height, 8, hasAlpha, samples, null);
    }

    static GreyImage of16(int width, int height, boolean hasAlpha, short[] samples) {
        return new GreyImage(width, height, 16, hasAlpha, null, samples);
    }

    /** The same picture at 8 bits per sample (16-bit samples rounded: v / 257). */
    GreyImage to8Bit() {
        if (bitDepth == 8) {
            return this;
        }
        byte[] out = new byte[shorts.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (((shorts[i] & 0xFFFF) * 255 + 32767) / 65535);
        }
        return of8(width, height, hasAlpha, out);
    }

    /** Alpha composited over white and dropped, for formats without alpha; 8-bit result. */
    GreyImage flattenOnWhite() {
        GreyImage eight = to8Bit();
        if (!hasAlpha) {
            return eight;
        }
        byte[] ga = eight.bytes;
        byte[] out = new byte[width * height];
        for (int i = 0, j = 0; i < out.length; i++, j += 2) {
            int g = ga[j] & 0xFF;
            int a = ga[j + 1] & 0xFF;
            out[i] = (byte) ((g * a + 255 * (255 - a) + 127) / 255);
        }
        return of8(width, height, false, out);
    }
}
