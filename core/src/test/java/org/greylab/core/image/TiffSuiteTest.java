package org.greylab.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TIFFs from libtiff's and Pillow's test images, each against an independent reading (make-references.py says which
 * for each: ImageMagick through libtiff, LittleCMS for CIELab, libtiff's tiff2rgba for old-style JPEG).
 */
class TiffSuiteTest {

    private static final String SUITE = "tiff";
    private static final ConversionSettings PNG_OUT = ConversionSettings.defaults().withFormat(OutputFormat.PNG);

    private final GreyscaleKernel kernel = new GreyscaleKernel();

    private ConversionResult convert(String name) throws Exception {
        return kernel.convert(SuiteFiles.bytes(SUITE, name), PNG_OUT);
    }

    private static BufferedImage reference(String name) {
        return SuiteFiles.reference(SUITE + "/ref", name);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tiff_16bit_RGBa.tiff", "tiff_strip_planar_16bit_RGBa.tiff",
            "basn6a08-associated-alpha.tif"})
    void associatedAlphaIsUnpremultipliedBeforeTheGrey(String name) throws Exception {
        ConversionResult r = convert(name);

        BufferedImage out = TestImages.decode(r.output());
        assertThat(out.getColorModel().hasAlpha()).isTrue();
        SuiteFiles.assertMatchesReference(out, reference(name), 1, name);
    }

    @Test
    void lzmaCompressedTiffDecodes() throws Exception {
        ConversionResult r = convert("hopper_lzma.tif");

        assertThat(r.warnings()).isEmpty();
        SuiteFiles.assertMatchesReference(TestImages.decode(r.output()), reference("hopper_lzma.tif"), 0, "lzma");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"hopper.Lab.tif", "lab.tif"})
    void cieLabTiffBecomesTheSrgbLittleCmsComputes(String name) throws Exception {
        ConversionResult r = convert(name);

        SuiteFiles.assertMatchesReference(TestImages.decode(r.output()), reference(name), 1, name);
    }

    /**
     * Studio-range YCbCr (ReferenceBlackWhite 16 235 128 240 128 240) is stretched to full range as libtiff does.
     * libtiff upsamples chroma by replication and the JPEG decoder smoothly, so single pixels at colour edges differ
     * by up to 3 levels; the mean says whether the range is right (it was 9 levels off).
     */
    @Test
    void oldStyleJpegTiffHonoursReferenceBlackWhite() throws Exception {
        String name = "ojpeg_zackthecat_subsamp22_single_strip.tiff";
        ConversionResult r = convert(name);

        assertThat(r.warnings()).as("the reader's note on every old-style JPEG is no warning").isEmpty();
        BufferedImage out = TestImages.decode(r.output());
        SuiteFiles.assertMatchesReference(out, reference(name), 3, name);
        assertThat(SuiteFiles.meanAbsoluteDifference(out, reference(name))).isLessThan(0.75);
    }

    @Test
    void oldStyleJpegTiffWithoutReferenceBlackWhiteIsLeftAsItWas() throws Exception {
        String name = "ojpeg_chewey_subsamp21_multi_strip.tiff";
        ConversionResult r = convert(name);

        BufferedImage out = TestImages.decode(r.output());
        SuiteFiles.assertMatchesReference(out, reference(name), 3, name);
        assertThat(SuiteFiles.meanAbsoluteDifference(out, reference(name))).isLessThan(0.25);
    }

    /** libtiff's 157 x 151 files: uncompressed strips whose last one is shorter, as the image ends inside it. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rgb-3c-8b.tiff", "rgb-3c-16b.tiff", "minisblack-1c-8b.tiff", "minisblack-1c-16b.tiff",
            "palette-1c-4b.tiff", "palette-1c-8b.tiff"})
    void aShorterLastStripIsNoDamageAndGetsNoWarning(String name) throws Exception {
        ConversionResult r = convert(name);

        assertThat(r.warnings()).isEmpty();
        SuiteFiles.assertMatchesReference(TestImages.decode(r.output()), reference(name), 1, name);
    }

    @Test
    void aStripReallyShorterThanItsRowsStillWarns() throws Exception {
        // rgb-3c-8b.tiff's first strip count cut by one row: the warning is meaningful again
        byte[] tiff = SuiteFiles.bytes(SUITE, "rgb-3c-8b.tiff");
        TiffDirectory dir = TiffDirectory.read(tiff);
        TiffDirectory.Entry counts = dir.entry(TiffDirectory.STRIP_BYTE_COUNTS);
        int at = counts.values().length * (counts.type() == 3 ? 2 : 4) <= 4 ? counts.at() + 8
                : (int) TiffDirectory.u32(tiff, counts.at() + 8, dir.littleEndian());
        long first = counts.values()[0] - 157 * 3;
        assertThat(counts.type()).isEqualTo(4);
        for (int i = 0; i < 4; i++) {
            tiff[at + (dir.littleEndian() ? i : 3 - i)] = (byte) (first >>> (8 * i));
        }

        ConversionResult r = kernel.convert(tiff, PNG_OUT);

        assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("strip/tileByteCount < required"));
    }

    @Test
    void logLuvTiffFailsWithAReasonNamingAToolThatReadsIt() {
        ConversionException e = catchThrowableOfType(ConversionException.class, () -> convert("logluv-3c-16b.tiff"));

        assertThat(e).isNotNull();
        assertThat(e.reason()).contains("LogLuv").contains("tiff2rgba");
    }
}
