package org.greylab.core.image;

import java.awt.image.BufferedImage;

/**
 * libwebp's own decoding. The one implementation, {@code LibWebpDecoder}, lives in the jar's Java 22 layer;
 * {@link WebpDecoders} finds it by name, so this Java 17 code never links to it.
 */
interface NativeWebpDecoder {

    /**
     * Decodes a still WebP (lossy, lossless, with or without alpha) as libwebp's {@code dwebp} does by default.
     *
     * @return sRGB pixels, with alpha only when some pixel is not opaque; null when libwebp refuses the file
     * (animated, damaged), which then takes the Java path and gets its reason there
     * @throws ConversionException the header claims more than {@code maxPixels}
     */
    BufferedImage decode(byte[] webp, long maxPixels) throws ConversionException;

    /** What the user is told: the library and how it is reached. */
    String description();
}
