package org.greylab.core.image;

import java.awt.image.BufferedImage;

/**
 * libheif's decoding of HEIC and AVIF. The one implementation, {@code LibHeifDecoder}, lives in the jar's Java 22
 * layer; {@link HeifDecoders} finds it by name, so this Java 17 code never links to it.
 */
interface NativeHeifDecoder {

    /**
     * Decodes the primary image, with the file's rotation and mirroring applied (as libheif does by default).
     *
     * @throws ConversionException libheif cannot decode it (its reason), or the image is above {@code maxPixels}
     */
    BufferedImage decode(byte[] heif, long maxPixels) throws ConversionException;

    String description();
}
