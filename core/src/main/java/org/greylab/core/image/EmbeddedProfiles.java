package org.greylab.core.image;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;

/**
 * The conversion the JDK's JPEG reader applies to an image with an embedded RGB profile other than sRGB, done here
 * with one colour transform per profile, kept for the next image. The reader makes a new
 * {@link ColorConvertOp} for every image, and LittleCMS builds its transform anew each time: about a millisecond, a
 * third of a folder of thumbnails' decoding. The steps are the reader's own (its pixels in the embedded profile,
 * then {@code new ColorConvertOp(profile, sRGB, null)} from raster to raster), so the pixels are the same.
 */
final class EmbeddedProfiles {

    // a ColorConvertOp keeps its transform in fields it sets on first use: one thread at a time uses it
    private static final PerProfile<ColorConvertOp> OPS = new PerProfile<>(icc -> new ColorConvertOp(
            new ICC_ColorSpace(ICC_Profile.getInstance(icc)), ColorSpace.getInstance(ColorSpace.CS_sRGB), null));

    private EmbeddedProfiles() {
    }

    /** Whether a profile is one this class converts: RGB, and not sRGB (which needs no conversion). */
    static boolean converts(ProfileFacts profile) {
        return profile.valid() && profile.rgb() && !profile.srgb();
    }

    /**
     * {@code image}, 8-bit RGB samples in the colour space of the embedded profile {@code icc}, converted to sRGB as
     * the JDK's JPEG reader would have returned it ({@link BufferedImage#TYPE_3BYTE_BGR}).
     */
    static BufferedImage toSrgb(BufferedImage image, byte[] icc) {
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        OPS.with(icc, op -> op.filter(image.getRaster(), out.getRaster()));
        return out;
    }
}
