package org.greylab.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.greylab.core.testing.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The progressive-to-baseline transcoder is lossless: the baseline stream, decoded by the JDK reader, gives the very
 * pixels the JDK reader decodes from the progressive original; and what it cannot transcode it declines (null), so
 * the kernel decodes the original as before.
 */
class ProgressiveJpegTranscoderTest {

    private static final Logger LOG = LoggerFactory.getLogger(ProgressiveJpegTranscoderTest.class);
    private static final String FORMAT = "javax_imageio_jpeg_image_1.0";

    static Stream<Path> progressiveJpegs() throws IOException {
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.walk(Samples.folder())) {
            all.addAll(s.toList());
        }
        Optional<Path> corpus = Samples.corpus();
        if (corpus.isPresent()) {
            try (Stream<Path> s = Files.list(corpus.get())) {
                all.addAll(s.toList());
            }
        }
        return all.stream().filter(p -> p.getFileName().toString().matches("(?i).*\\.jpe?g"))
                .filter(p -> SourceMetadata.read(ImageFormat.JPEG, TestImages.bytes(p)).jpeg().progressive())
                .sorted();
    }

    @Test
    void samplesHoldAProgressiveJpeg() throws IOException {
        assertThat(progressiveJpegs()).isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("progressiveJpegs")
    void realProgressivePhotoTranscodesToTheSamePixels(Path jpeg) throws Exception {
        byte[] original = TestImages.bytes(jpeg);

        byte[] baseline = ProgressiveJpegTranscoder.toBaseline(original, Long.MAX_VALUE);

        assertSamePixels(jpeg.getFileName().toString(), original, baseline);
    }

    @Test
    void fourTwoZeroWithOddSizeTranscodesToTheSamePixels() throws Exception {
        byte[] jpeg = progressive(crop(chinaSmall(), 101, 77), 0.9f, 2, 2, 0);
        assertThat(frame(jpeg)).containsExactly(101, 77, 3, 0x22, 0x11, 0x11);

        assertSamePixels("4:2:0 101x77", jpeg, ProgressiveJpegTranscoder.toBaseline(jpeg, Long.MAX_VALUE));
    }

    @Test
    void fourFourFourTranscodesToTheSamePixels() throws Exception {
        byte[] jpeg = progressive(chinaSmall(), 0.9f, 1, 1, 0);
        assertThat(frame(jpeg)).containsExactly(160, 107, 3, 0x11, 0x11, 0x11);

        assertSamePixels("4:4:4", jpeg, ProgressiveJpegTranscoder.toBaseline(jpeg, Long.MAX_VALUE));
    }

    @Test
    void fourTwoTwoTranscodesToTheSamePixels() throws Exception {
        byte[] jpeg = progressive(crop(chinaSmall(), 93, 61), 0.9f, 2, 1, 0);
        assertThat(frame(jpeg)).containsExactly(93, 61, 3, 0x21, 0x11, 0x11);

        assertSamePixels("4:2:2 93x61", jpeg, ProgressiveJpegTranscoder.toBaseline(jpeg, Long.MAX_VALUE));
    }

    @Test
    void restartIntervalsTranscodeToTheSamePixels() throws Exception {
        byte[] jpeg = progressive(crop(chinaSmall(), 101, 77), 0.9f, 2, 2, 3);
        assertThat(indexOf(jpeg, 0xFF, 0xDD)).as("DRI segment").isPositive();
        assertThat(indexOf(jpeg, 0xFF, 0xD0)).as("RST0 marker").isPositive();

        assertSamePixels("restart interval 3", jpeg, ProgressiveJpegTranscoder.toBaseline(jpeg, Long.MAX_VALUE));
    }

    @Test
    void greyProgressiveWithOddSizeTranscodesToTheSamePixels() throws Exception {
        BufferedImage colour = crop(chinaSmall(), 101, 77);
        BufferedImage grey = new BufferedImage(101, 77, BufferedImage.TYPE_BYTE_GRAY);
        grey.getGraphics().drawImage(colour, 0, 0, null);
        byte[] jpeg = progressive(grey, 0.9f, 1, 1, 2);
        assertThat(frame(jpeg)).containsExactly(101, 77, 1, 0x11);

        assertSamePixels("grey 101x77", jpeg, ProgressiveJpegTranscoder.toBaseline(jpeg, Long.MAX_VALUE));
    }

    @Test
    void qualityHundredCoefficientsFitBaselineAndTranscodeToTheSamePixels() throws Exception {
        // Quantization by 1: the largest coefficients and DC differences 8-bit data can have.
        byte[] jpeg = progressive(chinaSmall(), 1.0f, 2, 2, 0);

        assertSamePixels("quality 100", jpeg, ProgressiveJpegTranscoder.toBaseline(jpeg, Long.MAX_VALUE));
    }

    @Test
    void baselineKeepsTheApplicationSegmentsAndQuantizationTables() throws Exception {
        byte[] jpeg = EdgeFiles.withApp1Exif(progressive(chinaSmall(), 0.9f, 2, 2, 0),
                EdgeFiles.exifBlock(6, "2019:05:04 10:11:12"));

        byte[] baseline = ProgressiveJpegTranscoder.toBaseline(jpeg, Long.MAX_VALUE);

        assertThat(hex(segments(baseline, 0xE0))).isNotEmpty().isEqualTo(hex(segments(jpeg, 0xE0)));
        assertThat(hex(segments(baseline, 0xE1))).isNotEmpty().isEqualTo(hex(segments(jpeg, 0xE1)));
        assertThat(hex(segments(baseline, 0xDB))).isNotEmpty().isEqualTo(hex(segments(jpeg, 0xDB)));
        assertThat(segments(baseline, 0xC2)).isEmpty();
        assertThat(segments(baseline, 0xC0)).hasSize(1);
        assertThat(SourceMetadata.read(ImageFormat.JPEG, baseline).orientation()).isEqualTo(6);
    }

    @Test
    void truncatedProgressiveIsDeclined() throws Exception {
        byte[] whole = progressive(chinaSmall(), 0.9f, 2, 2, 0);
        byte[] cut = Arrays.copyOf(whole, whole.length * 6 / 10);

        assertThat(ProgressiveJpegTranscoder.toBaseline(cut, Long.MAX_VALUE)).isNull();
    }

    @Test
    void truncatedProgressiveFailsAtDecodeAsTruncated() throws Exception {
        byte[] whole = progressive(chinaSmall(), 0.9f, 2, 2, 0);
        byte[] cut = Arrays.copyOf(whole, whole.length * 6 / 10);
        ConversionSettings png = ConversionSettings.defaults().withFormat(OutputFormat.PNG);

        assertThatThrownBy(() -> new GreyscaleKernel().convert(cut, png))
                .isInstanceOfSatisfying(ConversionException.class, e -> {
                    assertThat(e.stage()).isEqualTo(Stage.DECODE);
                    assertThat(e.reason()).startsWith("the file is truncated or damaged");
                });
    }

    @Test
    void arithmeticCodedFrameIsDeclined() throws Exception {
        byte[] jpeg = progressive(chinaSmall(), 0.9f, 2, 2, 0);
        jpeg[indexOf(jpeg, 0xFF, 0xC2) + 1] = (byte) 0xCA;

        assertThat(ProgressiveJpegTranscoder.toBaseline(jpeg, Long.MAX_VALUE)).isNull();
    }

    @Test
    void twelveBitFrameIsDeclined() throws Exception {
        byte[] jpeg = progressive(chinaSmall(), 0.9f, 2, 2, 0);
        jpeg[indexOf(jpeg, 0xFF, 0xC2) + 4] = 12;

        assertThat(ProgressiveJpegTranscoder.toBaseline(jpeg, Long.MAX_VALUE)).isNull();
    }

    @Test
    void frameAboveThePixelLimitIsDeclined() throws Exception {
        byte[] jpeg = progressive(chinaSmall(), 0.9f, 2, 2, 0);

        assertThat(ProgressiveJpegTranscoder.toBaseline(jpeg, 160L * 107 - 1)).isNull();
    }

    @Test
    void missingLastScanIsDeclined() throws Exception {
        byte[] jpeg = progressive(chinaSmall(), 0.9f, 2, 2, 0);
        int lastScan = lastIndexOf(jpeg, 0xFF, 0xDA);
        byte[] cut = new byte[lastScan + 2];
        System.arraycopy(jpeg, 0, cut, 0, lastScan);
        cut[lastScan] = (byte) 0xFF;
        cut[lastScan + 1] = (byte) 0xD9;

        // Refinement bits are missing: libjpeg would smooth blocks, so only the JDK path gives its pixels.
        assertThat(ProgressiveJpegTranscoder.toBaseline(cut, Long.MAX_VALUE)).isNull();
    }

    @Test
    void interruptedThreadStopsTheTranscoding() throws Exception {
        byte[] jpeg = progressive(chinaSmall(), 0.9f, 2, 2, 0);

        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> ProgressiveJpegTranscoder.toBaseline(jpeg, Long.MAX_VALUE))
                    .isInstanceOf(InterruptedException.class);
        } finally {
            Thread.interrupted();
        }
    }

    // ------------------------------------------------------------------ helpers

    /** The JDK decodes baseline and original alike, within ±1 on every sample; logs how many samples differ. */
    private static void assertSamePixels(String what, byte[] original, byte[] baseline) {
        assertThat(baseline).as("%s was transcoded", what).isNotNull();
        assertThat(segments(baseline, 0xC2)).as("no progressive frame left").isEmpty();
        assertThat(segments(baseline, 0xC0).size() + segments(baseline, 0xC1).size()).isEqualTo(1);
        assertThat(segments(baseline, 0xDA)).as("one scan").hasSize(1);
        Raster expected = jdkDecode(original).getRaster();
        Raster actual = jdkDecode(baseline).getRaster();
        assertThat(actual.getWidth()).isEqualTo(expected.getWidth());
        assertThat(actual.getHeight()).isEqualTo(expected.getHeight());
        assertThat(actual.getNumBands()).isEqualTo(expected.getNumBands());
        int w = expected.getWidth();
        int[] a = new int[w * expected.getNumBands()];
        int[] e = new int[a.length];
        long differing = 0;
        int worst = 0;
        for (int y = 0; y < expected.getHeight(); y++) {
            expected.getPixels(0, y, w, 1, e);
            actual.getPixels(0, y, w, 1, a);
            for (int i = 0; i < a.length; i++) {
                int d = Math.abs(a[i] - e[i]);
                if (d != 0) {
                    differing++;
                    worst = Math.max(worst, d);
                }
            }
        }
        LOG.info("{}: {} of {} samples differ (largest difference {}); {} bytes progressive, {} baseline", what,
                differing, (long) a.length * expected.getHeight(), worst, original.length, baseline.length);
        assertThat(worst).as("%s: largest sample difference", what).isLessThanOrEqualTo(1);
    }

    private static BufferedImage jdkDecode(byte[] jpeg) {
        for (Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName("jpeg"); it.hasNext(); ) {
            ImageReader r = it.next();
            if (r.getClass().getName().startsWith("com.sun.")) {
                List<String> warnings = new ArrayList<>();
                r.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                try {
                    r.setInput(new ByteArrayImageInputStream(jpeg));
                    BufferedImage image = r.read(0);
                    assertThat(warnings).as("decoder warnings").isEmpty();
                    return image;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } finally {
                    r.dispose();
                }
            }
        }
        throw new IllegalStateException("no JDK JPEG reader");
    }

    /** A progressive JPEG by the JDK writer, with the first component's sampling and a restart interval (0: none). */
    private static byte[] progressive(BufferedImage image, float quality, int lumaH, int lumaV, int restartInterval)
            throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), param);
            IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(FORMAT);
            IIOMetadataNode sof = (IIOMetadataNode) root.getElementsByTagName("sof").item(0);
            IIOMetadataNode luma = (IIOMetadataNode) sof.getElementsByTagName("componentSpec").item(0);
            luma.setAttribute("HsamplingFactor", Integer.toString(lumaH));
            luma.setAttribute("VsamplingFactor", Integer.toString(lumaV));
            if (restartInterval > 0) {
                IIOMetadataNode dri = new IIOMetadataNode("dri");
                dri.setAttribute("interval", Integer.toString(restartInterval));
                IIOMetadataNode markers = (IIOMetadataNode) root.getElementsByTagName("markerSequence").item(0);
                markers.insertBefore(dri, sof);
            }
            meta.setFromTree(FORMAT, root);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
                writer.setOutput(out);
                writer.write(null, new IIOImage(image, null, meta), param);
            }
            byte[] jpeg = bytes.toByteArray();
            assertThat(SourceMetadata.read(ImageFormat.JPEG, jpeg).jpeg().progressive()).isTrue();
            return jpeg;
        } finally {
            writer.dispose();
        }
    }

    private static BufferedImage chinaSmall() {
        return TestImages.read(TestImages.resource("edge/china-small.png"));
    }

    private static BufferedImage crop(BufferedImage image, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        out.getGraphics().drawImage(image.getSubimage(0, 0, w, h), 0, 0, null);
        return out;
    }

    /** Width, height, component count, then each component's sampling byte (H << 4 | V), from the SOF segment. */
    private static List<Integer> frame(byte[] jpeg) {
        byte[] sof = segments(jpeg, 0xC2).get(0);
        List<Integer> facts = new ArrayList<>();
        facts.add((sof[3] & 0xFF) << 8 | (sof[4] & 0xFF));
        facts.add((sof[1] & 0xFF) << 8 | (sof[2] & 0xFF));
        facts.add(sof[5] & 0xFF);
        for (int c = 0; c < (sof[5] & 0xFF); c++) {
            facts.add(sof[7 + 3 * c] & 0xFF);
        }
        return facts;
    }

    /** The bodies of every segment with this marker, walking markers and skipping entropy-coded data. */
    private static List<byte[]> segments(byte[] jpeg, int marker) {
        List<byte[]> found = new ArrayList<>();
        int pos = 2;
        while (pos + 4 <= jpeg.length) {
            if ((jpeg[pos] & 0xFF) != 0xFF) {
                pos++;
                continue;
            }
            int m = jpeg[pos + 1] & 0xFF;
            if (m == 0 || m == 0xFF || m >= 0xD0 && m <= 0xD7) {
                pos += m == 0xFF ? 1 : 2;
                continue;
            }
            if (m == 0xD9) {
                break;
            }
            int len = (jpeg[pos + 2] & 0xFF) << 8 | (jpeg[pos + 3] & 0xFF);
            if (m == marker) {
                found.add(Arrays.copyOfRange(jpeg, pos + 4, pos + 2 + len));
            }
            pos += 2 + len;
        }
        return found;
    }

    private static List<String> hex(List<byte[]> segments) {
        return segments.stream().map(b -> HexFormat.of().formatHex(b)).toList();
    }

    private static int indexOf(byte[] b, int first, int second) {
        for (int i = 0; i + 1 < b.length; i++) {
            if ((b[i] & 0xFF) == first && (b[i + 1] & 0xFF) == second) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOf(byte[] b, int first, int second) {
        for (int i = b.length - 2; i >= 0; i--) {
            if ((b[i] & 0xFF) == first && (b[i + 1] & 0xFF) == second) {
                return i;
            }
        }
        return -1;
    }
}
