package org.greylab.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class SyntheticPhotoTest {

    private static byte[] pixels(BufferedImage image) {
        return ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    }

    @Test
    void sameSeedGivesTheSamePixelsAndAnotherSeedOthers() {
        BufferedImage a = SyntheticPhoto.of(96, 72, 3);

        assertThat(a.getWidth()).isEqualTo(96);
        assertThat(a.getHeight()).isEqualTo(72);
        assertThat(pixels(SyntheticPhoto.of(96, 72, 3))).isEqualTo(pixels(a));
        assertThat(pixels(SyntheticPhoto.of(96, 72, 4))).isNotEqualTo(pixels(a));
    }

    @Test
    void itIsAGradientLikeAPhotoNotFlatNoise() {
        BufferedImage image = SyntheticPhoto.of(200, 100, 1);

        // blue (the first byte of BGR) runs from dark on the left to bright on the right, whatever the noise
        // (0..15 on top of the ramp: at 3/4 of the width the ramp is at 191)
        int left = image.getRaster().getSample(2, 50, 2);
        int right = image.getRaster().getSample(150, 50, 2);
        assertThat(right - left).isGreaterThan(150);
    }

    @Test
    void pngDecodesBackToTheSamePixels() throws Exception {
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(SyntheticPhoto.png(48, 36, 7)));

        BufferedImage original = SyntheticPhoto.of(48, 36, 7);
        assertThat(decoded.getWidth()).isEqualTo(48);
        assertThat(decoded.getHeight()).isEqualTo(36);
        for (int y = 0; y < 36; y += 7) {
            for (int x = 0; x < 48; x += 5) {
                assertThat(decoded.getRGB(x, y)).isEqualTo(original.getRGB(x, y));
            }
        }
    }
}
