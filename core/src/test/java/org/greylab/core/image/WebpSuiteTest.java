package org.greylab.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Lossy WebP (libwebp's example image and Pillow's test images, with and without alpha) against libwebp's own
 * {@code dwebp}. Exact within a level where libwebp decodes (Java 22+ with libwebp7); elsewhere the Java decoder's
 * approximation carries a warning that says so.
 */
class WebpSuiteTest {

    private static final ConversionSettings PNG_OUT = ConversionSettings.defaults().withFormat(OutputFormat.PNG);
    private final GreyscaleKernel kernel = new GreyscaleKernel();

    private static boolean libwebpDecodes() {
        return WebpDecoders.nativeDecoder() != null;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"test.webp", "hopper.webp", "flower.webp", "flower2.webp", "transparent.webp"})
    void lossyWebpMatchesDwebpWithinOneLevel(String name) throws Exception {
        assumeTrue(libwebpDecodes(), "libwebp does not decode here: " + WebpDecoders.description());

        ConversionResult r = kernel.convert(SuiteFiles.bytes("webp", name), PNG_OUT);

        assertThat(r.warnings()).isEmpty();
        SuiteFiles.assertMatchesReference(TestImages.decode(r.output()), SuiteFiles.reference("webp/ref", name), 1,
                name);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"test.webp", "transparent.webp"})
    void lossyWebpWithoutLibwebpSaysItIsApproximate(String name) throws Exception {
        assumeTrue(!libwebpDecodes(), "libwebp decodes here");

        ConversionResult r = kernel.convert(SuiteFiles.bytes("webp", name), PNG_OUT);

        assertThat(r.warnings()).contains(WebpDecoders.APPROXIMATE);
        // still the picture: within the Java decoder's known error of dwebp's output
        SuiteFiles.assertMatchesReference(TestImages.decode(r.output()), SuiteFiles.reference("webp/ref", name), 20,
                name);
    }

    @Test
    void losslessWebpNeedsNoWarningWhicheverDecoderRuns() throws Exception {
        ConversionResult r = kernel.convert(TestImages.bytes(TestImages.resource("edge/shuttle-lossless.webp")),
                PNG_OUT);

        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void webpCompressedTiffMatchesLibtiffsWebpDecodingWithinOneLevel() throws Exception {
        assumeTrue(libwebpDecodes(), "libwebp does not decode here: " + WebpDecoders.description());

        ConversionResult r = kernel.convert(SuiteFiles.bytes("tiff", "hopper_webp.tif"), PNG_OUT);

        assertThat(r.warnings()).isEmpty();
        SuiteFiles.assertMatchesReference(TestImages.decode(r.output()),
                SuiteFiles.reference("tiff/ref", "hopper_webp.tif"), 1, "hopper_webp.tif");
    }

    @Test
    void webpCompressedTiffWithoutLibwebpDecodesWithTheApproximationWarning() throws Exception {
        assumeTrue(!libwebpDecodes(), "libwebp decodes here");

        ConversionResult r = kernel.convert(SuiteFiles.bytes("tiff", "hopper_webp.tif"), PNG_OUT);

        assertThat(r.warnings()).contains(WebpDecoders.APPROXIMATE);
        SuiteFiles.assertMatchesReference(TestImages.decode(r.output()),
                SuiteFiles.reference("tiff/ref", "hopper_webp.tif"), 20, "hopper_webp.tif");
    }
}
