package org.greylab.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;
import org.greylab.core.testing.Samples;
import org.junit.jupiter.api.Test;

/** A JPEG's embedded Adobe RGB profile applied with a kept transform gives the JDK reader's own pixels. */
class EmbeddedProfilesTest {

    /** A sample photo whose embedded profile is Adobe RGB (1998). */
    private static final String ADOBE_RGB = "rocket.jpg";

    private static ImageReader reader(byte[] jpeg) throws Exception {
        ImageReader reader = ImageIO.getImageReadersByFormatName("jpeg").next();
        ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(jpeg));
        reader.setInput(in, false, true);
        return reader;
    }

    /** What the reader returns when asked for its pixels in the embedded profile, untouched. */
    private static BufferedImage inEmbeddedProfile(byte[] jpeg) throws Exception {
        ImageReader reader = reader(jpeg);
        try {
            ImageReadParam param = reader.getDefaultReadParam();
            for (Iterator<ImageTypeSpecifier> it = reader.getImageTypes(0); it.hasNext(); ) {
                ImageTypeSpecifier type = it.next();
                ColorSpace cs = type.getColorModel().getColorSpace();
                if (cs instanceof ICC_ColorSpace && !cs.isCS_sRGB() && cs.getType() == ColorSpace.TYPE_RGB) {
                    param.setDestinationType(type);
                }
            }
            return reader.read(0, param);
        } finally {
            reader.dispose();
        }
    }

    @Test
    void givesTheJdkReadersOwnSrgbPixelsTimeAfterTime() throws Exception {
        byte[] jpeg = Samples.bytes(ADOBE_RGB);
        ImageReader reader = reader(jpeg);
        BufferedImage byTheReader = reader.read(0);
        byte[] icc = ((ICC_ColorSpace) inEmbeddedProfile(jpeg).getColorModel().getColorSpace()).getProfile()
                .getData();
        reader.dispose();
        assertThat(EmbeddedProfiles.converts(ProfileFacts.of(icc))).isTrue();

        for (int round = 0; round < 3; round++) {
            BufferedImage ours = EmbeddedProfiles.toSrgb(inEmbeddedProfile(jpeg), icc);

            assertThat(ours.getType()).isEqualTo(byTheReader.getType());
            assertThat(ours.getWidth()).isEqualTo(byTheReader.getWidth());
            int[] expected = byTheReader.getRGB(0, 0, ours.getWidth(), ours.getHeight(), null, 0, ours.getWidth());
            int[] actual = ours.getRGB(0, 0, ours.getWidth(), ours.getHeight(), null, 0, ours.getWidth());
            assertThat(actual).isEqualTo(expected);
        }
    }

    @Test
    void convertsNeitherSrgbNorGreyProfiles() {
        assertThat(EmbeddedProfiles.converts(ProfileFacts.of(ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData())))
                .isFalse();
        assertThat(EmbeddedProfiles.converts(ProfileFacts.of(ICC_Profile.getInstance(ColorSpace.CS_GRAY).getData())))
                .isFalse();
    }
}
