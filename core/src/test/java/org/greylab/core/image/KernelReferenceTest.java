package org.greylab.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.greylab.core.testing.Samples;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The kernel against scikit-image's greyscales: every sample and every corpus photo, every pixel within ±1. */
class KernelReferenceTest {

    private static final ConversionSettings PNG_OUT = ConversionSettings.defaults().withFormat(OutputFormat.PNG);
    private final GreyscaleKernel kernel = new GreyscaleKernel();

    static Stream<Arguments> samples() throws IOException {
        Path dir = Samples.folder();
        return Samples.images().stream().map(p -> Arguments.of(Samples.relative(dir, p), p,
                TestImages.sampleReference(p)));
    }

    static Stream<Arguments> corpus() throws IOException {
        Path dir = Samples.corpus().orElse(null);
        if (dir == null) {
            return Stream.of(Arguments.of("corpus absent", null, null));
        }
        return Samples.imagesUnder(dir).stream().map(p -> {
            // reference/ holds grey PNGs: valid grey inputs that must pass through unchanged.
            Path ref = p.getParent().getFileName().toString().equals("reference") ? p
                    : dir.resolve("reference").resolve(TestImages.baseName(p) + ".png");
            return Arguments.of(Samples.relative(dir, p), p, ref);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void sampleMatchesItsReferenceWithinOneLevel(String name, Path image, Path reference) throws Exception {
        assertMatches(name, image, reference);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void corpusPhotoMatchesItsReferenceWithinOneLevel(String name, Path image, Path reference) throws Exception {
        Assumptions.assumeTrue(image != null, "../shared/corpus-dev is absent");
        assertMatches(name, image, reference);
    }

    @Test
    void everySampleHasAReference() throws IOException {
        assertThat(Samples.images())
                .isNotEmpty()
                .allSatisfy(p -> assertThat(TestImages.sampleReference(p)).exists());
    }

    private void assertMatches(String name, Path image, Path reference) throws Exception {
        ConversionResult result = kernel.convert(TestImages.bytes(image), PNG_OUT);
        assertThat(result.outputFormat()).isEqualTo(ImageFormat.PNG);
        assertThat(result.bitDepth()).isEqualTo(8);
        TestImages.assertGreyWithin(TestImages.decode(result.output()), TestImages.read(reference), 1, name);
        assertThat(result.pixels()).isEqualTo((long) result.width() * result.height());
    }
}
