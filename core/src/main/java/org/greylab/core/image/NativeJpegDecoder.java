package org.greylab.core.image;

/**
 * A native JPEG decoder straight to a grey plane. The one implementation, {@code TurboJpegDecoder}, lives in the
 * jar's Java 22 layer ({@code META-INF/versions/22}); {@link JpegDecoders} finds it by name, so this Java 17 code
 * never links to it.
 */
interface NativeJpegDecoder {

    /**
     * Decodes one 8-bit Huffman JPEG of 1 (grey) or 3 (YCbCr) components and takes its grey with {@code formula}.
     *
     * @param components 1 or 3, from the frame header
     * @return the grey plane and the nanoseconds spent decoding (the rest went to the grey step); null when the file
     * must take the Java path instead (the decoder warned or refused it), which then gives its own reason
     * @throws ConversionException the header claims more than {@code maxPixels}: the same reason as the Java path's
     */
    Decoded decodeGrey(byte[] input, int components, long maxPixels, GreyFormula formula)
            throws ConversionException;

    /** What the user is told: the library and how it is reached. */
    String description();

    record Decoded(GreyImage image, long decodeNanos) {
    }
}
