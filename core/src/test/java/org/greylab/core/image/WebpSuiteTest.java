package org.greylab.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Lossy WebP (libwebp's example image and Pillow's test images, with and without alpha) against libwebp's own
 * {@code dwebp}. Exact within a level where libwebp decodes (Java 22+ with libwebp7); elsewhere, and in a batch that
 * decodes WebP with the Java decoder because one of its parties has no libwebp, the Java decoder's approximation
 * carries a warning that says so.
 */
class WebpSuiteTest {

    private static final ConversionSettings PNG_OUT = ConversionSettings.defaults().withFormat(OutputFormat.PNG);
    /** A batch some party of which has no libwebp: it decodes WebP with the Java decoder everywhere. */
    private static final ConversionSettings JAVA_WEBP = PNG_OUT.withDecoders(new Decoders(
            PNG_OUT.decoders().jpeg(), false, PNG_OUT.decoders().libheif()));
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
    void lossyWebpInABatchWithoutLibwebpSaysItIsApproximate(String name) throws Exception {
        ConversionResult r = kernel.convert(SuiteFiles.bytes("webp", name), JAVA_WEBP);

        assertThat(r.warnings()).contains(WebpDecoders.approximate());
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
    void webpCompressedTiffInABatchWithoutLibwebpDecodesWithTheApproximationWarning() throws Exception {
        ConversionResult r = kernel.convert(SuiteFiles.bytes("tiff", "hopper_webp.tif"), JAVA_WEBP);

        assertThat(r.warnings()).contains(WebpDecoders.approximate());
        SuiteFiles.assertMatchesReference(TestImages.decode(r.output()),
                SuiteFiles.reference("tiff/ref", "hopper_webp.tif"), 20, "hopper_webp.tif");
    }

    @Test
    void theWebpDecoderIsTheBatchsEvenWhereThisProcessHasLibwebp() throws Exception {
        assumeTrue(libwebpDecodes(), "libwebp does not decode here: " + WebpDecoders.description());
        byte[] webp = SuiteFiles.bytes("webp", "flower.webp");

        ConversionResult withLibwebp = kernel.convert(webp, PNG_OUT);
        ConversionResult withJava = kernel.convert(webp, JAVA_WEBP);

        // the two decoders differ on this file (6 levels on average): a batch mixing them would differ by placement
        assertThat(withJava.output()).isNotEqualTo(withLibwebp.output());
        assertThat(withJava.warnings()).containsExactly(WebpDecoders.APPROXIMATE_IN_BATCH);
        assertThat(withLibwebp.warnings()).isEmpty();
    }

    @Test
    void aBatchThatDecodesWebpWithLibwebpFailsWhereThisProcessHasNone() {
        assumeTrue(!libwebpDecodes(), "libwebp decodes here");
        ConversionSettings libwebpBatch = PNG_OUT.withDecoders(new Decoders(PNG_OUT.decoders().jpeg(), true, false));

        assertThatThrownBy(() -> kernel.convert(SuiteFiles.bytes("webp", "test.webp"), libwebpBatch))
                .isInstanceOfSatisfying(ConversionException.class, e -> assertThat(e.reason())
                        .startsWith("this batch decodes WebP with libwebp, which this engine does not have"));
    }
}
