package org.greylab.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import javax.imageio.ImageIO;

/** Where the real test images live, and the ±1 comparison with a reference grey PNG. */
final class TestImages {

    private TestImages() {
    }

    /** {@code assets/samples} of this repository: from {@code greylab.repo.dir}, else found walking up. */
    static Path samplesDir() {
        String repo = System.getProperty("greylab.repo.dir");
        if (repo != null && Files.isDirectory(Path.of(repo, "assets", "samples"))) {
            return Path.of(repo, "assets", "samples");
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("assets/samples"))) {
                return p.resolve("assets/samples");
            }
        }
        throw new IllegalStateException("assets/samples not found above " + Path.of("").toAbsolutePath());
    }

    /** {@code ../shared/corpus-dev} when present ({@code greylab.corpus.dir}). */
    static Optional<Path> corpusDir() {
        String dir = System.getProperty("greylab.corpus.dir");
        if (dir == null || !Files.isDirectory(Path.of(dir))) {
            return Optional.empty();
        }
        return Optional.of(Path.of(dir));
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

    static boolean isImageName(Path p) {
        return ImageFormat.fromExtension(p.getFileName().toString().toLowerCase(Locale.ROOT)).isPresent();
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
