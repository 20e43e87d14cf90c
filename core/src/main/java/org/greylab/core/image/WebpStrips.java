package org.greylab.core.image;

import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * One WebP-compressed TIFF strip or tile (libtiff's compression 50001: a whole WebP image) to RGB or RGBA bytes, by
 * libwebp where the batch decodes with it ({@link WebpDecoders#forBatch}), else by the Java decoder.
 */
final class WebpStrips {

    private WebpStrips() {
    }

    /**
     * @param samples 3 (RGB) or 4 (RGBA), as the TIFF's SamplesPerPixel says
     * @param libwebp the batch's WebP decoder ({@link WebpDecoders#forBatch}): null for the Java one
     */
    static byte[] decode(byte[] file, int offset, int length, int samples, NativeWebpDecoder libwebp)
            throws IOException {
        byte[] webp = java.util.Arrays.copyOfRange(file, offset, offset + length);
        BufferedImage image = null;
        if (libwebp != null) {
            try {
                image = libwebp.decode(webp, Long.MAX_VALUE);
            } catch (ConversionException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
        if (image == null) {
            image = read(webp);
        }
        int w = image.getWidth();
        int h = image.getHeight();
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        byte[] out = new byte[w * h * samples];
        for (int i = 0, o = 0; i < argb.length; i++) {
            int p = argb[i];
            out[o++] = (byte) (p >> 16);
            out[o++] = (byte) (p >> 8);
            out[o++] = (byte) p;
            if (samples == 4) {
                out[o++] = (byte) (p >>> 24);
            }
        }
        return out;
    }

    private static BufferedImage read(byte[] webp) throws IOException {
        try (ImageInputStream in = new ByteArrayImageInputStream(webp)) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IOException("no WebP decoder");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in);
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        }
    }
}
