package org.greylab.core.image;

import java.lang.reflect.InvocationTargetException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HEIF (HEIC, AVIF) decoder this process has, chosen once: the system's libheif ({@code libheif.so.1}, Debian's
 * {@code libheif1}) through the Foreign Function &amp; Memory API on Java 22+; none otherwise, since no maintained
 * Java decoder of HEVC or AV1 exists, and then a HEIF file fails with a reason that names a tool which reads it.
 */
public final class HeifDecoders {

    private static final Logger LOG = LoggerFactory.getLogger(HeifDecoders.class);
    private static final String NATIVE_CLASS = "org.greylab.core.image.LibHeifDecoder";

    private record Choice(NativeHeifDecoder decoder, String description) {
    }

    private static final class Holder {
        static final Choice CHOICE = choose();
    }

    private HeifDecoders() {
    }

    static NativeHeifDecoder nativeDecoder() {
        return Holder.CHOICE.decoder();
    }

    /** One line for {@code --version}: libheif and its version, or why HEIC and AVIF are not read here. */
    public static String description() {
        return Holder.CHOICE.description();
    }

    /** The reason a HEIF file fails with when this process has no libheif. */
    static String unreadable(byte[] heif) {
        boolean avif = heif.length >= 12 && heif[8] == 'a' && heif[9] == 'v' && heif[10] == 'i';
        return "this is " + (avif ? "an AVIF" : "a HEIC/HEIF") + " image, which this program reads only through"
                + " libheif (" + description() + "); heif-convert (Debian: libheif-examples) converts it to PNG";
    }

    private static Choice choose() {
        int feature = Runtime.version().feature();
        if (feature < 22) {
            return new Choice(null, "none: libheif needs Java 22 or newer (this is Java " + feature + ")");
        }
        try {
            Class<?> type = Class.forName(NATIVE_CLASS);
            NativeHeifDecoder decoder = (NativeHeifDecoder) type.getDeclaredMethod("open").invoke(null);
            LOG.debug("HEIF decoder: {}", decoder.description());
            return new Choice(decoder, decoder.description());
        } catch (ClassNotFoundException e) {
            return new Choice(null, "none: this build has no libheif layer (built on a JDK older than 22)");
        } catch (InvocationTargetException e) {
            return new Choice(null, "none: " + e.getCause().getMessage());
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            LOG.debug("no HEIF decoder", e);
            return new Choice(null, "none: libheif failed to start: " + e);
        }
    }
}
