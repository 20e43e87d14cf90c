package org.greylab.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The grey PNG encoder, checked by decoding its output with the JDK's own PNG reader. */
class GreyPngEncoderTest {

    /** Half smooth photo-like noise, half flat, so both deflate strategies and every filter get work. */
    private static GreyImage sample(int w, int h, int bitDepth, boolean alpha) {
        SplittableRandom random = new SplittableRandom(7);
        int ch = alpha ? 2 : 1;
        int max = bitDepth == 8 ? 255 : 65535;
        byte[] bytes = bitDepth == 8 ? new byte[w * h * ch] : null;
        short[] shorts = bitDepth == 16 ? new short[w * h * ch] : null;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = y < h / 2 ? (int) ((x * 7L + y * 3L) % (max + 1)) ^ random.nextInt(4) : max / 3;
                int a = (x * 5 + y) % (max + 1);
                int i = (y * w + x) * ch;
                if (bytes != null) {
                    bytes[i] = (byte) v;
                    if (alpha) {
                        bytes[i + 1] = (byte) a;
                    }
                } else {
                    shorts[i] = (short) v;
                    if (alpha) {
                        shorts[i + 1] = (short) a;
                    }
                }
            }
        }
        return new GreyImage(w, h, bitDepth, alpha, bytes, shorts);
    }

    private static void assertRoundTrip(GreyImage img, byte[] png) {
        BufferedImage decoded = TestImages.decode(png);
        assertThat(decoded.getWidth()).isEqualTo(img.width());
        assertThat(decoded.getHeight()).isEqualTo(img.height());
        assertThat(decoded.getColorModel().getComponentSize(0)).isEqualTo(img.bitDepth());
        assertThat(decoded.getColorModel().hasAlpha()).isEqualTo(img.hasAlpha());
        int ch = img.channels();
        int[] row = new int[img.width() * ch];
        for (int y = 0; y < img.height(); y++) {
            decoded.getRaster().getPixels(0, y, img.width(), 1, row);
            for (int i = 0; i < row.length; i++) {
                int j = y * img.width() * ch + i;
                int expected = img.bitDepth() == 8 ? img.bytes()[j] & 0xFF : img.shorts()[j] & 0xFFFF;
                if (row[i] != expected) {
                    assertThat(row[i]).as("sample %d of row %d", i, y).isEqualTo(expected);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(PngFilter.class)
    void everyFilterRoundTripsEveryLayout(PngFilter filter) {
        for (int depth : new int[] {8, 16}) {
            for (boolean alpha : new boolean[] {false, true}) {
                GreyImage img = sample(97, 61, depth, alpha);
                assertRoundTrip(img, GreyPngEncoder.encode(img, 1, filter, 0, 0, null, null));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 6, 9})
    void everyCompressionLevelRoundTrips(int level) {
        GreyImage img = sample(120, 80, 8, false);
        assertRoundTrip(img, GreyPngEncoder.encode(img, level, PngFilter.ADAPTIVE, 0, 0, null, null));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void largeOutputIsSplitIntoIdatChunksWithCorrectCrcs(int level) {
        GreyImage img = sample(700, 600, 8, false);

        byte[] png = GreyPngEncoder.encode(img, level, PngFilter.SUB, 0, 0, null, null);

        List<EdgeFiles.PngChunk> chunks = EdgeFiles.pngChunks(png);
        assertThat(chunks).allSatisfy(c -> assertThat(c.crcOk()).as(c.type() + " CRC").isTrue());
        assertThat(chunks.stream().filter(c -> c.type().equals("IDAT")).count()).isGreaterThan(1);
        assertThat(chunks.get(0).type()).isEqualTo("IHDR");
        assertThat(chunks.get(chunks.size() - 1).type()).isEqualTo("IEND");
        assertRoundTrip(img, png);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 9})
    void flatImagesStillCompressWell(int level) {
        GreyImage flat = GreyImage.of8(1000, 1000, false, new byte[1000 * 1000]);

        byte[] png = GreyPngEncoder.encode(flat, level, PngFilter.ADAPTIVE, 0, 0, null, null);

        assertThat(png.length).isLessThan(20_000);
        assertRoundTrip(flat, png);
    }
}
