package org.greylab.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.util.Arrays;
import org.greylab.core.testing.Samples;
import org.junit.jupiter.api.Test;

/** The facts kept per embedded profile: the same answers as reading the profile each time. */
class ProfileFactsTest {

    @Test
    void sRgbGreyAdobeRgbAndBrokenProfilesAreToldApart() throws Exception {
        byte[] srgb = ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData();
        byte[] grey = ICC_Profile.getInstance(ColorSpace.CS_GRAY).getData();
        byte[] adobe = SourceMetadata.read(ImageFormat.JPEG, Samples.bytes("rocket.jpg")).jpeg().icc();
        byte[] broken = Arrays.copyOf(srgb, 100);

        assertThat(ProfileFacts.of(srgb)).isEqualTo(new ProfileFacts(true, true, true));
        assertThat(ProfileFacts.of(grey)).isEqualTo(new ProfileFacts(true, false, false));
        assertThat(ProfileFacts.of(adobe)).isEqualTo(new ProfileFacts(true, true, false));
        assertThat(ProfileFacts.of(broken).valid()).isFalse();
        assertThat(GreyConverter.isSrgbProfile(ICC_Profile.getInstance(adobe))).isFalse();
    }

    @Test
    void aProfileIsReadOnceAndTheCallersArrayMayChangeAfter() {
        byte[] srgb = ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData();
        byte[] asked = srgb.clone();
        ProfileFacts first = ProfileFacts.of(asked);
        // the caller reuses its array for another image's profile: what was kept must not change with it
        byte[] grey = ICC_Profile.getInstance(ColorSpace.CS_GRAY).getData();
        Arrays.fill(asked, (byte) 0);
        System.arraycopy(grey, 0, asked, 0, Math.min(grey.length, asked.length));

        assertThat(ProfileFacts.of(srgb.clone())).isSameAs(first);
        assertThat(ProfileFacts.of(grey).srgb()).isFalse();
    }

    @Test
    void moreProfilesThanKeptAreStillAnsweredRightly() {
        byte[] srgb = ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData();
        for (int i = 0; i < 20; i++) {
            // the same profile with another creation date byte: different bytes, the same facts
            byte[] variant = srgb.clone();
            variant[24] = (byte) i;
            assertThat(ProfileFacts.of(variant)).as("variant %d", i).isEqualTo(new ProfileFacts(true, true, true));
        }
        assertThat(ProfileFacts.of(srgb)).isEqualTo(new ProfileFacts(true, true, true));
    }
}
