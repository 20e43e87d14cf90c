package org.greylab.core.image;

/**
 * A native encoder of grey planes to baseline JPEG. The one implementation, {@code TurboJpegEncoder}, lives in the
 * jar's Java 22 layer ({@code META-INF/versions/22}); {@link JpegEncoders} finds it by name and uses it only once it
 * has written the same bytes as the JDK's writer on a test image, so outputs never depend on which one ran.
 */
interface NativeJpegEncoder {

    /**
     * Encodes {@code grey} ({@code width × height} 8-bit samples) at {@code quality} (1-100), with the accurate
     * integer DCT and the standard Huffman tables, and with {@code app0} (a whole JFIF APP0 segment, marker
     * included) in place of the library's own.
     *
     * @return the JPEG file's bytes, or null when the library failed (the caller then uses the JDK's writer)
     */
    byte[] encodeGrey(byte[] grey, int width, int height, int quality, byte[] app0);

    /** What the user is told: the library and how it is reached. */
    String description();
}
