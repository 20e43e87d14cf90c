package org.greylab.core.image;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A raw deflate stream (RFC 1951) written as blocks of literals only, each block coded with a Huffman code built
 * for its own bytes: what zlib writes with {@code Z_HUFFMAN_ONLY}, at about twice its speed, because the bytes are
 * coded straight from one table lookup each into a 64-bit bit buffer instead of being buffered as symbols first.
 * Photographic PNG rows after filtering have few repeats for LZ77 to find, and there coding each byte by its
 * frequency is all the compression there is.
 *
 * <p>The stream may be joined with zlib's output: {@link #syncFlush} ends a stretch on a byte boundary with the
 * same empty stored block as zlib's {@code Z_SYNC_FLUSH}, and {@link #append} then takes zlib's bytes as they are.
 */
final class HuffmanBlocks {

    /** Bytes per block: four of zlib's Huffman-only blocks, whose headers then cost a quarter as much. */
    static final int BLOCK_BYTES = 4 * 16383;
    private static final int MAX_LITERAL_BITS = 15;
    private static final int MAX_CODE_LENGTH_BITS = 7;
    private static final int END_OF_BLOCK = 256;
    /** The literal alphabet a block codes: the 256 bytes and the end of block. */
    private static final int LITERALS = 257;
    /** The code lengths a header lists: 257 literal ones, then two one-bit distance codes that no literal uses. */
    private static final int HEADER_LENGTHS = LITERALS + 2;
    /** The order in which a dynamic header lists the code lengths' own code lengths (RFC 1951, 3.2.7). */
    private static final int[] CODE_LENGTH_ORDER = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[] out;
    private int length;
    /** Bits not yet stored, the oldest in the lowest bits; fewer than 32 between calls. */
    private long bitBuffer;
    private int bitCount;

    private final int[] frequencies = new int[LITERALS];
    private final int[] literalLengths = new int[LITERALS];
    private final int[] literalCodes = new int[LITERALS];
    /** Per byte value: its code in the low 16 bits, its length above them. */
    private final int[] table = new int[256];

    HuffmanBlocks(int capacity) {
        out = new byte[Math.max(64, capacity)];
    }

    /** The stream so far: {@code bytes()[0, length())}, whole only on a byte boundary (after a flush or the end). */
    byte[] bytes() {
        return out;
    }

    int length() {
        return length;
    }

    /**
     * Codes {@code len} bytes from {@code src[off]} in blocks of up to {@value #BLOCK_BYTES}; with {@code last}, the
     * last block ends the deflate stream and the stream is padded to a whole byte.
     */
    void literals(byte[] src, int off, int len, boolean last) {
        if (len == 0) {
            if (last) {
                // an empty final block still has to say that it is the last one
                block(src, off, 0, true);
                padToByte();
            }
            return;
        }
        for (int at = off, end = off + len; at < end; ) {
            int n = Math.min(BLOCK_BYTES, end - at);
            at += n;
            block(src, at - n, n, last && at == end);
        }
        if (last) {
            padToByte();
        }
    }

    /** Ends the stream so far on a byte boundary with an empty stored block, as zlib's {@code Z_SYNC_FLUSH} does. */
    void syncFlush() {
        ensure(8);
        bits(0, 3);
        padToByte();
        out[length++] = 0;
        out[length++] = 0;
        out[length++] = (byte) 0xFF;
        out[length++] = (byte) 0xFF;
    }

    /**
     * Ends the blocks so far on a byte boundary, as another deflate writer's bytes must start: as they are when
     * their last block ends on one, else with an empty stored block (which pads to the boundary).
     */
    void alignToByte() {
        if ((bitCount & 7) != 0) {
            syncFlush();
        } else {
            padToByte();
        }
    }

    /** Appends bytes of another deflate writer; the stream must be on a byte boundary ({@link #alignToByte}). */
    void append(byte[] b, int off, int len) {
        if (bitCount != 0) {
            throw new IllegalStateException("appending in the middle of a byte");
        }
        ensure(len);
        System.arraycopy(b, off, out, length, len);
        length += len;
    }

    /*
     * A block is three methods, two hot loops (counting, writing) and the header between them, which runs once per
     * 64 KB: apart, C2 compiles each loop small, and the header only if it gets hot itself. As one method, C2
     * compiled all of it twice per engine (once on stack replacement, once whole; 23 KB of code each, 0.8 s of a
     * cold engine's 2.8 s of C2 time on 105 photos).
     */
    private void block(byte[] src, int off, int n, boolean last) {
        count(src, off, n, frequencies);
        header(last);
        writeLiterals(src, off, n);
        bits(literalCodes[END_OF_BLOCK], literalLengths[END_OF_BLOCK]);
    }

    private static void count(byte[] src, int off, int n, int[] freq) {
        Arrays.fill(freq, 0);
        for (int i = off, end = off + n; i < end; i++) {
            freq[src[i] & 0xFF]++;
        }
    }

    /**
     * The block's header (its code, RFC 1951 3.2.7) from {@link #frequencies}; fills {@link #table}. It runs once per
     * block and every loop of it is a method of its own: C2 then compiles each loop small, when it gets hot, and not
     * the header with all of them inlined, which it did four times per cold engine (three times on stack replacement,
     * once whole: 0.38 s of C2 time, the code lengths' method another 0.35 s in five compilations).
     */
    private void header(boolean last) {
        int[] freq = frequencies;
        freq[END_OF_BLOCK] = 1;
        codeLengths(freq, LITERALS, MAX_LITERAL_BITS, literalLengths);
        canonicalCodes(literalLengths, LITERALS, literalCodes);

        // the header's code lengths, run-length coded, then coded in turn with a Huffman code of their own
        int[] lengths = Arrays.copyOf(literalLengths, HEADER_LENGTHS);
        lengths[LITERALS] = 1;
        lengths[LITERALS + 1] = 1;
        int[] symbols = new int[HEADER_LENGTHS];
        int[] extras = new int[HEADER_LENGTHS];
        int[] symbolFrequencies = new int[19];
        int count = runLengthCoded(lengths, symbols, extras, symbolFrequencies);
        int[] symbolLengths = new int[19];
        int[] symbolCodes = new int[19];
        codeLengths(symbolFrequencies, 19, MAX_CODE_LENGTH_BITS, symbolLengths);
        canonicalCodes(symbolLengths, 19, symbolCodes);
        int listed = 19;
        while (listed > 4 && symbolLengths[CODE_LENGTH_ORDER[listed - 1]] == 0) {
            listed--;
        }

        long dataBits = dataBits(freq, literalLengths);
        // the header takes at most 17 + 19 * 3 + 259 * 7 bits
        ensure((int) (dataBits >>> 3) + 400);
        bits(last ? 1 : 0, 1);
        bits(2, 2); // dynamic Huffman codes
        bits(LITERALS - 257, 5);
        bits(HEADER_LENGTHS - LITERALS - 1, 5);
        bits(listed - 4, 4);
        writeCodeLengths(symbols, extras, count, symbolCodes, symbolLengths, listed);
        fillTable(table, literalCodes, literalLengths);
    }

    /**
     * Run-length codes the header's code lengths (16: repeat the previous 3-6 times, 17: 3-10 zeros, 18: 11-138
     * zeros) into {@code symbols} and their extra bits, counting each symbol in {@code frequencies}.
     *
     * @return how many symbols
     */
    private static int runLengthCoded(int[] lengths, int[] symbols, int[] extras, int[] frequencies) {
        int count = 0;
        for (int i = 0; i < HEADER_LENGTHS; ) {
            int value = lengths[i];
            int run = 1;
            while (i + run < HEADER_LENGTHS && lengths[i + run] == value) {
                run++;
            }
            i += run;
            if (value == 0) {
                while (run >= 11) {
                    int k = Math.min(138, run);
                    symbols[count] = 18;
                    extras[count++] = k - 11;
                    run -= k;
                }
                if (run >= 3) {
                    symbols[count] = 17;
                    extras[count++] = run - 3;
                    run = 0;
                }
            } else {
                symbols[count++] = value;
                run--;
                while (run >= 3) {
                    int k = Math.min(6, run);
                    symbols[count] = 16;
                    extras[count++] = k - 3;
                    run -= k;
                }
            }
            while (run-- > 0) {
                symbols[count++] = value;
            }
        }
        for (int k = 0; k < count; k++) {
            frequencies[symbols[k]]++;
        }
        return count;
    }

    /** The bits the block's literals take with the code of {@code lengths}. */
    private static long dataBits(int[] freq, int[] lengths) {
        long dataBits = 0;
        for (int s = 0; s < LITERALS; s++) {
            dataBits += (long) freq[s] * lengths[s];
        }
        return dataBits;
    }

    /** The header's code for the code lengths ({@code listed} of them), then the run-length coded lengths. */
    private void writeCodeLengths(int[] symbols, int[] extras, int count, int[] symbolCodes, int[] symbolLengths,
                                  int listed) {
        for (int k = 0; k < listed; k++) {
            bits(symbolLengths[CODE_LENGTH_ORDER[k]], 3);
        }
        for (int k = 0; k < count; k++) {
            int s = symbols[k];
            bits(symbolCodes[s], symbolLengths[s]);
            if (s >= 16) {
                bits(extras[k], s == 16 ? 2 : s == 17 ? 3 : 7);
            }
        }
    }

    /** Each byte's code and its length in one int, as {@link #writeLiterals} reads them. */
    private static void fillTable(int[] table, int[] codes, int[] lengths) {
        for (int s = 0; s < 256; s++) {
            table[s] = codes[s] | lengths[s] << 16;
        }
    }

    /**
     * The hot loop: two codes of at most 15 bits each go into the buffer before it is checked, which holds fewer
     * than 32 bits at the start of each step, so 64 bits always suffice; 32 are stored at a time.
     */
    private void writeLiterals(byte[] src, int off, int n) {
        int[] codes = table;
        byte[] dst = out;
        long buffer = bitBuffer;
        int filled = bitCount;
        int at = length;
        int i = off;
        for (int end = off + n - 1; i < end; i += 2) {
            int first = codes[src[i] & 0xFF];
            int second = codes[src[i + 1] & 0xFF];
            buffer |= (long) (first & 0xFFFF) << filled;
            filled += first >>> 16;
            buffer |= (long) (second & 0xFFFF) << filled;
            filled += second >>> 16;
            if (filled >= 32) {
                INTS.set(dst, at, (int) buffer);
                at += 4;
                buffer >>>= 32;
                filled -= 32;
            }
        }
        bitBuffer = buffer;
        bitCount = filled;
        length = at;
        if (i < off + n) {
            int last = codes[src[i] & 0xFF];
            bits(last & 0xFFFF, last >>> 16);
        }
    }

    private void bits(int value, int n) {
        bitBuffer |= (long) value << bitCount;
        bitCount += n;
        if (bitCount >= 32) {
            INTS.set(out, length, (int) bitBuffer);
            length += 4;
            bitBuffer >>>= 32;
            bitCount -= 32;
        }
    }

    private void padToByte() {
        ensure(8);
        while (bitCount > 0) {
            out[length++] = (byte) bitBuffer;
            bitBuffer >>>= 8;
            bitCount -= 8;
        }
        bitCount = 0;
        bitBuffer = 0;
    }

    /** Room for {@code more} bytes and a 4-byte store beyond them. */
    private void ensure(int more) {
        long need = (long) length + more + 16;
        if (need > out.length) {
            if (need > Integer.MAX_VALUE - 64) {
                throw new IllegalStateException("a deflate stream of " + need + " bytes does not fit in an array");
            }
            out = Arrays.copyOf(out, (int) Math.max(need, Math.min(Integer.MAX_VALUE - 64, 2L * out.length)));
        }
    }

    /**
     * Huffman code lengths of at most {@code maxBits} for the symbols {@code 0..n-1} by frequency: optimal ones
     * (Moffat and Katajainen's in-place method over the frequencies in ascending order), then, only when a length
     * exceeds the limit, the longest codes are cut to it and the code is made whole again by lengthening the
     * deepest shorter codes one at a time (the Kraft sum back to exactly one). Two symbols at least get a code, so
     * that every code is complete, which strict inflaters (zlib's, for the code lengths' code) require.
     */
    static void codeLengths(int[] freq, int n, int maxBits, int[] lengths) {
        Arrays.fill(lengths, 0, n, 0);
        long[] keys = new long[n];
        int m = keys(freq, n, keys);
        if (m < 2) {
            int only = m == 0 ? 0 : (int) (keys[0] & 511);
            lengths[only] = 1;
            lengths[only == 0 ? 1 : 0] = 1;
            return;
        }
        sort(keys, m);
        int[] a = weights(keys, m);
        parents(a, m);
        internalDepths(a, m);
        leafDepths(a, m);
        int[] perLength = perLength(a, m, maxBits);
        if (a[0] > maxBits) {
            limit(perLength, maxBits);
        }
        assign(keys, perLength, maxBits, lengths);
    }

    /** The sorted keys' frequencies. */
    private static int[] weights(long[] keys, int m) {
        int[] a = new int[m];
        for (int i = 0; i < m; i++) {
            a[i] = (int) (keys[i] >>> 9);
        }
        return a;
    }

    /** How many leaves, of depths {@code a[0, m)} (the deepest first), have each depth. */
    private static int[] perLength(int[] a, int m, int maxBits) {
        int[] perLength = new int[Math.max(maxBits, a[0]) + 1];
        for (int i = 0; i < m; i++) {
            perLength[a[i]]++;
        }
        return perLength;
    }

    /** The lengths to the symbols: the rarest symbols (first in {@code keys}) get the longest codes. */
    private static void assign(long[] keys, int[] perLength, int maxBits, int[] lengths) {
        int i = 0;
        for (int l = maxBits; l >= 1; l--) {
            for (int k = perLength[l]; k > 0; k--) {
                lengths[(int) (keys[i++] & 511)] = l;
            }
        }
    }

    /** The used symbols as keys, frequency above symbol, in {@code keys}; returns how many. */
    private static int keys(int[] freq, int n, long[] keys) {
        int m = 0;
        for (int s = 0; s < n; s++) {
            if (freq[s] > 0) {
                keys[m++] = (long) freq[s] << 9 | s;
            }
        }
        return m;
    }

    /** First pass over the ascending weights in {@code a}: internal nodes' weights, then parent pointers, in place. */
    private static void parents(int[] a, int m) {
        a[0] += a[1];
        int root = 0;
        int leaf = 2;
        for (int next = 1; next < m - 1; next++) {
            if (leaf >= m || a[root] < a[leaf]) {
                a[next] = a[root];
                a[root++] = next;
            } else {
                a[next] = a[leaf++];
            }
            if (leaf >= m || (root < next && a[root] < a[leaf])) {
                a[next] += a[root];
                a[root++] = next;
            } else {
                a[next] += a[leaf++];
            }
        }
    }

    /** Second pass: internal nodes' depths. */
    private static void internalDepths(int[] a, int m) {
        a[m - 2] = 0;
        for (int next = m - 3; next >= 0; next--) {
            a[next] = a[a[next]] + 1;
        }
    }

    /** Third pass: leaves' depths, deepest first. */
    private static void leafDepths(int[] a, int m) {
        int available = 1;
        int used = 0;
        int depth = 0;
        int root = m - 2;
        int next = m - 1;
        while (available > 0) {
            while (root >= 0 && a[root] == depth) {
                used++;
                root--;
            }
            while (available > used) {
                a[next--] = depth;
                available--;
            }
            available = 2 * used;
            depth++;
            used = 0;
        }
    }

    /**
     * Cuts the codes longer than {@code maxBits} to it and makes the code whole again by lengthening the deepest
     * shorter codes one at a time (the Kraft sum back to exactly one).
     */
    private static void limit(int[] perLength, int maxBits) {
        for (int l = maxBits + 1; l < perLength.length; l++) {
            perLength[maxBits] += perLength[l];
            perLength[l] = 0;
        }
        long kraft = 0;
        for (int l = 1; l <= maxBits; l++) {
            kraft += (long) perLength[l] << (maxBits - l);
        }
        for (; kraft != 1L << maxBits; kraft--) {
            perLength[maxBits]--;
            for (int l = maxBits - 1; l > 0; l--) {
                if (perLength[l] != 0) {
                    perLength[l]--;
                    perLength[l + 1] += 2;
                    break;
                }
            }
        }
    }

    /** Shell sort's gaps (Ciura's), enough for the 257 keys of a block. */
    private static final int[] GAPS = {132, 57, 23, 10, 4, 1};

    /**
     * Sorts {@code keys[0, m)} ascending. Not {@code Arrays.sort}: for at most 257 keys a Shell sort is as quick, and
     * C2 compiles it in a fraction of the time it gave the JDK's dual-pivot sort (compiled up to nine times per
     * cold engine, OSR included: 0.13-0.26 s of C2 time on 105 photos).
     */
    static void sort(long[] keys, int m) {
        for (int gap : GAPS) {
            for (int i = gap; i < m; i++) {
                long key = keys[i];
                int j = i;
                for (; j >= gap && keys[j - gap] > key; j -= gap) {
                    keys[j] = keys[j - gap];
                }
                keys[j] = key;
            }
        }
    }

    /** Canonical codes for the lengths (RFC 1951, 3.2.2), bit-reversed: deflate stores a code's first bit first. */
    static void canonicalCodes(int[] lengths, int n, int[] codes) {
        int[] perLength = new int[17];
        for (int s = 0; s < n; s++) {
            perLength[lengths[s]]++;
        }
        perLength[0] = 0;
        int[] next = new int[17];
        int code = 0;
        for (int bits = 1; bits <= 16; bits++) {
            code = (code + perLength[bits - 1]) << 1;
            next[bits] = code;
        }
        for (int s = 0; s < n; s++) {
            int l = lengths[s];
            codes[s] = l == 0 ? 0 : Integer.reverse(next[l]++) >>> (32 - l);
        }
    }
}
