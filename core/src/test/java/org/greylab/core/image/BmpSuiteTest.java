package org.greylab.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Jason Summers' BMP Suite: every good file ({@code g/}) against ImageMagick's reading of it, and every bad file
 * ({@code b/}) either converted to the picture it damages or failed with a reason in words, as its damage asks.
 */
class BmpSuiteTest {

    private static final ConversionSettings PNG_OUT = ConversionSettings.defaults().withFormat(OutputFormat.PNG);

    /** Bad files whose damage is in header fields no pixel depends on: they show the good file they were made from. */
    private static final Map<String, String> HARMLESS_DAMAGE = Map.of(
            "badbitssize.bmp", "pal1.bmp", // image size field says several GB
            "baddens1.bmp", "pal1.bmp", // absurd density
            "baddens2.bmp", "pal1.bmp",
            "badfilesize.bmp", "pal1.bmp", // file size field says several GB
            "badplanes.bmp", "pal1.bmp", // planes is not 1
            "badpalettesize.bmp", "pal8.bmp"); // palette size absurd: the palette that is there is used, with a warning

    /** Bad files that cannot be shown: the words their reason must contain. */
    private static final Map<String, String> REFUSED = Map.of(
            "badbitcount.bmp", "30000 bits per pixel",
            "badheadersize.bmp", "header is 66 bytes",
            "badwidth.bmp", "impossible size",
            "reallybig.bmp", "image too large",
            "shortfile.bmp", "truncated");

    /** Bad pixel data no decoder agrees on (ImageMagick refuses pal8badindex, Pillow shows it): either outcome. */
    private static final List<String> EITHER = List.of("badrle.bmp", "pal8badindex.bmp", "rletopdown.bmp");

    private final GreyscaleKernel kernel = new GreyscaleKernel();

    static List<String> goodFiles() {
        return SuiteFiles.names("bmpsuite/g", n -> n.endsWith(".bmp"));
    }

    static List<String> badFiles() {
        return SuiteFiles.names("bmpsuite/b", n -> n.endsWith(".bmp"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goodFiles")
    void everyGoodBmpSuiteFileMatchesImageMagicksGreyWithinOneLevel(String name) throws Exception {
        ConversionResult r = kernel.convert(SuiteFiles.bytes("bmpsuite/g", name), PNG_OUT);

        assertThat(r.warnings()).as("warnings for a good file").isEmpty();
        SuiteFiles.assertMatchesReference(TestImages.decode(r.output()), SuiteFiles.reference("bmpsuite/ref", name), 1,
                name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void everyBadBmpSuiteFileShowsItsPictureOrFailsWithAReasonInWords(String name) throws Exception {
        byte[] bmp = SuiteFiles.bytes("bmpsuite/b", name);
        if (HARMLESS_DAMAGE.containsKey(name)) {
            ConversionResult r = kernel.convert(bmp, PNG_OUT);
            SuiteFiles.assertMatchesReference(TestImages.decode(r.output()),
                    SuiteFiles.reference("bmpsuite/ref", HARMLESS_DAMAGE.get(name)), 1, name);
        } else if (REFUSED.containsKey(name)) {
            ConversionException e = catchThrowableOfType(ConversionException.class, () -> kernel.convert(bmp, PNG_OUT));
            assertThat(e).as(name + " fails").isNotNull();
            assertThat(e.reason()).contains(REFUSED.get(name)).doesNotContain("Exception");
        } else {
            assertThat(EITHER).as("every bad file has its expectation").contains(name);
            try {
                ConversionResult r = kernel.convert(bmp, PNG_OUT);
                assertThat(r.width()).isEqualTo(127);
                assertThat(r.height()).isEqualTo(64);
            } catch (ConversionException e) {
                assertThat(e.reason()).doesNotContain("Exception").doesNotContain("not an image");
            }
        }
    }

    @Test
    void aPaletteLargerThanTheFileIsReportedAsAWarning() throws Exception {
        ConversionResult r = kernel.convert(SuiteFiles.bytes("bmpsuite/b", "badpalettesize.bmp"), PNG_OUT);

        assertThat(r.warnings()).singleElement().asString().containsIgnoringCase("color map");
    }
}
