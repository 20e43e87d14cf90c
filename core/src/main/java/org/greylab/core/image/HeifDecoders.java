package org.greylab.core.image;

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

    /** Whether this process decodes HEIC and AVIF (with libheif). */
    public static boolean available() {
        return nativeDecoder() != null;
    }

    /** The reason a HEIF file fails with when this process has no libheif. */
    static String unreadable(byte[] heif) {
        return unreadable(heif, description());
    }

    /**
     * The reason a HEIF file fails with when its batch does not decode HEIF: some party of it (this process, or an
     * engine) has no libheif, and a file that converted on one engine and failed on another would make the batch's
     * outputs depend on where each image went.
     */
    static String unreadableInThisBatch(byte[] heif) {
        return unreadable(heif, "which not every engine of this batch has");
    }

    private static String unreadable(byte[] heif, String why) {
        boolean avif = heif.length >= 12 && heif[8] == 'a' && heif[9] == 'v' && heif[10] == 'i';
        return "this is " + (avif ? "an AVIF" : "a HEIC/HEIF") + " image, which this program reads only through"
                + " libheif (" + why + "); heif-convert (Debian: libheif-examples) converts it to PNG";
    }

    private static Choice choose() {
        try {
            NativeHeifDecoder decoder = NativeLayer.open(NATIVE_CLASS, NativeHeifDecoder.class, "libheif");
            LOG.debug("HEIF decoder: {}", decoder.description());
            return new Choice(decoder, decoder.description());
        } catch (NativeLayer.Unavailable e) {
            LOG.debug("no HEIF decoder: {}", e.getMessage());
            return new Choice(null, "none: " + e.getMessage());
        }
    }
}
