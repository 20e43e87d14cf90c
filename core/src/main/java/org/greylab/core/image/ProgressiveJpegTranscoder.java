package org.greylab.core.image;

import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lossless progressive-to-baseline JPEG transcoding (what {@code jpegtran} does), in plain Java: the entropy-coded
 * scans of a progressive Huffman JPEG (SOF2, 8-bit) are decoded into their DCT coefficients, which are written back
 * as one sequential scan (SOF0, or SOF1 when a quantization table is 16-bit) with the same quantization tables,
 * components, sampling factors and coefficients, Huffman-coded with the standard tables of ITU T.81 Annex K.3
 * (complete for 8-bit sequential data). The APPn and COM segments (JFIF, EXIF, ICC, Adobe) are kept in order.
 *
 * <p>Why: the JDK's JPEG reader runs libjpeg in buffered-image mode for a progressive file and produces a whole
 * image after every scan, so it decodes progressive files about ten times slower than sequential ones. The same
 * coefficients decode to the same pixels either way: libjpeg's block smoothing, the only difference in its
 * progressive output, acts only while the low-frequency coefficients are still incomplete, and a stream whose final
 * coefficients are incomplete is not transcoded.
 *
 * <p>Anything this class does not handle with certainty returns {@code null}, and the caller decodes the original
 * with the JDK as before: arithmetic coding, 12-bit, lossless or hierarchical frames, a stream that ends early or
 * whose scans are damaged, a progression libjpeg would complain about, quantization tables redefined between scans,
 * or an interleaved MCU of more than 10 blocks. So a truncated or damaged file fails, or warns, exactly as before.
 */
final class ProgressiveJpegTranscoder {

    private static final Logger LOG = LoggerFactory.getLogger(ProgressiveJpegTranscoder.class);

    private static final int SOI = 0xD8;
    private static final int EOI = 0xD9;
    private static final int SOS = 0xDA;
    private static final int DQT = 0xDB;
    private static final int DNL = 0xDC;
    private static final int DRI = 0xDD;
    private static final int DHT = 0xC4;
    private static final int SOF2 = 0xC2;
    private static final int COM = 0xFE;
    private static final int RST0 = 0xD0;

    /** The stream is outside what this transcoder handles exactly; the JDK path takes it. */
    private static final class Unsupported extends Exception {
        Unsupported(String why) {
            super(why, null, false, false);
        }
    }

    private static final class Component {
        final int id;
        final int h;
        final int v;
        final int tq;
        /** Blocks in the component's own area, which a non-interleaved scan covers. */
        int blocksWide;
        int blocksHigh;
        /** Blocks stored per row and rows stored: the MCU-padded area for a multi-component frame. */
        int stride;
        int rows;
        /** 64 coefficients per block, in zig-zag order, block rows of {@link #stride} blocks. */
        short[] coef;
        /** Per coefficient, the successive-approximation bit position still to come; -1 when never sent. */
        final int[] coefBits = new int[64];
        int dcPred;
        int dcTable;
        int acTable;

        Component(int id, int h, int v, int tq) {
            this.id = id;
            this.h = h;
            this.v = v;
            this.tq = tq;
            Arrays.fill(coefBits, -1);
        }
    }

    /** A Huffman table for decoding: 9-bit look-ahead, then the canonical code limits per length. */
    private static final class DecodeTable {
        static final int LOOKAHEAD = 9;
        /** (length << 8 | symbol) for codes of at most 9 bits, by their 9-bit prefix; 0 when longer. */
        final int[] fast = new int[1 << LOOKAHEAD];
        /** Largest code of each length, -1 when none; index 17 is a sentinel. */
        final int[] maxCode = new int[18];
        /** values index minus the first code, per length. */
        final int[] valOffset = new int[17];
        final int[] values;

        DecodeTable(int[] counts, int[] values) throws Unsupported {
            this.values = values;
            int code = 0;
            int k = 0;
            for (int len = 1; len <= 16; len++) {
                valOffset[len] = k - code;
                if (counts[len] > 0) {
                    for (int i = 0; i < counts[len]; i++, k++, code++) {
                        if (len <= LOOKAHEAD) {
                            int shift = LOOKAHEAD - len;
                            int base = code << shift;
                            for (int j = 0; j < 1 << shift; j++) {
                                fast[base + j] = len << 8 | values[k];
                            }
                        }
                    }
                    maxCode[len] = code - 1;
                } else {
                    maxCode[len] = -1;
                }
                if (code > 1 << len) {
                    throw new Unsupported("bad Huffman table");
                }
                code <<= 1;
            }
            maxCode[17] = Integer.MAX_VALUE;
        }
    }

    private final byte[] in;
    private final long maxPixels;
    private int pos;

    private int width;
    private int height;
    private Component[] comps;
    private int hMax;
    private int vMax;
    private int mcusWide;
    private int mcusHigh;
    private int restartInterval;
    private final DecodeTable[] dcTables = new DecodeTable[4];
    private final DecodeTable[] acTables = new DecodeTable[4];

    // Bit reader over the current entropy-coded segment: bits right-aligned in bitBuf.
    private long bitBuf;
    private int bitCount;
    /** Zero bits supplied past the end of the segment (a marker was reached); consuming any means the data is short. */
    private long padBits;
    private boolean atMarker;
    private int eobRun;

    private ProgressiveJpegTranscoder(byte[] in, long maxPixels) {
        this.in = in;
        this.maxPixels = maxPixels;
    }

    /**
     * The baseline equivalent of a progressive JPEG, or null when the stream is not one this class transcodes
     * exactly (the caller then decodes the original).
     *
     * @param maxPixels no coefficient memory is allocated for a frame larger than this
     * @throws InterruptedException the thread was interrupted (checked once per MCU row of every scan)
     */
    static byte[] toBaseline(byte[] progressive, long maxPixels) throws InterruptedException {
        try {
            return new ProgressiveJpegTranscoder(progressive, maxPixels).transcode();
        } catch (Unsupported e) {
            LOG.debug("progressive JPEG left to the JDK decoder: {}", e.getMessage());
            return null;
        } catch (RuntimeException e) {
            LOG.debug("progressive JPEG left to the JDK decoder", e);
            return null;
        } catch (OutOfMemoryError e) {
            LOG.debug("progressive JPEG left to the JDK decoder: out of memory for its coefficients");
            return null;
        }
    }

    private byte[] transcode() throws Unsupported, InterruptedException {
        if (in.length < 4 || u8(0) != 0xFF || u8(1) != SOI) {
            throw new Unsupported("no SOI");
        }
        pos = 2;
        // Header: remember the segments to keep (start, end) and where the frame header is.
        int[] kept = new int[16];
        int keptCount = 0;
        int sofStart = -1;
        boolean sixteenBitQuant = false;
        int marker;
        while (true) {
            marker = nextMarker();
            if (marker == SOS) {
                break;
            }
            if (marker == EOI || marker == SOI || marker >= RST0 && marker <= RST0 + 7) {
                throw new Unsupported("unexpected marker before the first scan");
            }
            int start = pos - 2;
            int end = segmentEnd();
            switch (marker) {
                case SOF2 -> {
                    if (sofStart >= 0) {
                        throw new Unsupported("two frames");
                    }
                    sofStart = start;
                    readFrame(start + 4, end);
                }
                case DHT -> readHuffmanTables(start + 4, end);
                case DRI -> restartInterval = readRestartInterval(start + 4, end);
                case DQT -> sixteenBitQuant |= hasSixteenBitTable(start + 4, end);
                default -> {
                    boolean app = marker >= 0xE0 && marker <= 0xEF;
                    if (!app && marker != COM) {
                        throw new Unsupported(String.format("marker 0x%02X", marker));
                    }
                }
            }
            if (marker == DQT || marker == COM || marker >= 0xE0 && marker <= 0xEF || marker == SOF2) {
                if (keptCount + 2 > kept.length) {
                    kept = Arrays.copyOf(kept, kept.length * 2);
                }
                kept[keptCount++] = start;
                kept[keptCount++] = end;
            }
            pos = end;
        }
        if (comps == null) {
            throw new Unsupported("no SOF2 frame");
        }
        while (true) {
            decodeScan();
            checkInterrupted();
            // Between scans: tables may change; anything else ends the transcoding.
            while (true) {
                marker = nextMarker();
                if (marker == SOS || marker == EOI) {
                    break;
                }
                int end = segmentEnd();
                switch (marker) {
                    case DHT -> readHuffmanTables(pos + 2, end);
                    case DRI -> restartInterval = readRestartInterval(pos + 2, end);
                    case COM -> {
                    }
                    default -> {
                        if (marker < 0xE0 || marker > 0xEF) {
                            throw new Unsupported(String.format("marker 0x%02X between scans", marker));
                        }
                    }
                }
                pos = end;
            }
            if (marker == EOI) {
                break;
            }
        }
        for (Component c : comps) {
            // libjpeg smooths blocks whose first coefficients are incomplete: only complete ones decode the same.
            for (int k = 0; k < 10; k++) {
                if (c.coefBits[k] != 0) {
                    throw new Unsupported("incomplete coefficients (component " + c.id + ", coefficient " + k + ")");
                }
            }
        }
        return writeBaseline(kept, keptCount, sofStart, sixteenBitQuant);
    }

    // ---------------------------------------------------------------- markers and headers

    /** Reads the marker at {@code pos} (fill bytes 0xFF allowed), leaving {@code pos} after it. */
    private int nextMarker() throws Unsupported {
        if (pos + 1 >= in.length) {
            throw new Unsupported("the stream ends before EOI");
        }
        if (u8(pos) != 0xFF) {
            throw new Unsupported("data where a marker should be");
        }
        while (pos < in.length && u8(pos) == 0xFF) {
            pos++;
        }
        if (pos >= in.length) {
            throw new Unsupported("the stream ends before EOI");
        }
        int m = u8(pos++);
        if (m == 0) {
            throw new Unsupported("stuffed byte where a marker should be");
        }
        return m;
    }

    /** With {@code pos} after a marker: the end of its segment, checked against the stream. */
    private int segmentEnd() throws Unsupported {
        if (pos + 2 > in.length) {
            throw new Unsupported("the stream ends in a segment");
        }
        int len = u16(pos);
        if (len < 2 || pos + len > in.length) {
            throw new Unsupported("the stream ends in a segment");
        }
        return pos + len;
    }

    private void readFrame(int at, int end) throws Unsupported {
        if (end - at < 6 || u8(at) != 8) {
            throw new Unsupported("not an 8-bit frame");
        }
        height = u16(at + 1);
        width = u16(at + 3);
        int n = u8(at + 5);
        if (height == 0 || width == 0 || n < 1 || n > 4 || end - at != 6 + 3 * n) {
            throw new Unsupported("frame header");
        }
        if ((long) width * height > maxPixels) {
            throw new Unsupported("above the pixel limit");
        }
        comps = new Component[n];
        for (int i = 0; i < n; i++) {
            int p = at + 6 + 3 * i;
            int hv = u8(p + 1);
            Component c = new Component(u8(p), hv >> 4, hv & 15, u8(p + 2));
            if (c.h < 1 || c.h > 4 || c.v < 1 || c.v > 4 || c.tq > 3) {
                throw new Unsupported("frame component");
            }
            for (int j = 0; j < i; j++) {
                if (comps[j].id == c.id) {
                    throw new Unsupported("duplicate component id");
                }
            }
            comps[i] = c;
            hMax = Math.max(hMax, c.h);
            vMax = Math.max(vMax, c.v);
        }
        mcusWide = ceilDiv(width, 8 * hMax);
        mcusHigh = ceilDiv(height, 8 * vMax);
        for (Component c : comps) {
            c.blocksWide = ceilDiv(width * c.h, 8 * hMax);
            c.blocksHigh = ceilDiv(height * c.v, 8 * vMax);
            c.stride = n == 1 ? c.blocksWide : mcusWide * c.h;
            c.rows = n == 1 ? c.blocksHigh : mcusHigh * c.v;
            c.coef = new short[c.stride * c.rows * 64];
        }
    }

    private void readHuffmanTables(int at, int end) throws Unsupported {
        while (at < end) {
            int tcth = u8(at);
            int tc = tcth >> 4;
            int th = tcth & 15;
            if (tc > 1 || th > 3 || at + 17 > end) {
                throw new Unsupported("DHT");
            }
            int[] counts = new int[17];
            int total = 0;
            for (int len = 1; len <= 16; len++) {
                counts[len] = u8(at + len);
                total += counts[len];
            }
            if (total > 256 || at + 17 + total > end) {
                throw new Unsupported("DHT");
            }
            int[] values = new int[total];
            for (int i = 0; i < total; i++) {
                values[i] = u8(at + 17 + i);
            }
            DecodeTable t = new DecodeTable(counts, values);
            if (tc == 0) {
                dcTables[th] = t;
            } else {
                acTables[th] = t;
            }
            at += 17 + total;
        }
    }

    private int readRestartInterval(int at, int end) throws Unsupported {
        if (end - at != 2) {
            throw new Unsupported("DRI");
        }
        return u16(at);
    }

    private boolean hasSixteenBitTable(int at, int end) throws Unsupported {
        if (comps != null && scanSeen) {
            throw new Unsupported("DQT after the first scan");
        }
        boolean wide = false;
        while (at < end) {
            int pq = u8(at) >> 4;
            if (pq > 1 || (u8(at) & 15) > 3) {
                throw new Unsupported("DQT");
            }
            wide |= pq == 1;
            at += 1 + (pq == 1 ? 128 : 64);
        }
        if (at != end) {
            throw new Unsupported("DQT");
        }
        return wide;
    }

    private boolean scanSeen;

    // ---------------------------------------------------------------- scans

    private void decodeScan() throws Unsupported, InterruptedException {
        int end = segmentEnd();
        int at = pos + 2;
        int ns = u8(at);
        if (ns < 1 || ns > 4 || end - at != 4 + 2 * ns) {
            throw new Unsupported("SOS");
        }
        Component[] scan = new Component[ns];
        for (int i = 0; i < ns; i++) {
            int id = u8(at + 1 + 2 * i);
            int tables = u8(at + 2 + 2 * i);
            Component c = null;
            for (Component f : comps) {
                if (f.id == id) {
                    c = f;
                }
            }
            for (int j = 0; j < i; j++) {
                if (scan[j] == c) {
                    c = null;
                }
            }
            if (c == null) {
                throw new Unsupported("scan component");
            }
            c.dcTable = tables >> 4;
            c.acTable = tables & 15;
            scan[i] = c;
        }
        int p = at + 1 + 2 * ns;
        int ss = u8(p);
        int se = u8(p + 1);
        int ah = u8(p + 2) >> 4;
        int al = u8(p + 2) & 15;
        // The checks libjpeg makes (jdphuff.c start_pass): anything it would reject or warn about goes to it.
        boolean dc = ss == 0;
        if (dc ? se != 0 : se < ss || se > 63 || ns != 1) {
            throw new Unsupported("progressive parameters");
        }
        if (ah != 0 && al != ah - 1 || al > 13) {
            throw new Unsupported("progressive parameters");
        }
        for (Component c : scan) {
            if (!dc && c.coefBits[0] < 0) {
                throw new Unsupported("AC scan before DC");
            }
            for (int k = ss; k <= se; k++) {
                int expected = c.coefBits[k] < 0 ? 0 : c.coefBits[k];
                if (ah != expected) {
                    throw new Unsupported("inconsistent progression");
                }
                c.coefBits[k] = al;
            }
            if (dc && ah == 0 && dcTables[c.dcTable] == null || !dc && acTables[c.acTable] == null) {
                throw new Unsupported("missing Huffman table");
            }
            c.dcPred = 0;
        }
        scanSeen = true;
        pos = end;
        resetBits();
        eobRun = 0;

        int restartsLeft = restartInterval;
        int nextRst = 0;
        if (ns == 1) {
            Component c = scan[0];
            for (int by = 0; by < c.blocksHigh; by++) {
                for (int bx = 0; bx < c.blocksWide; bx++) {
                    if (restartInterval > 0) {
                        if (restartsLeft == 0) {
                            restart(nextRst, scan);
                            nextRst = (nextRst + 1) & 7;
                            restartsLeft = restartInterval;
                        }
                        restartsLeft--;
                    }
                    decodeBlock(c, (by * c.stride + bx) * 64, ss, se, ah, al);
                }
                checkInterrupted();
            }
        } else {
            int blocks = 0;
            for (Component c : scan) {
                blocks += c.h * c.v;
            }
            if (blocks > 10) {
                throw new Unsupported("more than 10 blocks in an MCU");
            }
            for (int my = 0; my < mcusHigh; my++) {
                for (int mx = 0; mx < mcusWide; mx++) {
                    if (restartInterval > 0) {
                        if (restartsLeft == 0) {
                            restart(nextRst, scan);
                            nextRst = (nextRst + 1) & 7;
                            restartsLeft = restartInterval;
                        }
                        restartsLeft--;
                    }
                    for (Component c : scan) {
                        for (int y = 0; y < c.v; y++) {
                            int row = (my * c.v + y) * c.stride + mx * c.h;
                            for (int x = 0; x < c.h; x++) {
                                decodeBlock(c, (row + x) * 64, ss, se, ah, al);
                            }
                        }
                    }
                }
                checkInterrupted();
            }
        }
        endSegment();
    }

    private void decodeBlock(Component c, int block, int ss, int se, int ah, int al) throws Unsupported {
        short[] coef = c.coef;
        if (ss == 0) {
            if (ah == 0) {
                int s = decodeSymbol(dcTables[c.dcTable]);
                if (s > 11) {
                    throw new Unsupported("DC magnitude");
                }
                int diff = s == 0 ? 0 : extend(readBits(s), s);
                c.dcPred += diff;
                coef[block] = (short) (c.dcPred << al);
            } else if (readBits(1) != 0) {
                coef[block] |= (short) (1 << al);
            }
        } else if (ah == 0) {
            acFirst(acTables[c.acTable], coef, block, ss, se, al);
        } else {
            acRefine(acTables[c.acTable], coef, block, ss, se, al);
        }
    }

    private void acFirst(DecodeTable table, short[] coef, int block, int ss, int se, int al) throws Unsupported {
        if (eobRun > 0) {
            eobRun--;
            return;
        }
        for (int k = ss; k <= se; k++) {
            int rs = decodeSymbol(table);
            int r = rs >> 4;
            int s = rs & 15;
            if (s != 0) {
                k += r;
                if (k > se || s > 14) {
                    throw new Unsupported("AC coefficient out of the band");
                }
                coef[block + k] = (short) (extend(readBits(s), s) << al);
            } else if (r == 15) {
                k += 15;
            } else {
                eobRun = (1 << r) - 1;
                if (r > 0) {
                    eobRun += readBits(r);
                }
                return;
            }
        }
    }

    private void acRefine(DecodeTable table, short[] coef, int block, int ss, int se, int al) throws Unsupported {
        int plus = 1 << al;
        int minus = -1 << al;
        int k = ss;
        if (eobRun == 0) {
            while (k <= se) {
                int rs = decodeSymbol(table);
                int r = rs >> 4;
                int s = rs & 15;
                int value = 0;
                if (s != 0) {
                    if (s != 1) {
                        throw new Unsupported("refinement magnitude");
                    }
                    value = readBits(1) != 0 ? plus : minus;
                } else if (r != 15) {
                    eobRun = 1 << r;
                    if (r > 0) {
                        eobRun += readBits(r);
                    }
                    break;
                }
                // Pass r coefficients that are still zero, refining the non-zero ones on the way.
                for (; k <= se; k++) {
                    int i = block + k;
                    int cv = coef[i];
                    if (cv != 0) {
                        if (readBits(1) != 0 && (cv & plus) == 0) {
                            coef[i] = (short) (cv >= 0 ? cv + plus : cv + minus);
                        }
                    } else {
                        if (r == 0) {
                            break;
                        }
                        r--;
                    }
                }
                if (value != 0) {
                    if (k > se) {
                        throw new Unsupported("refinement out of the band");
                    }
                    coef[block + k] = (short) value;
                }
                k++;
            }
        }
        if (eobRun > 0) {
            for (; k <= se; k++) {
                int i = block + k;
                int cv = coef[i];
                if (cv != 0 && readBits(1) != 0 && (cv & plus) == 0) {
                    coef[i] = (short) (cv >= 0 ? cv + plus : cv + minus);
                }
            }
            eobRun--;
        }
    }

    private static int extend(int bits, int s) {
        return bits < 1 << (s - 1) ? bits - (1 << s) + 1 : bits;
    }

    // ---------------------------------------------------------------- bits

    private void resetBits() {
        bitBuf = 0;
        bitCount = 0;
        padBits = 0;
        atMarker = false;
    }

    /** Tops the buffer up to at least 57 bits, with zero bits once the segment's marker is reached. */
    private void fill() throws Unsupported {
        if (!atMarker && pos + 8 <= in.length) {
            // Whole bytes at once when none of them is 0xFF (no stuffing, no marker): the common case.
            int n = (63 - bitCount) >> 3;
            long v = bigEndianLong(in, pos) >>> (64 - 8 * n);
            long t = ~v & (-1L >>> (64 - 8 * n));
            // A zero byte of t is a 0xFF byte of v (the test may also flag bytes before it: they go the slow way).
            if (((t - 0x0101010101010101L) & ~t & 0x8080808080808080L & (-1L >>> (64 - 8 * n))) == 0) {
                bitBuf = bitBuf << 8 * n | v;
                bitCount += 8 * n;
                pos += n;
            }
        }
        while (bitCount <= 56) {
            int b;
            if (atMarker) {
                b = 0;
                padBits += 8;
                if (padBits > bitCount + 64L) {
                    throw new Unsupported("the scan's data ends early");
                }
            } else {
                if (pos >= in.length) {
                    throw new Unsupported("the stream ends in a scan");
                }
                b = in[pos] & 0xFF;
                if (b == 0xFF) {
                    if (pos + 1 >= in.length) {
                        throw new Unsupported("the stream ends in a scan");
                    }
                    if (in[pos + 1] == 0) {
                        pos += 2;
                    } else {
                        atMarker = true;
                        continue;
                    }
                } else {
                    pos++;
                }
            }
            bitBuf = bitBuf << 8 | b;
            bitCount += 8;
        }
    }

    private int readBits(int n) throws Unsupported {
        if (bitCount < n) {
            fill();
        }
        bitCount -= n;
        return (int) (bitBuf >>> bitCount) & ((1 << n) - 1);
    }

    private int decodeSymbol(DecodeTable t) throws Unsupported {
        if (bitCount < 16) {
            fill();
        }
        int peek = (int) (bitBuf >>> (bitCount - DecodeTable.LOOKAHEAD)) & ((1 << DecodeTable.LOOKAHEAD) - 1);
        int e = t.fast[peek];
        if (e != 0) {
            bitCount -= e >> 8;
            return e & 0xFF;
        }
        for (int len = DecodeTable.LOOKAHEAD + 1; len <= 16; len++) {
            int code = (int) (bitBuf >>> (bitCount - len)) & ((1 << len) - 1);
            if (code <= t.maxCode[len]) {
                bitCount -= len;
                return t.values[t.valOffset[len] + code];
            }
        }
        throw new Unsupported("bad Huffman code");
    }

    /**
     * Ends an entropy-coded segment: every bit it held was data or byte-alignment padding, none was missing, and
     * nothing but fill bytes stands between it and the next marker, which {@code pos} is then left on.
     */
    private void endSegment() throws Unsupported {
        long real = bitCount - padBits;
        if (real < 0) {
            throw new Unsupported("the scan's data ends early");
        }
        if (real >= 8) {
            throw new Unsupported("extraneous bytes after the scan's data");
        }
        if (!atMarker) {
            if (pos + 1 >= in.length) {
                throw new Unsupported("the stream ends after a scan");
            }
            if (u8(pos) != 0xFF || u8(pos + 1) == 0) {
                throw new Unsupported("extraneous bytes after the scan's data");
            }
        }
        resetBits();
    }

    private void restart(int expected, Component[] scan) throws Unsupported {
        endSegment();
        if (nextMarker() != RST0 + expected) {
            throw new Unsupported("restart marker out of sequence");
        }
        for (Component c : scan) {
            c.dcPred = 0;
        }
        eobRun = 0;
    }

    // ---------------------------------------------------------------- baseline writer

    private static final int[] DC_LUMA_COUNTS = {0, 0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0};
    private static final int[] DC_LUMA_VALUES = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    private static final int[] DC_CHROMA_COUNTS = {0, 0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0};
    private static final int[] DC_CHROMA_VALUES = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    private static final int[] AC_LUMA_COUNTS = {0, 0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d};
    private static final int[] AC_LUMA_VALUES = {
        0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07,
        0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0,
        0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28,
        0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49,
        0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69,
        0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
        0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
        0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5,
        0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2,
        0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
        0xf9, 0xfa
    };
    private static final int[] AC_CHROMA_COUNTS = {0, 0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77};
    private static final int[] AC_CHROMA_VALUES = {
        0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71,
        0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0,
        0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26,
        0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48,
        0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,
        0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
        0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5,
        0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3,
        0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda,
        0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
        0xf9, 0xfa
    };

    /** A Huffman table for encoding: (code << 8 | length) by symbol, 0 for a symbol the table lacks. */
    private static int[] encodeTable(int[] counts, int[] values) {
        int[] table = new int[256];
        int code = 0;
        int k = 0;
        for (int len = 1; len <= 16; len++) {
            for (int i = 0; i < counts[len]; i++) {
                table[values[k++]] = code << 8 | len;
                code++;
            }
            code <<= 1;
        }
        return table;
    }

    private static final int[] DC_LUMA = encodeTable(DC_LUMA_COUNTS, DC_LUMA_VALUES);
    private static final int[] DC_CHROMA = encodeTable(DC_CHROMA_COUNTS, DC_CHROMA_VALUES);
    private static final int[] AC_LUMA = encodeTable(AC_LUMA_COUNTS, AC_LUMA_VALUES);
    private static final int[] AC_CHROMA = encodeTable(AC_CHROMA_COUNTS, AC_CHROMA_VALUES);

    // Bit writer: bits right-aligned in outBuf, bytes stuffed as written.
    private byte[] out;
    private int outPos;
    private long outBuf;
    private int outCount;

    private byte[] writeBaseline(int[] kept, int keptCount, int sofStart, boolean sixteenBitQuant)
            throws Unsupported, InterruptedException {
        int mcuBlocks = 0;
        for (Component c : comps) {
            mcuBlocks += c.h * c.v;
        }
        if (comps.length > 1 && mcuBlocks > 10) {
            throw new Unsupported("more than 10 blocks in an MCU");
        }
        out = new byte[in.length + in.length / 2 + 4096];
        outPos = 0;
        putByte(0xFF);
        putByte(SOI);
        for (int i = 0; i < keptCount; i += 2) {
            int start = kept[i];
            int end = kept[i + 1];
            ensure(end - start);
            System.arraycopy(in, start, out, outPos, end - start);
            if (start == sofStart) {
                // The same frame, sequential: SOF0, or SOF1 (extended) when a quantization table is 16-bit.
                out[outPos + 1] = (byte) (sixteenBitQuant ? 0xC1 : 0xC0);
            }
            outPos += end - start;
        }
        writeHuffmanTables(comps.length > 1);
        // One scan with every component, Ss=0, Se=63, Ah=Al=0: component 0 takes tables 0, the others tables 1.
        int len = 6 + 2 * comps.length;
        putByte(0xFF);
        putByte(SOS);
        putByte(len >> 8);
        putByte(len & 0xFF);
        putByte(comps.length);
        for (int i = 0; i < comps.length; i++) {
            putByte(comps[i].id);
            putByte(i == 0 ? 0x00 : 0x11);
        }
        putByte(0);
        putByte(63);
        putByte(0);
        for (Component c : comps) {
            c.dcPred = 0;
        }
        outBuf = 0;
        outCount = 0;
        if (comps.length == 1) {
            Component c = comps[0];
            for (int by = 0; by < c.blocksHigh; by++) {
                ensure(c.blocksWide * 64 * 8 + 64);
                for (int bx = 0; bx < c.blocksWide; bx++) {
                    encodeBlock(c, (by * c.stride + bx) * 64, DC_LUMA, AC_LUMA);
                }
                checkInterrupted();
            }
        } else {
            for (int my = 0; my < mcusHigh; my++) {
                ensure(mcusWide * mcuBlocks * 64 * 8 + 64);
                for (int mx = 0; mx < mcusWide; mx++) {
                    for (int i = 0; i < comps.length; i++) {
                        Component c = comps[i];
                        int[] dcCodes = i == 0 ? DC_LUMA : DC_CHROMA;
                        int[] acCodes = i == 0 ? AC_LUMA : AC_CHROMA;
                        for (int y = 0; y < c.v; y++) {
                            int row = (my * c.v + y) * c.stride + mx * c.h;
                            for (int x = 0; x < c.h; x++) {
                                encodeBlock(c, (row + x) * 64, dcCodes, acCodes);
                            }
                        }
                    }
                }
                checkInterrupted();
            }
        }
        // Pad the last byte with one bits, then EOI.
        ensure(16);
        if (outCount % 8 != 0) {
            putBits((1 << (8 - outCount % 8)) - 1, 8 - outCount % 8);
        }
        flushBits();
        putByte(0xFF);
        putByte(EOI);
        return Arrays.copyOf(out, outPos);
    }

    private void writeHuffmanTables(boolean chroma) {
        int[][] tables = chroma
                ? new int[][] {DC_LUMA_COUNTS, DC_LUMA_VALUES, AC_LUMA_COUNTS, AC_LUMA_VALUES, DC_CHROMA_COUNTS,
                    DC_CHROMA_VALUES, AC_CHROMA_COUNTS, AC_CHROMA_VALUES}
                : new int[][] {DC_LUMA_COUNTS, DC_LUMA_VALUES, AC_LUMA_COUNTS, AC_LUMA_VALUES};
        int[] classAndId = {0x00, 0x10, 0x01, 0x11};
        int len = 2;
        for (int t = 0; t < tables.length; t += 2) {
            len += 17 + tables[t + 1].length;
        }
        ensure(len + 2);
        putByte(0xFF);
        putByte(DHT);
        putByte(len >> 8);
        putByte(len & 0xFF);
        for (int t = 0; t < tables.length; t += 2) {
            putByte(classAndId[t / 2]);
            for (int l = 1; l <= 16; l++) {
                putByte(tables[t][l]);
            }
            for (int v : tables[t + 1]) {
                putByte(v);
            }
        }
    }

    private void encodeBlock(Component c, int block, int[] dcCodes, int[] acCodes) throws Unsupported {
        short[] coef = c.coef;
        int dc = coef[block];
        int diff = dc - c.dcPred;
        c.dcPred = dc;
        int size = magnitude(diff);
        if (size > 11) {
            throw new Unsupported("DC difference beyond 8-bit baseline");
        }
        putCode(dcCodes[size]);
        if (size > 0) {
            putBits(diff < 0 ? diff - 1 : diff, size);
        }
        int run = 0;
        for (int k = 1; k < 64; k++) {
            int v = coef[block + k];
            if (v == 0) {
                run++;
                continue;
            }
            while (run > 15) {
                putCode(acCodes[0xF0]);
                run -= 16;
            }
            int s = magnitude(v);
            if (s > 10) {
                throw new Unsupported("AC coefficient beyond 8-bit baseline");
            }
            putCode(acCodes[run << 4 | s]);
            putBits(v < 0 ? v - 1 : v, s);
            run = 0;
        }
        if (run > 0) {
            putCode(acCodes[0x00]);
        }
    }

    private static int magnitude(int v) {
        return 32 - Integer.numberOfLeadingZeros(v < 0 ? -v : v);
    }

    private void putCode(int codeAndLength) {
        putBits(codeAndLength >>> 8, codeAndLength & 0xFF);
    }

    private void putBits(int bits, int n) {
        outBuf = outBuf << n | (bits & ((1L << n) - 1));
        outCount += n;
        if (outCount >= 32) {
            int four = (int) (outBuf >>> (outCount - 32));
            int t = ~four;
            if (((t - 0x01010101) & ~t & 0x80808080) == 0) {
                // No 0xFF among the four bytes, so nothing to stuff.
                out[outPos] = (byte) (four >>> 24);
                out[outPos + 1] = (byte) (four >>> 16);
                out[outPos + 2] = (byte) (four >>> 8);
                out[outPos + 3] = (byte) four;
                outPos += 4;
                outCount -= 32;
                return;
            }
            while (outCount >= 8) {
                outCount -= 8;
                int b = (int) (outBuf >>> outCount) & 0xFF;
                out[outPos++] = (byte) b;
                if (b == 0xFF) {
                    out[outPos++] = 0;
                }
            }
        }
    }

    private void flushBits() {
        while (outCount >= 8) {
            outCount -= 8;
            int b = (int) (outBuf >>> outCount) & 0xFF;
            out[outPos++] = (byte) b;
            if (b == 0xFF) {
                out[outPos++] = 0;
            }
        }
    }

    private void putByte(int b) {
        ensure(1);
        out[outPos++] = (byte) b;
    }

    private void ensure(int more) {
        if (outPos + more > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, outPos + more));
        }
    }

    // ---------------------------------------------------------------- helpers

    private int u8(int at) {
        return in[at] & 0xFF;
    }

    private int u16(int at) {
        return (in[at] & 0xFF) << 8 | (in[at + 1] & 0xFF);
    }

    private static long bigEndianLong(byte[] b, int at) {
        return (b[at] & 0xFFL) << 56 | (b[at + 1] & 0xFFL) << 48 | (b[at + 2] & 0xFFL) << 40
                | (b[at + 3] & 0xFFL) << 32 | (b[at + 4] & 0xFFL) << 24 | (b[at + 5] & 0xFFL) << 16
                | (b[at + 6] & 0xFFL) << 8 | (b[at + 7] & 0xFFL);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private static void checkInterrupted() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("conversion cancelled");
        }
    }
}
