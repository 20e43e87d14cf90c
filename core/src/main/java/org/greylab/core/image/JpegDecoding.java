package org.greylab.core.image;

import java.util.Locale;

/**
 * Which JPEG decoder a batch uses. The two need not agree to the last bit (they round the inverse DCT and the
 * chroma upsampling each their own way), so a batch uses one of them everywhere: its outputs are then byte-identical
 * whichever mode, engine or failover wrote them.
 */
public enum JpegDecoding {
    /** ImageIO (the JDK's libjpeg 6b, TwelveMonkeys for CMYK/YCCK): runs on every Java 17+ machine. */
    JAVA,
    /**
     * libjpeg-turbo's TurboJPEG API, called through the Foreign Function &amp; Memory API (Java 22+ with the
     * system's {@code libturbojpeg.so.0}); files it does not take (ICC profiles other than sRGB, CMYK/YCCK, 12-bit,
     * arithmetic coding, any file it warns about) still go to {@link #JAVA}'s decoder.
     */
    TURBO;

    /** The lower-case word the CLI, the JSON and {@code -Dgreylab.jpeg} use. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The decoding every party of a batch can do: TURBO only when both can. */
    public JpegDecoding and(JpegDecoding other) {
        return this == TURBO && other == TURBO ? TURBO : JAVA;
    }
}
