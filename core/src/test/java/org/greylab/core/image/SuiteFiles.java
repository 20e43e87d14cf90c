package org.greylab.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The public codec test suites under {@code src/test/resources/suites/} (see LICENSES.md there) and their reference
 * grey images, made by ImageMagick with {@code make-references.py}: an 8-bit grey+alpha PNG per decodable file.
 */
final class SuiteFiles {

    private SuiteFiles() {
    }

    /** The names of the files in {@code suites/FOLDER} that {@code accept} takes, sorted. */
    static List<String> names(String folder, Predicate<String> accept) {
        try (Stream<Path> files = Files.list(TestImages.resource("suites/" + folder))) {
            return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).filter(accept).sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(String folder, String name) {
        return TestImages.bytes(TestImages.resource("suites/" + folder + "/" + name));
    }

    static BufferedImage reference(String referenceFolder, String name) {
        return TestImages.read(TestImages.resource("suites/" + referenceFolder + "/"
                + name.substring(0, name.lastIndexOf('.')) + ".png"));
    }

    /**
     * Asserts that a grey output (8 or 16 bit, with or without alpha) has the reference's size, and every pixel's
     * grey and alpha within ±{@code tolerance} of the reference's at 8 bits (an output without alpha is opaque). The
     * grey of fully transparent pixels is not compared: no decoder promises what lies under them.
     */
    static void assertMatchesReference(BufferedImage actual, BufferedImage reference, int tolerance, String what) {
        assertThat(actual.getWidth()).as(what + " width").isEqualTo(reference.getWidth());
        assertThat(actual.getHeight()).as(what + " height").isEqualTo(reference.getHeight());
        Raster a = actual.getRaster();
        Raster e = reference.getRaster();
        boolean alpha = actual.getColorModel().hasAlpha();
        int max = (1 << actual.getColorModel().getComponentSize(0)) - 1;
        for (int y = 0; y < actual.getHeight(); y++) {
            for (int x = 0; x < actual.getWidth(); x++) {
                int grey = to8(a.getSample(x, y, 0), max);
                int opacity = alpha ? to8(a.getSample(x, y, 1), max) : 255;
                int refGrey = e.getSample(x, y, 0);
                int refAlpha = e.getSample(x, y, 1);
                if (Math.abs(opacity - refAlpha) > tolerance) {
                    assertThat(opacity).as("%s alpha at (%d, %d)", what, x, y).isEqualTo(refAlpha);
                }
                if (refAlpha != 0 && Math.abs(grey - refGrey) > tolerance) {
                    assertThat(grey).as("%s grey at (%d, %d), reference %d", what, x, y, refGrey)
                            .isEqualTo(refGrey);
                }
            }
        }
    }

    /** The mean absolute grey difference over the pixels the reference does not make fully transparent. */
    static double meanAbsoluteDifference(BufferedImage actual, BufferedImage reference) {
        Raster a = actual.getRaster();
        Raster e = reference.getRaster();
        int max = (1 << actual.getColorModel().getComponentSize(0)) - 1;
        long sum = 0;
        long n = 0;
        for (int y = 0; y < actual.getHeight(); y++) {
            for (int x = 0; x < actual.getWidth(); x++) {
                if (e.getSample(x, y, 1) != 0) {
                    sum += Math.abs(to8(a.getSample(x, y, 0), max) - e.getSample(x, y, 0));
                    n++;
                }
            }
        }
        return (double) sum / n;
    }

    private static int to8(int sample, int max) {
        return max == 255 ? sample : (int) Math.round(sample * 255.0 / max);
    }
}
