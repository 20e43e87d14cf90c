package org.greylab.core.image;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.zip.Adler32;
import java.util.zip.Deflater;

/**
 * One zlib stream of rows that are produced on demand (PNG scanlines), deflated in fixed bands that can run on any
 * threads and still join into the same bytes.
 *
 * <p>The stream is cut at fixed offsets that depend only on its length: bands of {@value #BAND_BYTES} bytes, each
 * deflated raw on its own and ended on a byte boundary by an empty stored block (zlib's {@link Deflater#SYNC_FLUSH}
 * marker; the last band by its final block instead), so the bands concatenate into one deflate stream whatever
 * thread made each of them. Within a band, each slice of {@value #SLICE_BYTES} bytes is coded the way that suits it
 * ({@link #isFlat}): photographic slices as Huffman-coded literals by {@link HuffmanBlocks}, flat ones by zlib with
 * LZ77, its matches free to reach back into the band's earlier slices (given to it as a preset dictionary). The
 * Adler-32 of the whole comes from the bands' checksums ({@link #combineAdler}).
 *
 * <p>Both sizes are multiples of 16383 bytes, the block zlib ends when coding Huffman-only (its symbol buffer at
 * the JDK's memory level 8 holds 16383 literals), so a change of coder ends no zlib block early. On the 14 corpus
 * JPEGs (PNG files, Paeth): 16,951,452 bytes, against 17,032,998 when zlib coded the photographic slices too
 * (Huffman-only, blocks of 16383 bytes), at 0.61 times the encoder's CPU time.
 */
final class BandedDeflater {

    private static final int HUFFMAN_BLOCK = 16383;
    /** Bands of about 1 MiB: a 12 MP photo makes a dozen, enough to share among a few threads. */
    static final int BAND_BYTES = 64 * HUFFMAN_BLOCK;
    /** Strategy slices of about 128 KiB. */
    static final int SLICE_BYTES = 8 * HUFFMAN_BLOCK;
    private static final int LONG_RUN = 16;
    private static final int ADLER_BASE = 65521;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Writes filtered rows {@code fromRow} to {@code toRow} (exclusive) into {@code out} from {@code off}. */
    @FunctionalInterface
    interface RowSource {
        void fill(int fromRow, int toRow, byte[] out, int off);
    }

    /** One band's raw deflate data, {@code bytes[0, length)}, and the Adler-32 of its {@code inputLength} bytes. */
    record Band(byte[] bytes, int length, int adler, int inputLength) {
    }

    private BandedDeflater() {
    }

    /**
     * Deflates {@code rows} rows of {@code stride} bytes each.
     *
     * @param executor runs the bands, in any order and on any threads; null runs them on the calling thread
     * @return the bands in stream order
     */
    static List<Band> deflate(RowSource source, int stride, int rows, int level, Executor executor) {
        long total = (long) stride * rows;
        if (total > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("a PNG of " + total + " filtered bytes does not fit in an array");
        }
        int count = (int) Math.max(1, (total + BAND_BYTES - 1) / BAND_BYTES);
        List<Band> bands = new ArrayList<>(count);
        if (executor == null) {
            for (int k = 0; k < count; k++) {
                bands.add(band(source, stride, (int) total, k, count, level));
            }
            return bands;
        }
        List<CompletableFuture<Band>> futures = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            int band = k;
            futures.add(CompletableFuture.supplyAsync(() -> band(source, stride, (int) total, band, count, level),
                    executor));
        }
        try {
            for (CompletableFuture<Band> f : futures) {
                bands.add(f.join());
            }
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
        return bands;
    }

    /**
     * Band {@code k}: its rows filtered slice by slice into one buffer, each slice deflated while it is in cache:
     * flat slices by zlib with LZ77 at {@code level}, photographic ones as Huffman-coded literals
     * ({@link HuffmanBlocks}); at level 0 zlib stores every slice.
     */
    private static Band band(RowSource source, int stride, int total, int k, int count, int level) {
        int start = k * BAND_BYTES;
        int end = start + Math.min(BAND_BYTES, total - start);
        int firstRow = start / stride;
        int endRow = rowsTo(end, stride);
        byte[] rows = new byte[(endRow - firstRow) * stride];
        int base = firstRow * stride;
        int filteredRows = firstRow;
        boolean lastBand = k == count - 1;
        HuffmanBlocks stream = new HuffmanBlocks((end - start) / 2 + 1024);
        Adler32 adler = new Adler32();
        Deflater deflater = null;
        byte[] zlibOut = null;
        boolean inZlib = false;
        try {
            for (int slice = start, sliceEnd; slice < end; slice = sliceEnd) {
                sliceEnd = slice + Math.min(SLICE_BYTES, end - slice);
                int needRows = rowsTo(sliceEnd, stride);
                source.fill(filteredRows, needRows, rows, (filteredRows - firstRow) * stride);
                filteredRows = needRows;
                int off = slice - base;
                int len = sliceEnd - slice;
                adler.update(rows, off, len);
                boolean bandEnd = sliceEnd == end;
                boolean last = bandEnd && lastBand;
                if (level > 0 && !isFlat(rows, off, len)) {
                    if (inZlib) {
                        // zlib's stretch ends on a byte boundary, with its sync flush
                        drain(deflater, zlibOut, stream, Deflater.SYNC_FLUSH, false);
                        inZlib = false;
                    }
                    stream.literals(rows, off, len, last);
                    if (bandEnd && !last) {
                        stream.syncFlush();
                    }
                    continue;
                }
                if (deflater == null) {
                    deflater = new Deflater(level, true);
                    zlibOut = new byte[SLICE_BYTES / 2 + 1024];
                }
                if (!inZlib) {
                    stream.alignToByte();
                    // a fresh stretch of zlib's: its matches may reach back into the band's bytes before it, which
                    // the inflater has in its window whoever coded them
                    deflater.reset();
                    int from = off - Math.min(off - (start - base), 32 * 1024);
                    if (from < off) {
                        deflater.setDictionary(rows, from, off - from);
                    }
                    inZlib = true;
                }
                deflater.setInput(rows, off, len);
                if (last) {
                    deflater.finish();
                }
                drain(deflater, zlibOut, stream, bandEnd ? Deflater.SYNC_FLUSH : Deflater.NO_FLUSH, last);
            }
        } finally {
            if (deflater != null) {
                deflater.end();
            }
        }
        return new Band(stream.bytes(), stream.length(), (int) adler.getValue(), end - start);
    }

    /** Runs {@code deflater} until it has taken all its input, or completed {@code flush}, or finished. */
    private static void drain(Deflater deflater, byte[] buffer, HuffmanBlocks stream, int flush, boolean last) {
        while (true) {
            int room = buffer.length;
            int wrote = deflater.deflate(buffer, 0, room, flush);
            stream.append(buffer, 0, wrote);
            // a flush is complete once it leaves room unused (Deflater.deflate's contract)
            if (last ? deflater.finished() : flush == Deflater.SYNC_FLUSH ? wrote < room : deflater.needsInput()) {
                return;
            }
        }
    }

    /** How many rows it takes to reach stream offset {@code end} (> 0), the last one perhaps in part. */
    private static int rowsTo(int end, int stride) {
        return (end - 1) / stride + 1;
    }

    /**
     * Whether a slice of filtered bytes is "flat" (graphics, text, borders, black sky), where LZ77 matches pay: half
     * or more of it lies in runs of at least {@value #LONG_RUN} zero bytes, which Huffman coding alone cannot shrink
     * below a bit per byte. Photographic slices are not flat, and there Huffman coding alone is both smaller and
     * several times faster than LZ77 at level 1 (measured on the corpus JPEGs: 17.0 MB against 21.2 MB).
     *
     * <p>Read 8 bytes at a time, which finds the same runs as a byte loop: a word that is all zero extends the run;
     * any other word ends the run after its first zero bytes (in memory order: the low bytes, little-endian) and
     * starts one with its last zero bytes, and a run between two non-zero bytes of one word is at most 6 bytes long,
     * too short to count. {@code BandedDeflaterTest.isFlatCountsTheRunsOfTheByteByByteDefinition} checks it.
     */
    static boolean isFlat(byte[] b, int start, int len) {
        int inRuns = 0;
        int run = 0;
        int i = start;
        for (int words = start + (len & ~7); i < words; i += 8) {
            long w = (long) LONGS.get(b, i);
            if (w == 0) {
                run += 8;
            } else {
                run += Long.numberOfTrailingZeros(w) >>> 3;
                if (run >= LONG_RUN) {
                    inRuns += run;
                }
                run = Long.numberOfLeadingZeros(w) >>> 3;
            }
        }
        for (int end = start + len; i < end; i++) {
            if (b[i] == 0) {
                run++;
            } else {
                if (run >= LONG_RUN) {
                    inRuns += run;
                }
                run = 0;
            }
        }
        if (run >= LONG_RUN) {
            inRuns += run;
        }
        return inRuns >= len / 2;
    }

    /**
     * The Adler-32 of two byte sequences one after the other, from the checksum of each and the second's length
     * (zlib's adler32_combine): the first sum grows by the second's, and the second sum by the second's plus
     * {@code len2} times the first's first sum (each byte of the first part is counted {@code len2} more times).
     */
    static int combineAdler(int adler1, int adler2, long len2) {
        long rem = len2 % ADLER_BASE;
        long a1 = adler1 & 0xFFFF;
        long b1 = (adler1 >>> 16) & 0xFFFF;
        long a2 = adler2 & 0xFFFF;
        long b2 = (adler2 >>> 16) & 0xFFFF;
        long sum1 = (a1 + a2 + ADLER_BASE - 1) % ADLER_BASE;
        long sum2 = (rem * a1 + b1 + b2 + ADLER_BASE - rem) % ADLER_BASE;
        return (int) (sum1 | (sum2 << 16));
    }
}
