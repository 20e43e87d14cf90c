package org.greylab.core.image;

import java.io.IOException;
import java.util.Arrays;
import javax.imageio.plugins.jpeg.JPEGQTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JPEG encoder this process uses, chosen once (on the first JPEG written) and reported: libjpeg-turbo through the
 * Foreign Function &amp; Memory API where the JPEG decoder may be native too ({@code -Dgreylab.jpeg} not
 * {@code java}), the runtime is Java 22+ with the jar's Java 22 layer, {@code libturbojpeg.so.0} opens, and it
 * writes a test image with the same bytes as the JDK's writer at several qualities; the JDK's writer otherwise, and
 * at the qualities where the two scale their quantization tables apart. Because either writes the same bytes, a
 * batch needs no agreement on the encoder, unlike the decoder.
 */
public final class JpegEncoders {

    private static final Logger LOG = LoggerFactory.getLogger(JpegEncoders.class);
    private static final String NATIVE_CLASS = "org.greylab.core.image.TurboJpegEncoder";
    /** Low, default-like, high and lossless-like quantization: each scales the tables differently. */
    private static final int[] TEST_QUALITIES = {1, 50, 90, 100};

    private record Choice(NativeJpegEncoder encoder, String description) {
    }

    private static final class Holder {
        static final Choice CHOICE = choose();
    }

    private JpegEncoders() {
    }

    /**
     * Qualities (by index) at which the JDK's writer and libjpeg scale the standard table alike: the JDK in
     * {@code float}, libjpeg in integers, so at 35 of the 100 (85 among them) a few entries round apart, and there
     * only the JDK's writer can give the JDK's bytes.
     */
    private static final boolean[] SAME_TABLES = sameTables();

    /** The native encoder, or null when this process writes every JPEG with the JDK's writer. */
    static NativeJpegEncoder nativeEncoder() {
        return Holder.CHOICE.encoder();
    }

    /** The native encoder when it writes the JDK writer's bytes at {@code quality} (1-100), else null. */
    static NativeJpegEncoder nativeEncoder(int quality) {
        return quality >= 1 && quality <= 100 && SAME_TABLES[quality] ? nativeEncoder() : null;
    }

    /** Whether both scale the standard luminance table alike at {@code quality}. */
    static boolean sameTables(int quality) {
        return SAME_TABLES[quality];
    }

    private static boolean[] sameTables() {
        int[] standard = JPEGQTable.K1Luminance.getTable();
        boolean[] same = new boolean[101];
        for (int quality = 1; quality <= 100; quality++) {
            // the JDK's JPEG.convertToLinearQuality, then JPEGQTable.getScaledInstance's own rounding
            float q = quality / 100f;
            float linear = q < 0.5f ? 0.5f / q : 2.0f - q * 2.0f;
            int[] jdk = JPEGQTable.K1Luminance.getScaledInstance(linear, true).getTable();
            // libjpeg's jpeg_quality_scaling and jpeg_add_quant_table, baseline
            int scale = quality < 50 ? 5000 / quality : 200 - quality * 2;
            boolean alike = true;
            for (int i = 0; i < standard.length && alike; i++) {
                alike = Math.max(1, Math.min(255, (standard[i] * scale + 50) / 100)) == jdk[i];
            }
            same[quality] = alike;
        }
        return same;
    }

    /** One line for {@code --version}. */
    public static String description() {
        return Holder.CHOICE.description();
    }

    private static Choice choose() {
        if (JpegDecoders.allowed() == JpegDecoding.JAVA) {
            return new Choice(null, "the JDK's (ImageIO), as -D" + JpegDecoders.PROPERTY + "=java asks");
        }
        NativeJpegEncoder encoder;
        try {
            encoder = NativeLayer.open(NATIVE_CLASS, NativeJpegEncoder.class, "libjpeg-turbo");
        } catch (NativeLayer.Unavailable e) {
            LOG.debug("no native JPEG encoder: {}", e.getMessage());
            return new Choice(null, "the JDK's (ImageIO); " + e.getMessage());
        }
        String unlike = unlikeTheJdk(encoder);
        if (unlike != null) {
            LOG.warn("libjpeg-turbo is not used to write JPEG: {}", unlike);
            return new Choice(null, "the JDK's (ImageIO); libjpeg-turbo " + unlike);
        }
        return new Choice(encoder, encoder.description());
    }

    /** Null when {@code encoder} writes a test image as the JDK's writer does, else what differs. */
    static String unlikeTheJdk(NativeJpegEncoder encoder) {
        // 37 × 29: partial blocks on both edges, with a gradient, texture and hard edges to quantize
        int width = 37;
        int height = 29;
        byte[] grey = new byte[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                grey[y * width + x] = (byte) (x * 7 + y * 3 + ((x ^ y) & 4) * 20 + (x > 20 ? 90 : 0));
            }
        }
        GreyImage image = GreyImage.of8(width, height, false, grey);
        try {
            for (int quality : TEST_QUALITIES) {
                byte[] jdk = GreyJpegEncoder.encodeWithJdk(image, quality, 72, 72);
                byte[] turbo = encoder.encodeGrey(grey, width, height, quality, GreyJpegEncoder.jfif(72, 72));
                if (!Arrays.equals(jdk, turbo)) {
                    return "writes other bytes than the JDK's writer at quality " + quality;
                }
            }
        } catch (IOException | RuntimeException e) {
            return "failed on the test image: " + e;
        }
        return null;
    }
}
