package org.greylab.core.image;

/**
 * A BMP's header checked before decoding, so that an impossible one fails with a reason that names the field: the
 * BMP reader's own words for these ("New BMP version not implemented yet." for a header of a size no version has,
 * "Empty region!" for a negative width) send a user looking for the wrong cause.
 */
final class BmpHeader {

    private static final int FILE_HEADER = 14;

    private BmpHeader() {
    }

    /** @throws ConversionException the header's size, width, height or bits per pixel is not one BMP has */
    static void check(byte[] in) throws ConversionException {
        if (in.length < FILE_HEADER + 16) {
            throw new ConversionException(Stage.DECODE, "the file is truncated or damaged: it ends inside its BMP header");
        }
        long headerSize = u32(in, FILE_HEADER);
        long width;
        long height;
        int bitsPerPixel;
        if (headerSize == 12) {
            width = u16(in, FILE_HEADER + 4);
            height = u16(in, FILE_HEADER + 6);
            bitsPerPixel = u16(in, FILE_HEADER + 10);
        } else if (headerSize == 16 || headerSize == 40 || headerSize == 52 || headerSize == 56 || headerSize == 64
                || headerSize == 108 || headerSize == 124) {
            width = (int) u32(in, FILE_HEADER + 4);
            height = (int) u32(in, FILE_HEADER + 8);
            bitsPerPixel = u16(in, FILE_HEADER + 14);
        } else {
            throw damaged("its BMP header is " + headerSize + " bytes long, which no BMP version has (12, 16, 40, 52,"
                    + " 56, 64, 108 or 124)");
        }
        if (width <= 0 || height == 0) {
            throw damaged("its BMP header gives an impossible size, " + width + " x " + height);
        }
        // 0: the pixels are an embedded JPEG or PNG
        if (bitsPerPixel != 0 && bitsPerPixel != 1 && bitsPerPixel != 2 && bitsPerPixel != 4 && bitsPerPixel != 8
                && bitsPerPixel != 16 && bitsPerPixel != 24 && bitsPerPixel != 32 && bitsPerPixel != 64) {
            throw damaged("its BMP header gives " + bitsPerPixel + " bits per pixel, which BMP does not have");
        }
    }

    private static ConversionException damaged(String what) {
        return new ConversionException(Stage.DECODE, "the file is damaged: " + what);
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    private static long u32(byte[] b, int at) {
        return (b[at] & 0xFFL) | (b[at + 1] & 0xFFL) << 8 | (b[at + 2] & 0xFFL) << 16 | (b[at + 3] & 0xFFL) << 24;
    }
}
