package org.greylab.core.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * A photo-like picture made up on the spot: smooth colour gradients with a little noise, so that it decodes,
 * converts and compresses roughly as a photo does. For warming the kernel up and for measuring the dispatch path,
 * where no user image is at hand and the content must not matter.
 */
public final class SyntheticPhoto {

    private SyntheticPhoto() {
    }

    /** A {@code width} x {@code height} 8-bit BGR picture; the same {@code seed} gives the same pixels. */
    public static BufferedImage of(int width, int height, long seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        byte[] pixels = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        Random noise = new Random(seed);
        for (int y = 0, i = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                pixels[i++] = (byte) (x * 255 / width + noise.nextInt(16));
                pixels[i++] = (byte) (y * 255 / height + noise.nextInt(16));
                pixels[i++] = (byte) ((x + y) * 255 / (width + height) + noise.nextInt(16));
            }
        }
        return image;
    }

    /** {@link #of} encoded as a PNG file's bytes (by ImageIO's own writer). */
    public static byte[] png(int width, int height, long seed) {
        return png(of(width, height, seed));
    }

    /** A picture already made by {@link #of}, encoded as a PNG file's bytes (by ImageIO's own writer). */
    public static byte[] png(BufferedImage image) {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", png)) {
                throw new IllegalStateException("no PNG writer in this runtime");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("an in-memory PNG could not be written", e);
        }
        return png.toByteArray();
    }
}
