package org.greylab.core.image;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JPEG decoder this process can use, chosen once (on first use) and reported: libjpeg-turbo through the Foreign
 * Function &amp; Memory API when the runtime is Java 22+, the jar has its Java 22 layer, {@code libturbojpeg.so.0}
 * opens and it decodes an embedded test JPEG as the Java path does; the Java path otherwise.
 * {@code -Dgreylab.jpeg=java} or {@code =turbo} forces one ({@link #checkForced} fails when {@code turbo} cannot be
 * had). A batch's own decoder is in its {@link ConversionSettings#jpegDecoding()}: the client fixes it from what
 * every party of the batch reports.
 */
public final class JpegDecoders {

    /** The system property that forces a decoder: {@code java}, {@code turbo} or {@code auto} (the default). */
    public static final String PROPERTY = "greylab.jpeg";
    private static final Logger LOG = LoggerFactory.getLogger(JpegDecoders.class);
    private static final String NATIVE_CLASS = "org.greylab.core.image.TurboJpegDecoder";

    private record Choice(JpegDecoding decoding, NativeJpegDecoder decoder, String description, String failure) {
    }

    private static final class Holder {
        static final Choice CHOICE = choose();
    }

    private JpegDecoders() {
    }

    /** How the native decoder's description begins; only its description does, so a ready line read back tells. */
    public static final String TURBO_DESCRIPTION_START = "libjpeg-turbo (";

    /** The best decoder this process has: {@link JpegDecoding#TURBO} when the native one works here. */
    public static JpegDecoding preferred() {
        return Holder.CHOICE.decoding();
    }

    /** The decoder this process may use as far as {@code -Dgreylab.jpeg} says, without opening the library. */
    static JpegDecoding allowed() {
        String asked = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        return asked.equals("java") ? JpegDecoding.JAVA : JpegDecoding.TURBO;
    }

    /** One line for {@code --version}, the engine's ready line and bench's header. */
    public static String description() {
        return Holder.CHOICE.description();
    }

    /**
     * @throws IllegalStateException {@code -Dgreylab.jpeg=turbo} asked for the native decoder and it cannot be had
     *                               here (the message says why), or the property has a value it does not know
     */
    public static void checkForced() {
        if (System.getProperty(PROPERTY) != null && Holder.CHOICE.failure() != null) {
            throw new IllegalStateException(Holder.CHOICE.failure());
        }
    }

    /** The native decoder, or null when this process decodes every JPEG with the Java path. */
    static NativeJpegDecoder nativeDecoder() {
        return Holder.CHOICE.decoder();
    }

    private static Choice choose() {
        String asked = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        if (!asked.equals("auto") && !asked.equals("java") && !asked.equals("turbo")) {
            String failure = "-D" + PROPERTY + "=" + asked + " is not a JPEG decoder: use java, turbo or auto";
            return new Choice(JpegDecoding.JAVA, null, "Java (ImageIO)", failure);
        }
        if (asked.equals("java")) {
            return new Choice(JpegDecoding.JAVA, null, "Java (ImageIO), as -D" + PROPERTY + "=java asks", null);
        }
        try {
            NativeJpegDecoder decoder = NativeLayer.open(NATIVE_CLASS, NativeJpegDecoder.class, "libjpeg-turbo");
            LOG.debug("JPEG decoder: {}", decoder.description());
            return new Choice(JpegDecoding.TURBO, decoder, decoder.description(), null);
        } catch (NativeLayer.Unavailable e) {
            LOG.debug("no native JPEG decoder: {}", e.getMessage());
            if (asked.equals("turbo")) {
                String failure = "-D" + PROPERTY + "=turbo asks for the native JPEG decoder, but " + e.getMessage();
                return new Choice(JpegDecoding.JAVA, null, "Java (ImageIO)", failure);
            }
            return new Choice(JpegDecoding.JAVA, null, "Java (ImageIO); " + e.getMessage(), null);
        }
    }
}
