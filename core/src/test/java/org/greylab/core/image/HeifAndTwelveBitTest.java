package org.greylab.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Formats no maintained Java decoder reads: HEIC and AVIF (libheif's example images) go through the system's
 * libheif where this process has it, and otherwise fail, as the 12-bit JPEG (libjpeg-turbo's testorig12.jpg)
 * and arithmetic-coded JPEG (testimgari.jpg) always do, with a reason that names the variant and a tool that reads
 * it; never "not an image".
 */
class HeifAndTwelveBitTest {

    private static final ConversionSettings PNG_OUT = ConversionSettings.defaults().withFormat(OutputFormat.PNG);
    private final GreyscaleKernel kernel = new GreyscaleKernel();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"example.heic", "example-av1.avif"})
    void heifIsRecognisedFromItsContent(String name) {
        assertThat(ImageFormat.sniff(SuiteFiles.bytes("heif", name))).contains(ImageFormat.HEIF);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"example.heic", "example-av1.avif"})
    void heifDecodedByLibheifMatchesHeifConvert(String name) throws Exception {
        assumeTrue(HeifDecoders.nativeDecoder() != null, "no libheif here: " + HeifDecoders.description());

        ConversionResult r = kernel.convert(SuiteFiles.bytes("heif", name), ConversionSettings.defaults());

        assertThat(r.outputFormat()).isEqualTo(ImageFormat.PNG);
        SuiteFiles.assertMatchesReference(TestImages.decode(r.output()), SuiteFiles.reference("heif/ref", name), 1,
                name);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"example.heic", "example-av1.avif"})
    void heifInABatchWithoutLibheifFailsNamingAToolThatReadsIt(String name) {
        // without libheif here, or in a batch one of whose engines lacks it (whether this process has it or not)
        ConversionSettings noHeif = PNG_OUT.withDecoders(new Decoders(PNG_OUT.decoders().jpeg(),
                PNG_OUT.decoders().libwebp(), false));

        ConversionException e = catchThrowableOfType(ConversionException.class,
                () -> kernel.convert(SuiteFiles.bytes("heif", name), noHeif));

        assertThat(e).isNotNull();
        assertThat(e.reason()).contains(name.endsWith(".avif") ? "AVIF" : "HEIC").contains("heif-convert")
                .doesNotContain("not an image");
    }

    @Test
    void heifFailsInABatchSomeEngineOfWhichLacksLibheifEvenWhereThisProcessHasIt() {
        assumeTrue(HeifDecoders.nativeDecoder() != null, "no libheif here: " + HeifDecoders.description());
        ConversionSettings noHeif = PNG_OUT.withDecoders(new Decoders(PNG_OUT.decoders().jpeg(),
                PNG_OUT.decoders().libwebp(), false));

        ConversionException e = catchThrowableOfType(ConversionException.class,
                () -> kernel.convert(SuiteFiles.bytes("heif", "example.heic"), noHeif));

        assertThat(e).isNotNull();
        assertThat(e.reason()).contains("not every engine of this batch has").contains("heif-convert");
    }

    @Test
    void twelveBitJpegFailsNamingTheVariantAndAToolThatReadsIt() {
        ConversionException e = catchThrowableOfType(ConversionException.class,
                () -> kernel.convert(SuiteFiles.bytes("jpeg", "testorig12.jpg"), PNG_OUT));

        assertThat(e).isNotNull();
        assertThat(e.reason()).contains("12-bit JPEG").contains("djpeg").doesNotContain("Unsupported");
    }

    @Test
    void arithmeticCodedJpegFailsNamingTheVariantAndAToolThatReadsIt() {
        ConversionException e = catchThrowableOfType(ConversionException.class,
                () -> kernel.convert(SuiteFiles.bytes("jpeg", "testimgari.jpg"), PNG_OUT));

        assertThat(e).isNotNull();
        assertThat(e.reason()).contains("arithmetic-coded").contains("djpeg").doesNotContain("legal");
    }
}
