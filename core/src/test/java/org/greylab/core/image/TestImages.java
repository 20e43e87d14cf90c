package org.greylab.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** The reference grey PNGs of the test resources, reading and decoding, and the ±1 comparison with a reference. */
final class TestImages {

    private TestImages() {
    }

    /** The sample-side reference of an image: {@code src/test/resources/reference/NAME.png}. */
    static Path sampleReference(Path image) {
        return resource("reference/" + baseName(image) + ".png");
    }

    static Path resource(String name) {
        try {
            return Path.of(TestImages.class.getClassLoader().getResource(name).toURI());
        } catch (Exception e) {
            throw new IllegalStateException("missing test resource " + name, e);
        }
    }

    static byte[] bytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String baseName(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }

    static BufferedImage decode(byte[] encoded) {
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(encoded));
            assertThat(img).as("output decodes with ImageIO").isNotNull();
            return img;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static BufferedImage read(Path p) {
        return decode(bytes(p));
    }

    /** Asserts equal size and every band-0 sample within ±{@code tolerance}; returns the largest difference. */
    static int assertGreyWithin(BufferedImage actual, BufferedImage expected, int tolerance, String what) {
        assertThat(actual.getWidth()).as(what + " width").isEqualTo(expected.getWidth());
        assertThat(actual.getHeight()).as(what + " height").isEqualTo(expected.getHeight());
        Raster a = actual.getRaster();
        Raster e = expected.getRaster();
        int w = actual.getWidth();
        int[] ra = new int[w];
        int[] re = new int[w];
        int worst = 0;
        for (int y = 0; y < actual.getHeight(); y++) {
            a.getSamples(0, y, w, 1, 0, ra);
            e.getSamples(0, y, w, 1, 0, re);
            for (int x = 0; x < w; x++) {
                int d = Math.abs(ra[x] - re[x]);
                if (d > worst) {
                    worst = d;
                    assertThat(d).as("%s pixel (%d, %d): %d vs reference %d", what, x, y, ra[x], re[x])
                            .isLessThanOrEqualTo(tolerance);
                }
            }
        }
        return worst;
    }
}
