package org.greylab.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A progressive JPEG cut short is reported as a baseline one is, also when it was cut at a scan boundary and closed
 * with an EOI, which every decoder shows without a word (libjpeg-turbo's testorig.jpg, made progressive by jpegtran;
 * Pillow's truncated_jpeg.jpg). The kernel's tests run once with each JPEG decoder, so both paths are covered.
 */
class ProgressiveTruncationTest {

    private static final ConversionSettings PNG_OUT = ConversionSettings.defaults().withFormat(OutputFormat.PNG);
    private final GreyscaleKernel kernel = new GreyscaleKernel();

    @Test
    void theWholeProgressiveFileMatchesImageMagicksReading() throws Exception {
        ConversionResult r = kernel.convert(SuiteFiles.bytes("jpeg", "testorig-progressive.jpg"), PNG_OUT);

        assertThat(r.warnings()).isEmpty();
        SuiteFiles.assertMatchesReference(TestImages.decode(r.output()),
                SuiteFiles.reference("jpeg/ref", "testorig-progressive.jpg"), 1, "progressive");
    }

    @Test
    void aProgressiveFileClosedWithEoiAfterEachScanButTheLastFailsAsTruncated() {
        byte[] jpeg = SuiteFiles.bytes("jpeg", "testorig-progressive.jpg");
        List<Integer> scanStarts = scanStarts(jpeg);
        assertThat(scanStarts).hasSizeGreaterThan(2);

        // cut before the second, third, ... scan (the marker tables before a scan go with it)
        for (int scan = 1; scan < scanStarts.size(); scan++) {
            byte[] cut = withEoi(Arrays.copyOf(jpeg, scanStarts.get(scan)));
            ConversionException e = catchThrowableOfType(ConversionException.class, () -> kernel.convert(cut, PNG_OUT));
            assertThat(e).as("cut before scan %d", scan).isNotNull();
            assertThat(e.reason()).startsWith("the file is truncated or damaged");
        }
    }

    @Test
    void aProgressiveFileCutInsideAScanFailsAsABaselineOneDoes() {
        byte[] progressive = SuiteFiles.bytes("jpeg", "testorig-progressive.jpg");
        byte[] baseline = SuiteFiles.bytes("jpeg", "testorig.jpg");

        ConversionException p = catchThrowableOfType(ConversionException.class,
                () -> kernel.convert(Arrays.copyOf(progressive, progressive.length * 2 / 5), PNG_OUT));
        ConversionException b = catchThrowableOfType(ConversionException.class,
                () -> kernel.convert(Arrays.copyOf(baseline, baseline.length * 2 / 5), PNG_OUT));

        assertThat(b.reason()).startsWith("the file is truncated or damaged");
        assertThat(p.reason()).startsWith("the file is truncated or damaged");
        assertThat(p.stage()).isEqualTo(b.stage()).isEqualTo(Stage.DECODE);
    }

    @Test
    void pillowsTruncatedProgressiveJpegFailsAsTruncated() {
        // Pillow's truncated_jpeg.jpg: progressive, cut inside its last scan; djpeg warns "Premature end of JPEG file"
        ConversionException e = catchThrowableOfType(ConversionException.class,
                () -> kernel.convert(SuiteFiles.bytes("jpeg", "truncated_jpeg.jpg"), PNG_OUT));

        assertThat(e).isNotNull();
        assertThat(e.stage()).isEqualTo(Stage.DECODE);
        assertThat(e.reason()).startsWith("the file is truncated or damaged");
    }

    @Test
    void aProgressiveFileCutAtTheProportionOfSevenPointFourOfTwentyPointSevenKilobytesFailsAsTruncated() {
        // the share of a 20.7 kB progressive file that a cut to 7.4 kB leaves, without and with an EOI put back
        byte[] jpeg = SuiteFiles.bytes("jpeg", "testorig-progressive.jpg");
        byte[] cut = Arrays.copyOf(jpeg, (int) (jpeg.length * 7.4 / 20.7));

        for (byte[] file : List.of(cut, withEoi(cut))) {
            ConversionException e = catchThrowableOfType(ConversionException.class,
                    () -> kernel.convert(file, PNG_OUT));
            assertThat(e).as("%d of %d bytes", file.length, jpeg.length).isNotNull();
            assertThat(e.reason()).startsWith("the file is truncated or damaged");
        }
    }

    /** Where each scan's tables (DHT) or, without them, its SOS begin: the places a cut at a scan boundary falls. */
    private static List<Integer> scanStarts(byte[] jpeg) {
        List<Integer> starts = new ArrayList<>();
        int pending = -1;
        for (int i = 2; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) != 0xFF) {
                continue;
            }
            int m = jpeg[i + 1] & 0xFF;
            if (m == 0xC4 && pending < 0) {
                pending = i;
            } else if (m == 0xDA) {
                starts.add(pending >= 0 ? pending : i);
                pending = -1;
            }
        }
        return starts;
    }

    private static byte[] withEoi(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(b);
        out.write(0xFF);
        out.write(0xD9);
        return out.toByteArray();
    }
}
