package org.greylab.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

class HuffmanBlocksTest {

    /** Inflates a whole raw deflate stream with zlib (the JDK's Inflater), failing unless it ends where it should. */
    static byte[] inflate(byte[] stream, int length) throws DataFormatException {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(stream, 0, length);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[1 << 16];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && !inflater.finished() && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new AssertionError("the stream ended before its final block");
                }
                out.write(buffer, 0, n);
            }
            assertThat(inflater.getRemaining()).as("bytes after the final block").isZero();
            return out.toByteArray();
        } finally {
            inflater.end();
        }
    }

    private static byte[] written(byte[] data) throws DataFormatException {
        HuffmanBlocks blocks = new HuffmanBlocks(16);
        blocks.literals(data, 0, data.length, true);
        return inflate(blocks.bytes(), blocks.length());
    }

    @Test
    void uniformSkewedAndSingleValuedBytesInflateToThemselves() throws DataFormatException {
        SplittableRandom random = new SplittableRandom(11);
        byte[] uniform = new byte[3 * HuffmanBlocks.BLOCK_BYTES + 17];
        random.nextBytes(uniform);
        byte[] skewed = new byte[200_001];
        for (int i = 0; i < skewed.length; i++) {
            // about the spread of filtered photo rows: most bytes near zero, a few far off
            skewed[i] = (byte) (Math.round(random.nextGaussian() * 6) + (random.nextInt(50) == 0 ? 100 : 0));
        }
        byte[] single = new byte[70_000];
        Arrays.fill(single, (byte) 7);

        for (byte[] data : new byte[][] {uniform, skewed, single, {42}, {1, 2}, new byte[HuffmanBlocks.BLOCK_BYTES]}) {
            assertThat(written(data)).as("%d bytes", data.length).isEqualTo(data);
        }
        assertThat(written(new byte[0])).isEmpty();
    }

    @Test
    void bytesWhoseOptimalCodeIsDeeperThanFifteenBitsStillInflate() throws DataFormatException {
        // Fibonacci counts make the deepest Huffman tree there is: 25 symbols, an optimal depth of 24
        int[] counts = new int[25];
        counts[0] = 1;
        counts[1] = 1;
        for (int i = 2; i < counts.length; i++) {
            counts[i] = counts[i - 1] + counts[i - 2];
        }
        int total = Arrays.stream(counts).sum();
        byte[] data = new byte[total];
        int at = 0;
        for (int symbol = 0; symbol < counts.length; symbol++) {
            Arrays.fill(data, at, at + counts[symbol], (byte) (symbol * 9));
            at += counts[symbol];
        }
        // shuffled, so that every block sees the same skew
        SplittableRandom random = new SplittableRandom(3);
        for (int i = data.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            byte t = data[i];
            data[i] = data[j];
            data[j] = t;
        }
        HuffmanBlocks blocks = new HuffmanBlocks(16);
        blocks.literals(data, 0, data.length, true);

        assertThat(inflate(blocks.bytes(), blocks.length())).isEqualTo(data);
    }

    @Test
    void codeLengthsAreOptimalWithinTheLimitAndAWholeCodeWhenCut() {
        SplittableRandom random = new SplittableRandom(17);
        for (int round = 0; round < 2_000; round++) {
            int n = 2 + random.nextInt(256);
            int[] freq = new int[n];
            for (int s = 0; s < n; s++) {
                freq[s] = random.nextInt(4) == 0 ? 0 : (int) Math.pow(2, random.nextDouble() * (round % 3 == 0 ? 24 : 10));
            }
            int[] lengths = new int[n];

            HuffmanBlocks.codeLengths(freq, n, 15, lengths);

            long kraft = 0;
            long cost = 0;
            int used = 0;
            for (int s = 0; s < n; s++) {
                assertThat(lengths[s]).isBetween(0, 15);
                if (freq[s] > 0) {
                    assertThat(lengths[s]).isPositive();
                    used++;
                }
                kraft += lengths[s] == 0 ? 0 : 1L << (15 - lengths[s]);
                cost += (long) freq[s] * lengths[s];
            }
            assertThat(kraft).as("round %d: a complete code", round).isEqualTo(1L << 15);
            if (used >= 2) {
                for (int s = 0; s < n; s++) {
                    assertThat(lengths[s] == 0).as("round %d: an unused symbol has no code", round)
                            .isEqualTo(freq[s] == 0);
                }
            }
            long optimal = huffmanCost(freq);
            if (optimalDepth(freq) <= 15 && used >= 2) {
                assertThat(cost).as("round %d: as short as Huffman's own", round).isEqualTo(optimal);
            } else {
                assertThat(cost).as("round %d: cut, so longer than Huffman's", round).isGreaterThanOrEqualTo(optimal);
            }
        }
    }

    @Test
    void theKeySortOrdersLikeArraysSortForEveryCountUpToABlocksAlphabet() {
        SplittableRandom random = new SplittableRandom(23);
        for (int m = 0; m <= 257; m++) {
            long[] keys = new long[m + 3];
            for (int i = 0; i < keys.length; i++) {
                // as codeLengths builds them: a frequency above the symbol's 9 bits, and some frequencies repeated
                keys[i] = (long) random.nextInt(m % 5 == 0 ? 4 : 70_000) << 9 | i;
            }
            long[] expected = keys.clone();
            Arrays.sort(expected, 0, m);

            HuffmanBlocks.sort(keys, m);

            assertThat(keys).as("%d keys", m).containsExactly(expected);
        }
    }

    @Test
    void aSyncFlushJoinsStretchesAndAlignsForAnotherWriter() throws DataFormatException {
        SplittableRandom random = new SplittableRandom(23);
        byte[] first = new byte[5_000];
        byte[] second = new byte[9_999];
        random.nextBytes(first);
        random.nextBytes(second);
        HuffmanBlocks blocks = new HuffmanBlocks(16);
        blocks.literals(first, 0, first.length, false);
        blocks.syncFlush();
        int afterFlush = blocks.length();
        blocks.alignToByte();
        assertThat(blocks.length()).as("already aligned: nothing added").isEqualTo(afterFlush);
        blocks.literals(second, 0, second.length, true);

        byte[] joined = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, joined, first.length, second.length);
        assertThat(inflate(blocks.bytes(), blocks.length())).isEqualTo(joined);
        assertThat(Arrays.copyOfRange(blocks.bytes(), afterFlush - 4, afterFlush))
                .as("zlib's sync flush marker").containsExactly(0, 0, 0xFF, 0xFF);
    }

    /** The total code length of an optimal Huffman code, from a priority queue (the textbook construction). */
    private static long huffmanCost(int[] freq) {
        PriorityQueue<Long> queue = new PriorityQueue<>();
        for (int f : freq) {
            if (f > 0) {
                queue.add((long) f);
            }
        }
        if (queue.size() == 1) {
            return queue.peek();
        }
        long cost = 0;
        while (queue.size() > 1) {
            long merged = queue.poll() + queue.poll();
            cost += merged;
            queue.add(merged);
        }
        return cost;
    }

    /** The depth of the deepest leaf of a Huffman tree of these frequencies (ties broken by depth, shallow first). */
    private static int optimalDepth(int[] freq) {
        PriorityQueue<long[]> queue = new PriorityQueue<>((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0])
                : Long.compare(a[1], b[1]));
        for (int f : freq) {
            if (f > 0) {
                queue.add(new long[] {f, 0});
            }
        }
        while (queue.size() > 1) {
            long[] a = queue.poll();
            long[] b = queue.poll();
            queue.add(new long[] {a[0] + b[0], Math.max(a[1], b[1]) + 1});
        }
        return (int) queue.peek()[1];
    }
}
