package org.greylab.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.twelvemonkeys.imageio.metadata.CompoundDirectory;
import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;
import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import org.greylab.core.testing.Samples;
import org.junit.jupiter.api.Test;

/** One test per edge of the kernel's input and output, on real (or really built) files. */
class KernelEdgeTest {

    private static final ConversionSettings DEFAULTS = ConversionSettings.defaults();
    private static final ConversionSettings PNG_OUT = DEFAULTS.withFormat(OutputFormat.PNG);

    private final GreyscaleKernel kernel = new GreyscaleKernel();

    private static BufferedImage chinaSmall() {
        return TestImages.read(TestImages.resource("edge/china-small.png"));
    }

    private static byte[] sample(String name) {
        return Samples.bytes(name);
    }

    /** Grey of every pixel of an sRGB image by the double formula: the expectation, computed independently. */
    private static int[][] expectedGrey(BufferedImage rgb, GreyFormula f) {
        int[][] out = new int[rgb.getHeight()][rgb.getWidth()];
        int[] px = new int[4];
        for (int y = 0; y < rgb.getHeight(); y++) {
            for (int x = 0; x < rgb.getWidth(); x++) {
                rgb.getRaster().getPixel(x, y, px);
                out[y][x] = (int) Math.round(f.red() * px[0] + f.green() * px[1] + f.blue() * px[2]);
            }
        }
        return out;
    }

    private static void assertPixels(BufferedImage actual, int[][] expected, int tolerance) {
        assertThat(actual.getHeight()).isEqualTo(expected.length);
        assertThat(actual.getWidth()).isEqualTo(expected[0].length);
        for (int y = 0; y < expected.length; y++) {
            for (int x = 0; x < expected[0].length; x++) {
                int v = actual.getRaster().getSample(x, y, 0);
                if (Math.abs(v - expected[y][x]) > tolerance) {
                    assertThat(v).as("pixel (%d, %d)", x, y).isCloseTo(expected[y][x], within(tolerance));
                }
            }
        }
    }

    private static double meanAbsDifference(BufferedImage a, int[][] expected) {
        long sum = 0;
        for (int y = 0; y < expected.length; y++) {
            for (int x = 0; x < expected[0].length; x++) {
                sum += Math.abs(a.getRaster().getSample(x, y, 0) - expected[y][x]);
            }
        }
        return (double) sum / (expected.length * expected[0].length);
    }

    @Test
    void cmykJpegIsReadThroughTwelveMonkeysAndComesOutLikeItsRgbSource() throws Exception {
        ConversionResult r = kernel.convert(TestImages.bytes(TestImages.resource("edge/china-cmyk.jpg")), PNG_OUT);

        BufferedImage out = TestImages.decode(r.output());
        assertThat(r.inputFormat()).isEqualTo(ImageFormat.JPEG);
        assertThat(out.getWidth()).isEqualTo(160);
        assertThat(out.getHeight()).isEqualTo(107);
        // CMYK -> sRGB goes through a CMYK profile, so only "close to the RGB original" can be asked.
        assertThat(meanAbsDifference(out, expectedGrey(chinaSmall(), GreyFormula.SKIMAGE))).isLessThan(12);
    }

    @Test
    void progressiveJpegDecodesToTheSamePixelsAsItsBaselineTwin() throws Exception {
        byte[] baseline = EdgeFiles.jpeg(chinaSmall(), 0.9f, false, 0);
        byte[] progressive = EdgeFiles.jpeg(chinaSmall(), 0.9f, true, 0);
        assertThat(SourceMetadata.read(ImageFormat.JPEG, progressive).jpeg().progressive()).isTrue();

        BufferedImage a = TestImages.decode(kernel.convert(baseline, PNG_OUT).output());
        BufferedImage b = TestImages.decode(kernel.convert(progressive, PNG_OUT).output());

        TestImages.assertGreyWithin(b, a, 0, "progressive vs baseline");
    }

    @Test
    void exifOrientationSixTurnsTheOutputAQuarterClockwise() throws Exception {
        byte[] plain = EdgeFiles.jpeg(chinaSmall(), 0.9f, false, 0);
        byte[] turned = EdgeFiles.withApp1Exif(plain, EdgeFiles.exifBlock(6, "2019:05:04 10:11:12"));

        BufferedImage upright = TestImages.decode(kernel.convert(plain, PNG_OUT).output());
        ConversionResult r = kernel.convert(turned, PNG_OUT);
        BufferedImage out = TestImages.decode(r.output());

        assertThat(r.width()).isEqualTo(107);
        assertThat(r.height()).isEqualTo(160);
        int h = upright.getHeight();
        for (int y = 0; y < out.getHeight(); y++) {
            for (int x = 0; x < out.getWidth(); x++) {
                // Orientation 6: the stored top row becomes the right-hand column.
                int expected = upright.getRaster().getSample(y, h - 1 - x, 0);
                if (out.getRaster().getSample(x, y, 0) != expected) {
                    assertThat(out.getRaster().getSample(x, y, 0)).as("(%d, %d)", x, y).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void sixteenBitPngStaysSixteenBit() throws Exception {
        ColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster raster = cm.createCompatibleWritableRaster(64, 48);
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                raster.setPixel(x, y, new int[] {x * 1000, y * 1300, (x + y) * 500 + 7});
            }
        }
        BufferedImage rgb16 = new BufferedImage(cm, raster, false, null);
        byte[] png = EdgeFiles.imageIo("png", rgb16);

        ConversionResult r = kernel.convert(png, DEFAULTS);

        assertThat(r.outputFormat()).isEqualTo(ImageFormat.PNG);
        assertThat(r.bitDepth()).isEqualTo(16);
        BufferedImage out = TestImages.decode(r.output());
        assertThat(out.getType()).isEqualTo(BufferedImage.TYPE_USHORT_GRAY);
        assertPixels(out, expectedGrey(rgb16, GreyFormula.SKIMAGE), 0);
    }

    @Test
    void palettePngIsConvertedThroughItsPalette() throws Exception {
        byte[] reef = sample("reef.png");
        assertThat(reef[25]).as("IHDR colour type: palette").isEqualTo((byte) 3);

        ConversionResult r = kernel.convert(reef, DEFAULTS);

        TestImages.assertGreyWithin(TestImages.decode(r.output()),
                TestImages.read(TestImages.resource("reference/reef.png")), 1, "reef");
    }

    private static BufferedImage rgbaGradient() {
        BufferedImage rgba = new BufferedImage(64, 48, BufferedImage.TYPE_4BYTE_ABGR);
        WritableRaster raster = rgba.getRaster();
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                raster.setPixel(x, y, new int[] {x * 4, 255 - y * 5, (x * y) % 256, x * 4 + 3});
            }
        }
        return rgba;
    }

    @Test
    void rgbaPngBecomesGreyPlusAlphaWithTheGreyOfTheColourChannels() throws Exception {
        BufferedImage rgba = rgbaGradient();

        ConversionResult r = kernel.convert(EdgeFiles.imageIo("png", rgba), DEFAULTS);

        byte[] ihdr = EdgeFiles.pngChunks(r.output()).get(0).data();
        assertThat(ihdr[9]).as("colour type grey+alpha").isEqualTo((byte) 4);
        BufferedImage out = TestImages.decode(r.output());
        assertPixels(out, expectedGrey(rgba, GreyFormula.SKIMAGE), 0);
        for (int x = 0; x < 64; x++) {
            assertThat(out.getRaster().getSample(x, 10, 1)).isEqualTo(x * 4 + 3);
        }
    }

    @Test
    void rgbaPngWrittenAsJpegIsFlattenedOnWhite() throws Exception {
        BufferedImage rgba = rgbaGradient();
        int[][] grey = expectedGrey(rgba, GreyFormula.SKIMAGE);

        ConversionResult r = kernel.convert(EdgeFiles.imageIo("png", rgba), DEFAULTS.withFormat(OutputFormat.JPEG)
                .withJpegQuality(100));

        int[][] flat = new int[48][64];
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                int a = x * 4 + 3;
                flat[y][x] = (int) Math.round((grey[y][x] * a + 255.0 * (255 - a)) / 255);
            }
        }
        assertThat(r.outputFormat()).isEqualTo(ImageFormat.JPEG);
        assertThat(meanAbsDifference(TestImages.decode(r.output()), flat)).isLessThan(2);
    }

    @Test
    void greyInputPassesThroughUnchanged() throws Exception {
        byte[] camera = sample("camera.png");

        ConversionResult r = kernel.convert(camera, DEFAULTS);

        TestImages.assertGreyWithin(TestImages.decode(r.output()), TestImages.decode(camera), 0, "camera");
    }

    @Test
    void multipageTiffGivesTheFirstPageAndSaysSo() throws Exception {
        BufferedImage first = chinaSmall();
        BufferedImage second = new BufferedImage(30, 20, BufferedImage.TYPE_3BYTE_BGR);
        byte[] tiff = EdgeFiles.imageIo("tiff", first, second);

        ConversionResult r = kernel.convert(tiff, DEFAULTS);

        assertThat(r.inputFormat()).isEqualTo(ImageFormat.TIFF);
        assertThat(r.outputFormat()).isEqualTo(ImageFormat.TIFF);
        assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("2 pages").contains("first page"));
        assertPixels(TestImages.decode(r.output()), expectedGrey(first, GreyFormula.SKIMAGE), 0);
    }

    @Test
    void bmpIsConvertedExactly() throws Exception {
        BufferedImage source = chinaSmall();

        ConversionResult r = kernel.convert(EdgeFiles.imageIo("bmp", source), DEFAULTS);

        assertThat(r.inputFormat()).isEqualTo(ImageFormat.BMP);
        assertThat(r.outputFormat()).isEqualTo(ImageFormat.PNG);
        assertPixels(TestImages.decode(r.output()), expectedGrey(source, GreyFormula.SKIMAGE), 0);
    }

    @Test
    void animatedGifGivesTheFirstFrameAndSaysSo() throws Exception {
        byte[] r = {(byte) 200, 10, 0, (byte) 255};
        byte[] g = {30, (byte) 180, 0, (byte) 255};
        byte[] b = {60, 90, (byte) 250, (byte) 255};
        IndexColorModel palette = new IndexColorModel(8, 4, r, g, b);
        BufferedImage frame1 = new BufferedImage(40, 30, BufferedImage.TYPE_BYTE_INDEXED, palette);
        BufferedImage frame2 = new BufferedImage(40, 30, BufferedImage.TYPE_BYTE_INDEXED, palette);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                frame1.getRaster().setSample(x, y, 0, (x / 10) % 4);
                frame2.getRaster().setSample(x, y, 0, 3);
            }
        }
        byte[] gif = EdgeFiles.imageIo("gif", frame1, frame2);

        ConversionResult result = kernel.convert(gif, DEFAULTS);

        assertThat(result.inputFormat()).isEqualTo(ImageFormat.GIF);
        assertThat(result.warnings()).anySatisfy(w -> assertThat(w).contains("2 frames").contains("first frame"));
        BufferedImage out = TestImages.decode(result.output());
        for (int x = 0; x < 40; x++) {
            int i = (x / 10) % 4;
            long expected = Math.round(0.2125 * (r[i] & 0xFF) + 0.7154 * (g[i] & 0xFF) + 0.0721 * (b[i] & 0xFF));
            assertThat(out.getRaster().getSample(x, 15, 0)).isEqualTo((int) expected);
        }
    }

    @Test
    void losslessWebpMatchesTheReferenceOfItsSource() throws Exception {
        ConversionResult r = kernel.convert(TestImages.bytes(TestImages.resource("edge/shuttle-lossless.webp")),
                DEFAULTS);

        assertThat(r.inputFormat()).isEqualTo(ImageFormat.WEBP);
        assertThat(r.outputFormat()).isEqualTo(ImageFormat.PNG);
        TestImages.assertGreyWithin(TestImages.decode(r.output()),
                TestImages.read(TestImages.resource("reference/shuttle.png")), 1, "shuttle.webp");
    }

    @Test
    void lossyWebpComesOutCloseToItsSource() throws Exception {
        ConversionResult r = kernel.convert(TestImages.bytes(TestImages.resource("edge/china-lossy.webp")), DEFAULTS);

        assertThat(meanAbsDifference(TestImages.decode(r.output()), expectedGrey(chinaSmall(), GreyFormula.SKIMAGE)))
                .isLessThan(4);
    }

    @Test
    void emptyFileFailsAtDecodeSayingSo() {
        assertThatThrownBy(() -> kernel.convert(new byte[0], DEFAULTS))
                .isInstanceOfSatisfying(ConversionException.class, e -> {
                    assertThat(e.stage()).isEqualTo(Stage.DECODE);
                    assertThat(e.reason()).isEqualTo("the file is empty");
                });
    }

    @Test
    void truncatedJpegFailsAtDecodeAsTruncated() {
        byte[] whole = sample("china.jpg");
        byte[] cut = Arrays.copyOf(whole, whole.length * 6 / 10);

        assertThatThrownBy(() -> kernel.convert(cut, DEFAULTS))
                .isInstanceOfSatisfying(ConversionException.class, e -> {
                    assertThat(e.stage()).isEqualTo(Stage.DECODE);
                    assertThat(e.reason()).startsWith("the file is truncated or damaged");
                });
    }

    @Test
    void aJpegCutInsideItsHeaderFailsAsTruncatedNotAsAnUnknownVariant() {
        byte[] whole = sample("china.jpg");
        // inside its ICC profile's APP2 segment, which runs to byte 3182
        byte[] cut = Arrays.copyOf(whole, 3000);

        assertThat(SourceMetadata.read(ImageFormat.JPEG, cut).jpeg().endsInHeader()).isTrue();
        assertThat(SourceMetadata.read(ImageFormat.JPEG, whole).jpeg().endsInHeader()).isFalse();
        assertThatThrownBy(() -> kernel.convert(cut, DEFAULTS))
                .isInstanceOfSatisfying(ConversionException.class, e -> {
                    assertThat(e.stage()).isEqualTo(Stage.DECODE);
                    assertThat(e.reason()).isEqualTo("the file is truncated or damaged: it ends before its image"
                            + " data, inside its header");
                });
    }

    @Test
    void truncatedPngFailsAtDecodeAsTruncated() {
        byte[] whole = sample("chelsea.png");
        byte[] cut = Arrays.copyOf(whole, whole.length / 2);

        assertThatThrownBy(() -> kernel.convert(cut, DEFAULTS))
                .isInstanceOfSatisfying(ConversionException.class, e -> {
                    assertThat(e.stage()).isEqualTo(Stage.DECODE);
                    assertThat(e.reason()).startsWith("the file is truncated or damaged");
                });
    }

    @Test
    void textFileNamedPngIsNotAnImage() {
        byte[] text = "This is a shopping list, not a picture.\n".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> kernel.convert(text, DEFAULTS))
                .isInstanceOfSatisfying(ConversionException.class, e -> {
                    assertThat(e.stage()).isEqualTo(Stage.DECODE);
                    assertThat(e.reason()).isEqualTo("not an image: the content is not a known image format");
                });
    }

    @Test
    void headerClaimingTooManyPixelsFailsBeforeDecoding() {
        byte[] bomb = EdgeFiles.pngHeaderOnly(30_000, 30_000);

        assertThatThrownBy(() -> kernel.convert(bomb, DEFAULTS))
                .isInstanceOfSatisfying(ConversionException.class, e -> {
                    assertThat(e.stage()).isEqualTo(Stage.DECODE);
                    assertThat(e.reason()).isEqualTo(
                            "image too large: 30000 x 30000 = 900 megapixels, above the 250 megapixel limit");
                });
    }

    @Test
    void pixelLimitIsConfigurable() {
        assertThatThrownBy(() -> kernel.convert(sample("china.jpg"), DEFAULTS.withMaxPixels(100_000)))
                .isInstanceOfSatisfying(ConversionException.class, e -> assertThat(e.reason())
                        .isEqualTo("image too large: 640 x 427 = 0.273 megapixels, above the 0.1 megapixel limit"));
    }

    @Test
    void rec601FormulaWeighsTheChannelsAsBt601() throws Exception {
        byte[] chelsea = sample("chelsea.png");

        ConversionResult r = kernel.convert(chelsea, PNG_OUT.withFormula(GreyFormula.REC601));

        assertPixels(TestImages.decode(r.output()), expectedGrey(TestImages.decode(chelsea), GreyFormula.REC601), 0);
    }

    @Test
    void averageFormulaTakesThePlainMean() throws Exception {
        byte[] chelsea = sample("chelsea.png");

        ConversionResult r = kernel.convert(chelsea, PNG_OUT.withFormula(GreyFormula.AVERAGE));

        assertPixels(TestImages.decode(r.output()), expectedGrey(TestImages.decode(chelsea), GreyFormula.AVERAGE), 0);
    }

    @Test
    void jpegKeptAsJpegKeepsItsExifWithOrientationResetToOne() throws Exception {
        byte[] plain = EdgeFiles.jpeg(chinaSmall(), 0.9f, false, 0);
        byte[] turned = EdgeFiles.withApp1Exif(plain, EdgeFiles.exifBlock(6, "2019:05:04 10:11:12"));

        ConversionResult r = kernel.convert(turned, DEFAULTS);

        assertThat(r.outputFormat()).isEqualTo(ImageFormat.JPEG);
        assertThat(r.width()).isEqualTo(107);
        byte[] exif = EdgeFiles.app1Exif(r.output());
        assertThat(exif).as("APP1 Exif in the output").isNotNull();
        Directory ifd0 = ifd0(exif);
        assertThat(((Number) ifd0.getEntryById(TIFF.TAG_ORIENTATION).getValue()).intValue()).isEqualTo(1);
        Directory sub = (Directory) ifd0.getEntryById(TIFF.TAG_EXIF_IFD).getValue();
        assertThat(sub.getEntryById(0x9003).getValueAsString()).isEqualTo("2019:05:04 10:11:12");
        BufferedImage out = TestImages.decode(r.output());
        assertThat(out.getWidth()).isEqualTo(107);
        assertThat(out.getHeight()).isEqualTo(160);
    }

    @Test
    void dpiAndCaptureDateSurviveInPng() throws Exception {
        byte[] jpeg = EdgeFiles.withApp1Exif(EdgeFiles.jpeg(chinaSmall(), 0.9f, false, 300),
                EdgeFiles.exifBlock(1, "2021:07:08 09:10:11"));

        ConversionResult r = kernel.convert(jpeg, PNG_OUT);

        assertThat(horizontalPixelSizeMm(r.output())).isCloseTo(25.4 / 300, within(1e-4));
        List<EdgeFiles.PngChunk> chunks = EdgeFiles.pngChunks(r.output());
        assertThat(chunks).anySatisfy(c -> {
            assertThat(c.type()).isEqualTo("tEXt");
            assertThat(new String(c.data(), StandardCharsets.ISO_8859_1))
                    .isEqualTo("Creation Time\0" + "2021-07-08T09:10:11");
        });
        assertThat(chunks).anySatisfy(c -> assertThat(c.type()).isEqualTo("eXIf"));
    }

    @Test
    void dpiAndCaptureDateSurviveInTiff() throws Exception {
        byte[] jpeg = EdgeFiles.withApp1Exif(EdgeFiles.jpeg(chinaSmall(), 0.9f, false, 300),
                EdgeFiles.exifBlock(1, "2021:07:08 09:10:11"));

        ConversionResult r = kernel.convert(jpeg, DEFAULTS.withFormat(OutputFormat.TIFF));

        assertThat(r.outputFormat()).isEqualTo(ImageFormat.TIFF);
        assertThat(horizontalPixelSizeMm(r.output())).isCloseTo(25.4 / 300, within(1e-4));
        Directory ifd0 = ifd0(r.output());
        assertThat(ifd0.getEntryById(TIFF.TAG_DATE_TIME).getValueAsString()).isEqualTo("2021:07:08 09:10:11");
        BufferedImage asPng = TestImages.decode(kernel.convert(jpeg, PNG_OUT).output());
        TestImages.assertGreyWithin(TestImages.decode(r.output()), asPng, 0, "TIFF vs PNG output");
    }

    @Test
    void interruptedThreadStopsBetweenStages() {
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> kernel.convert(sample("china.jpg"), DEFAULTS))
                    .isInstanceOf(InterruptedException.class);
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void oneKernelServesManyThreadsWithTheSameResults() throws Exception {
        List<String> names = List.of("china.jpg", "chelsea.png", "reef.png", "camera.png", "space/iss.png",
                "skyline-sf-dusk.jpeg");
        List<byte[]> serial = new java.util.ArrayList<>();
        for (String n : names) {
            serial.add(kernel.convert(sample(n), DEFAULTS).output());
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<byte[]>> parallel = new java.util.ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (String n : names) {
                    parallel.add(pool.submit(() -> kernel.convert(sample(n), DEFAULTS).output()));
                }
            }
            for (int i = 0; i < parallel.size(); i++) {
                assertThat(parallel.get(i).get()).isEqualTo(serial.get(i % names.size()));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static Directory ifd0(byte[] tiff) throws Exception {
        Directory dir = new TIFFReader().read(new ByteArrayImageInputStream(tiff));
        return dir instanceof CompoundDirectory cd ? cd.getDirectory(0) : dir;
    }

    private static double horizontalPixelSizeMm(byte[] encoded) throws Exception {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(encoded))) {
            ImageReader reader = ImageIO.getImageReaders(in).next();
            try {
                reader.setInput(in);
                IIOMetadataNode root = (IIOMetadataNode) reader.getImageMetadata(0).getAsTree("javax_imageio_1.0");
                IIOMetadataNode size = (IIOMetadataNode) root.getElementsByTagName("HorizontalPixelSize").item(0);
                assertThat(size).as("HorizontalPixelSize in the output's metadata").isNotNull();
                return Double.parseDouble(size.getAttribute("value"));
            } finally {
                reader.dispose();
            }
        }
    }

}
