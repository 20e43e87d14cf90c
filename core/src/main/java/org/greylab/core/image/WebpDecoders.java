package org.greylab.core.image;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebP decoder this process uses, chosen once (on first use): libwebp ({@code libwebp.so.7}, Debian's
 * {@code libwebp7}) through the Foreign Function &amp; Memory API when the runtime is Java 22+, the jar has its Java 22
 * layer and the library decodes an embedded lossy test image exactly as {@code dwebp} did; TwelveMonkeys' Java
 * decoder otherwise. The Java decoder reads lossless WebP exactly but lossy WebP only approximately (its loop filter
 * and upsampling differ from libwebp's: 0.3-2.5 levels on average, up to 18 on single pixels, and on Pillow's
 * flower.webp 6 on average and 148 at worst), so each lossy file
 * decoded by it carries {@link #approximate()} as a warning. {@code -Dgreylab.webp=java} makes this process use (and
 * report) the Java decoder. A batch's own WebP decoder is in its {@link ConversionSettings#decoders()}: the client
 * fixes it from what every party of the batch reports, as it does the JPEG decoder.
 */
public final class WebpDecoders {

    /** The system property that makes this process use the Java decoder: {@code java}, or {@code auto}. */
    public static final String PROPERTY = "greylab.webp";
    /** The warning a lossy WebP gets when libwebp is not used. */
    static final String APPROXIMATE = "lossy WebP is decoded approximately on this runtime (the Java decoder differs"
            + " from libwebp's by a few levels, and far more on some files); Java 22 or newer with libwebp (Debian:"
            + " libwebp7) decodes it exactly";
    /** The warning when this process has libwebp but an engine of the batch has not. */
    static final String APPROXIMATE_IN_BATCH = "lossy WebP is decoded approximately in this batch (the Java decoder"
            + " differs from libwebp's by a few levels, and far more on some files), since not every engine of it has"
            + " libwebp (Debian: libwebp7, on Java 22 or newer)";
    private static final Logger LOG = LoggerFactory.getLogger(WebpDecoders.class);
    private static final String NATIVE_CLASS = "org.greylab.core.image.LibWebpDecoder";

    private record Choice(NativeWebpDecoder decoder, String description, String failure) {
    }

    private static final class Holder {
        static final Choice CHOICE = choose();
    }

    private WebpDecoders() {
    }

    /** libwebp when this process has it, else null. */
    static NativeWebpDecoder nativeDecoder() {
        return Holder.CHOICE.decoder();
    }

    /**
     * The batch's WebP decoder here: libwebp when the batch decodes with it, null for the Java decoder (also when
     * this process has libwebp: the batch's outputs must not depend on where each image went).
     *
     * @throws ConversionException the batch decodes with libwebp and this process does not have it
     */
    static NativeWebpDecoder forBatch(Decoders batch) throws ConversionException {
        if (!batch.libwebp()) {
            return null;
        }
        NativeWebpDecoder decoder = nativeDecoder();
        if (decoder == null) {
            // the client gives a batch libwebp only when every engine of it has it
            throw new ConversionException(Stage.DECODE, "this batch decodes WebP with libwebp, which this engine does"
                    + " not have: " + description());
        }
        return decoder;
    }

    /** The warning a lossy WebP decoded by the Java decoder gets: why it was not libwebp. */
    static String approximate() {
        return available() ? APPROXIMATE_IN_BATCH : APPROXIMATE;
    }

    /** Whether this process may use libwebp as far as {@code -Dgreylab.webp} says, without opening the library. */
    static boolean allowed() {
        return !System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT).equals("java");
    }

    /** Whether this process decodes WebP with libwebp. */
    public static boolean available() {
        return nativeDecoder() != null;
    }

    /** One line for {@code --version}: which WebP decoder runs and, when it is the Java one, why. */
    public static String description() {
        return Holder.CHOICE.description();
    }

    /** @throws IllegalStateException {@code -Dgreylab.webp} has a value it does not know */
    public static void checkForced() {
        // without the property nothing is forced: the library is not opened here, only when a batch asks
        if (System.getProperty(PROPERTY) != null && Holder.CHOICE.failure() != null) {
            throw new IllegalStateException(Holder.CHOICE.failure());
        }
    }

    private static Choice choose() {
        String asked = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        if (!asked.equals("auto") && !asked.equals("java")) {
            return new Choice(null, "Java (TwelveMonkeys)", "-D" + PROPERTY + "=" + asked
                    + " is not a WebP decoder choice: use java or auto");
        }
        if (asked.equals("java")) {
            return new Choice(null, "Java (TwelveMonkeys), as -D" + PROPERTY + "=java asks", null);
        }
        try {
            NativeWebpDecoder decoder = NativeLayer.open(NATIVE_CLASS, NativeWebpDecoder.class, "libwebp");
            LOG.debug("WebP decoder: {}", decoder.description());
            return new Choice(decoder, decoder.description(), null);
        } catch (NativeLayer.Unavailable e) {
            LOG.debug("no native WebP decoder: {}", e.getMessage());
            return new Choice(null, "Java (TwelveMonkeys); " + e.getMessage(), null);
        }
    }

    /** Whether a WebP file's image is lossy (a VP8 chunk; VP8L is lossless), read from its RIFF chunks. */
    static boolean isLossy(byte[] webp) {
        int pos = 12;
        while (pos + 8 <= webp.length) {
            if (webp[pos] == 'V' && webp[pos + 1] == 'P' && webp[pos + 2] == '8'
                    && (webp[pos + 3] == ' ' || webp[pos + 3] == 'L')) {
                return webp[pos + 3] == ' ';
            }
            long len = (webp[pos + 4] & 0xFFL) | (webp[pos + 5] & 0xFFL) << 8 | (webp[pos + 6] & 0xFFL) << 16
                    | (webp[pos + 7] & 0xFFL) << 24;
            if (webp[pos] == 'A' && webp[pos + 1] == 'N' && webp[pos + 2] == 'M' && webp[pos + 3] == 'F') {
                pos += 8 + 16; // an animation frame's header, then its own VP8/VP8L chunk
                continue;
            }
            pos += 8 + (int) len + (int) (len & 1);
        }
        return false;
    }
}
