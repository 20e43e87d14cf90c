package org.greylab.core.image;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;

/**
 * What the decoders ask of an embedded ICC profile (whether it is valid, RGB, sRGB), found once per profile and
 * kept for the next image. Reading a profile ({@link ICC_Profile#getInstance(byte[])} and its description
 * tag) takes LittleCMS 0.1-0.25 ms, and a JPEG with an sRGB profile was asked up to three times: about a sixth of
 * converting a thumbnail. A folder's images carry a few profiles, the same bytes over and over.
 *
 * @param valid whether the JDK reads the profile at all
 * @param rgb   whether it is a profile of an RGB colour space
 * @param srgb  whether it says sRGB ({@link GreyConverter#isSrgbProfile})
 */
record ProfileFacts(boolean valid, boolean rgb, boolean srgb) {

    private static final ProfileFacts INVALID = new ProfileFacts(false, false, false);
    private static final PerProfile<ProfileFacts> KNOWN = new PerProfile<>(ProfileFacts::read);

    /** The facts of the profile {@code icc} (the bytes of an embedded profile, as the file holds them). */
    static ProfileFacts of(byte[] icc) {
        return KNOWN.with(icc, facts -> facts);
    }

    private static ProfileFacts read(byte[] icc) {
        ICC_Profile profile;
        try {
            profile = ICC_Profile.getInstance(icc);
        } catch (IllegalArgumentException e) {
            return INVALID;
        }
        return new ProfileFacts(true, profile.getColorSpaceType() == ColorSpace.TYPE_RGB,
                GreyConverter.isSrgbProfile(profile));
    }
}
