package org.greylab.core.image;

import java.util.HashMap;
import java.util.Map;

/**
 * The first IFD of a classic (not Big) TIFF, read from the bytes: each tag's values, and where each entry lies, so
 * that a copy of the file can be patched ({@link TiffRewriter}). Only what the kernel needs to choose how to decode.
 */
final class TiffDirectory {

    static final int COMPRESSION = 259;
    static final int PHOTOMETRIC = 262;
    static final int IMAGE_WIDTH = 256;
    static final int IMAGE_LENGTH = 257;
    static final int BITS_PER_SAMPLE = 258;
    static final int STRIP_OFFSETS = 273;
    static final int SAMPLES_PER_PIXEL = 277;
    static final int ROWS_PER_STRIP = 278;
    static final int STRIP_BYTE_COUNTS = 279;
    static final int PLANAR_CONFIGURATION = 284;
    static final int TILE_OFFSETS = 324;
    static final int TILE_BYTE_COUNTS = 325;
    static final int EXTRA_SAMPLES = 338;
    static final int REFERENCE_BLACK_WHITE = 532;

    /** One IFD entry: where its 12 bytes start, its type and its values (RATIONALs as numerator, denominator). */
    record Entry(int at, int type, long[] values) {
    }

    private final boolean littleEndian;
    private final Map<Integer, Entry> entries;

    private TiffDirectory(boolean littleEndian, Map<Integer, Entry> entries) {
        this.littleEndian = littleEndian;
        this.entries = entries;
    }

    /** IFD0 of a classic TIFF, or null (BigTIFF, or a structure too damaged to read: the decoder then decides). */
    static TiffDirectory read(byte[] in) {
        try {
            boolean le = in[0] == 'I';
            if (u16(in, 2, le) != 42) {
                return null;
            }
            int ifd = (int) u32(in, 4, le);
            int count = u16(in, ifd, le);
            Map<Integer, Entry> entries = new HashMap<>();
            for (int i = 0; i < count; i++) {
                int at = ifd + 2 + 12 * i;
                int tag = u16(in, at, le);
                int type = u16(in, at + 2, le);
                long n = u32(in, at + 4, le);
                int size = switch (type) {
                    case 1, 2, 6, 7 -> 1;
                    case 3, 8 -> 2;
                    case 4, 9 -> 4;
                    case 5, 10 -> 8;
                    default -> 0;
                };
                if (size == 0 || n > 1 << 24) {
                    continue;
                }
                int data = n * size <= 4 ? at + 8 : (int) u32(in, at + 8, le);
                int valueCount = (int) (type == 5 || type == 10 ? 2 * n : n);
                int step = type == 5 || type == 10 ? 4 : size;
                long[] values = new long[valueCount];
                for (int v = 0; v < valueCount; v++) {
                    int p = data + v * step;
                    values[v] = switch (step) {
                        case 1 -> in[p] & 0xFF;
                        case 2 -> u16(in, p, le);
                        default -> u32(in, p, le);
                    };
                }
                entries.put(tag, new Entry(at, type, values));
            }
            return new TiffDirectory(le, entries);
        } catch (IndexOutOfBoundsException e) {
            return null;
        }
    }

    boolean littleEndian() {
        return littleEndian;
    }

    Entry entry(int tag) {
        return entries.get(tag);
    }

    long[] values(int tag) {
        Entry e = entries.get(tag);
        return e == null ? null : e.values();
    }

    /** The tag's first value, or {@code otherwise} when the tag is absent. */
    long value(int tag, long otherwise) {
        long[] v = values(tag);
        return v == null || v.length == 0 ? otherwise : v[0];
    }

    boolean tiled() {
        return entries.containsKey(TILE_OFFSETS);
    }

    static int u16(byte[] b, int at, boolean le) {
        return le ? (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 : (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }

    static long u32(byte[] b, int at, boolean le) {
        return le ? (b[at] & 0xFFL) | (b[at + 1] & 0xFFL) << 8 | (b[at + 2] & 0xFFL) << 16 | (b[at + 3] & 0xFFL) << 24
                : (b[at] & 0xFFL) << 24 | (b[at + 1] & 0xFFL) << 16 | (b[at + 2] & 0xFFL) << 8 | (b[at + 3] & 0xFFL);
    }
}
