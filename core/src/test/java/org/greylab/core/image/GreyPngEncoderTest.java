package org.greylab.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.greylab.core.testing.Samples;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The grey PNG encoder, checked by decoding its output with the JDK's own PNG reader. */
class GreyPngEncoderTest {

    private static ExecutorService pool;

    @BeforeAll
    static void startPool() {
        pool = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void stopPool() {
        pool.shutdownNow();
    }

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

    @ParameterizedTest
    @ValueSource(strings = {"1x1", "1x300", "300x1", "1021x7", "3x5000", "1500x1500"})
    void oddSizesRoundTripInEveryLayout(String size) {
        int w = Integer.parseInt(size.substring(0, size.indexOf('x')));
        int h = Integer.parseInt(size.substring(size.indexOf('x') + 1));
        for (int depth : new int[] {8, 16}) {
            for (boolean alpha : new boolean[] {false, true}) {
                GreyImage img = sample(w, h, depth, alpha);
                for (PngFilter filter : new PngFilter[] {PngFilter.PAETH, PngFilter.ADAPTIVE}) {
                    byte[] png = GreyPngEncoder.encode(img, 1, filter, 0, 0, null, null);
                    assertRoundTrip(img, png);
                    assertThat(inflatedIdat(png)).hasSize((img.width() * img.channels() * depth / 8 + 1) * h);
                }
            }
        }
    }

    @Test
    void bandsJoinIntoOneZlibStreamWithTheAdlerOfTheWholeImage() {
        // 16-bit grey+alpha rows of 6004 bytes: band boundaries fall inside rows
        GreyImage img = sample(1501, 700, 16, true);
        int filteredBytes = (1501 * 4 + 1) * 700;
        assertThat(filteredBytes).isGreaterThan(3 * BandedDeflater.BAND_BYTES);

        byte[] png = GreyPngEncoder.encode(img, 1, PngFilter.PAETH, 0, 0, null, null);

        // the Inflater checks the stream's Adler-32 at its end, and rejects a stream that ends early or twice
        assertThat(inflatedIdat(png)).hasSize(filteredBytes);
        assertRoundTrip(img, png);
    }

    @Test
    void parallelBandsWriteTheSameBytesAsTheCallingThread() {
        for (int depth : new int[] {8, 16}) {
            GreyImage img = sample(2001, 1500, depth, depth == 16);
            for (PngFilter filter : new PngFilter[] {PngFilter.PAETH, PngFilter.ADAPTIVE}) {
                byte[] serial = GreyPngEncoder.encode(img, 1, filter, 72, 72, "2024-01-01", null);
                byte[] parallel = GreyPngEncoder.encode(img, 1, filter, 72, 72, "2024-01-01", null, pool);
                assertThat(parallel).as("%d-bit %s", depth, filter).isEqualTo(serial);
            }
        }
    }

    @Test
    void samplePhotosRoundTripAndEncodeTheSameInParallel() throws Exception {
        for (Path photo : Samples.images()) {
            GreyImage img = grey(photo);
            byte[] serial = GreyPngEncoder.encode(img, 1, PngFilter.PAETH, 0, 0, null, null);
            assertThat(GreyPngEncoder.encode(img, 1, PngFilter.PAETH, 0, 0, null, null, pool))
                    .as(photo.toString()).isEqualTo(serial);
            assertRoundTrip(img, serial);
        }
    }

    @Test
    void corpusPhotosEncodeTheSameInParallel() throws Exception {
        List<Path> photos = Samples.imagesUnder(Samples.corpusOrSkip());
        for (Path photo : photos) {
            GreyImage img = grey(photo);
            assertThat(GreyPngEncoder.encode(img, 1, PngFilter.PAETH, 0, 0, null, null, pool))
                    .as(photo.toString())
                    .isEqualTo(GreyPngEncoder.encode(img, 1, PngFilter.PAETH, 0, 0, null, null));
        }
    }

    @Test
    void flatSlicesOfAPhotoStillCompressWell() {
        // a quarter noise (about a byte per pixel whatever the coding), three quarters one grey: LZ77 there makes
        // 297 KB in all, Huffman coding alone 381 KB (at least a bit per flat byte)
        int w = 1000;
        int h = 1100;
        byte[] px = new byte[w * h];
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < px.length; i++) {
            px[i] = i < px.length / 4 ? (byte) random.nextInt(256) : (byte) 90;
        }
        GreyImage img = GreyImage.of8(w, h, false, px);

        byte[] png = GreyPngEncoder.encode(img, 1, PngFilter.PAETH, 0, 0, null, null);

        assertThat(png.length).isLessThan(px.length / 4 + 40_000);
        assertRoundTrip(img, png);
    }

    private static GreyImage grey(Path photo) throws Exception {
        KernelStages.Grey grey = KernelStages.convert(KernelStages.decode(Files.readAllBytes(photo)),
                GreyFormula.SKIMAGE);
        return (GreyImage) grey.plane();
    }

    /** The PNG's IDAT data inflated as one zlib stream, which must end exactly where the data ends. */
    private static byte[] inflatedIdat(byte[] png) {
        ByteArrayOutputStream zlib = new ByteArrayOutputStream();
        for (EdgeFiles.PngChunk c : EdgeFiles.pngChunks(png)) {
            if (c.type().equals("IDAT")) {
                zlib.writeBytes(c.data());
            }
        }
        Inflater inflater = new Inflater();
        inflater.setInput(zlib.toByteArray());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        try {
            while (!inflater.finished()) {
                int n = inflater.inflate(buf);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new AssertionError("the zlib stream ends early");
                }
                out.write(buf, 0, n);
            }
            assertThat(inflater.getRemaining()).as("bytes after the zlib stream").isZero();
        } catch (DataFormatException e) {
            throw new AssertionError("bad zlib stream", e);
        } finally {
            inflater.end();
        }
        return out.toByteArray();
    }
}
