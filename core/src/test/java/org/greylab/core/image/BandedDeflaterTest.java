package org.greylab.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.zip.Adler32;
import org.junit.jupiter.api.Test;

class BandedDeflaterTest {

    /** The definition {@link BandedDeflater#isFlat} reads 8 bytes at a time. */
    private static boolean flatByteByByte(byte[] b, int start, int len) {
        int inRuns = 0;
        int run = 0;
        for (int i = start; i < start + len; i++) {
            if (b[i] == 0) {
                run++;
            } else {
                inRuns += run >= 16 ? run : 0;
                run = 0;
            }
        }
        inRuns += run >= 16 ? run : 0;
        return inRuns >= len / 2;
    }

    @Test
    void isFlatCountsTheRunsOfTheByteByByteDefinition() {
        SplittableRandom random = new SplittableRandom(5);
        int flat = 0;
        for (int round = 0; round < 20_000; round++) {
            // zero runs of 0-40 bytes between short stretches of non-zero bytes, near the threshold of half
            byte[] b = new byte[random.nextInt(1, 300)];
            for (int i = 0; i < b.length; ) {
                i += random.nextInt(0, 41);
                for (int k = random.nextInt(1, 12); k > 0 && i < b.length; k--, i++) {
                    b[i] = (byte) random.nextInt(1, 256);
                }
            }
            int start = random.nextInt(0, Math.min(9, b.length));
            int len = random.nextInt(0, b.length - start + 1);

            boolean expected = flatByteByByte(b, start, len);

            assertThat(BandedDeflater.isFlat(b, start, len)).as("round %d", round).isEqualTo(expected);
            flat += expected ? 1 : 0;
        }
        assertThat(flat).as("flat cases among 20000").isBetween(2_000, 18_000);
    }

    @Test
    void combinedAdlerEqualsTheAdlerOfTheJoinedBytes() {
        byte[] data = new byte[300_000];
        new SplittableRandom(3).nextBytes(data);
        for (int cut : new int[] {0, 1, 65_520, 65_521, 65_522, 200_000, data.length}) {
            Adler32 first = new Adler32();
            first.update(data, 0, cut);
            Adler32 second = new Adler32();
            second.update(data, cut, data.length - cut);
            Adler32 whole = new Adler32();
            whole.update(data);

            int combined = BandedDeflater.combineAdler((int) first.getValue(), (int) second.getValue(),
                    data.length - cut);

            assertThat(combined).as("cut at %d", cut).isEqualTo((int) whole.getValue());
        }
    }

    @Test
    void bandsOfFlatAndPhotographicSlicesJoinIntoOneStreamOfTheRows() throws Exception {
        // rows of 1000 bytes, 3.5 bands: stretches of zero runs (zlib's LZ77) and of noise (Huffman-coded
        // literals) that change within bands, at band ends and in the middle of rows
        int stride = 1000;
        int rows = (int) (3.5 * BandedDeflater.BAND_BYTES / stride);
        byte[] data = new byte[stride * rows];
        SplittableRandom random = new SplittableRandom(29);
        int at = 0;
        boolean flat = true;
        while (at < data.length) {
            int n = Math.min(data.length - at, BandedDeflater.SLICE_BYTES / 2 + random.nextInt(3 * BandedDeflater.SLICE_BYTES));
            for (int i = at; i < at + n; i++) {
                // flat: a repeating ramp now and then, so that LZ77 finds matches reaching back into earlier slices
                data[i] = flat ? (i % 97 < 3 ? (byte) (i % 7) : 0) : (byte) (random.nextGaussian() * 20);
            }
            at += n;
            flat = !flat;
        }
        BandedDeflater.RowSource source = (from, to, out, off) -> System.arraycopy(data, from * stride, out, off,
                (to - from) * stride);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            for (int level : new int[] {0, 1, 6}) {
                java.util.List<BandedDeflater.Band> alone = BandedDeflater.deflate(source, stride, rows, level, null);
                java.util.List<BandedDeflater.Band> shared = BandedDeflater.deflate(source, stride, rows, level, pool);

                java.io.ByteArrayOutputStream joined = new java.io.ByteArrayOutputStream();
                for (int k = 0; k < alone.size(); k++) {
                    assertThat(java.util.Arrays.copyOf(shared.get(k).bytes(), shared.get(k).length()))
                            .as("level %d band %d on any thread", level, k)
                            .isEqualTo(java.util.Arrays.copyOf(alone.get(k).bytes(), alone.get(k).length()));
                    joined.write(alone.get(k).bytes(), 0, alone.get(k).length());
                }
                byte[] stream = joined.toByteArray();
                assertThat(HuffmanBlocksTest.inflate(stream, stream.length)).as("level %d", level).isEqualTo(data);
                if (level > 0) {
                    assertThat(stream.length).as("level %d compresses", level).isLessThan(data.length / 2);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
