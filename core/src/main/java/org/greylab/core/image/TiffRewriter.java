package org.greylab.core.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.Deflater;

/**
 * Copies of a TIFF with IFD0 changed, for the TIFF reader to decode what it otherwise cannot: strips (or tiles) in a
 * compression it lacks are decompressed here and stored again as Deflate blocks without compression (a copy, at
 * memory speed), so the reader applies the predictor, photometric and layout as in any Deflate TIFF.
 */
final class TiffRewriter {

    private static final int DEFLATE = 8;
    private static final int TYPE_SHORT = 3;
    private static final int TYPE_LONG = 4;

    /** One strip or tile's bytes as they are in the file, to its decompressed bytes. */
    @FunctionalInterface
    interface SegmentDecoder {
        byte[] decode(byte[] file, int offset, int length, int index) throws IOException;
    }

    private TiffRewriter() {
    }

    /** The TIFF with every strip or tile decoded by {@code decoder} and stored as Deflate. */
    static byte[] recompressed(byte[] in, TiffDirectory dir, SegmentDecoder decoder) throws IOException {
        int offsetsTag = dir.tiled() ? TiffDirectory.TILE_OFFSETS : TiffDirectory.STRIP_OFFSETS;
        int countsTag = dir.tiled() ? TiffDirectory.TILE_BYTE_COUNTS : TiffDirectory.STRIP_BYTE_COUNTS;
        long[] offsets = dir.values(offsetsTag);
        long[] counts = dir.values(countsTag);
        if (offsets == null || counts == null || offsets.length != counts.length) {
            throw new IOException("the TIFF's strip or tile offsets are missing or do not match their byte counts");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length * 2);
        out.write(in, 0, in.length);
        long[] newOffsets = new long[offsets.length];
        long[] newCounts = new long[offsets.length];
        Deflater stored = new Deflater(Deflater.NO_COMPRESSION);
        try {
            for (int i = 0; i < offsets.length; i++) {
                if (offsets[i] + counts[i] > in.length) {
                    throw new IOException("the file is truncated or damaged: strip or tile " + i + " lies past its end");
                }
                byte[] raw = decoder.decode(in, (int) offsets[i], (int) counts[i], i);
                byte[] wrapped = storedDeflate(stored, raw);
                align(out);
                newOffsets[i] = out.size();
                newCounts[i] = wrapped.length;
                out.write(wrapped, 0, wrapped.length);
            }
        } finally {
            stored.end();
        }
        byte[] patched = patchLongs(out, dir, offsetsTag, newOffsets);
        patched = patchLongs(toStream(patched), dir, countsTag, newCounts);
        patchShort(patched, dir, TiffDirectory.COMPRESSION, DEFLATE);
        return patched;
    }

    /** A copy of the TIFF whose PhotometricInterpretation says {@code photometric}. */
    static byte[] withPhotometric(byte[] in, TiffDirectory dir, int photometric) {
        byte[] copy = in.clone();
        patchShort(copy, dir, TiffDirectory.PHOTOMETRIC, photometric);
        return copy;
    }

    private static byte[] storedDeflate(Deflater deflater, byte[] raw) {
        deflater.reset();
        deflater.setInput(raw);
        deflater.finish();
        // stored blocks: 5 bytes per 64 KiB block, plus the zlib header and Adler-32
        byte[] buf = new byte[raw.length + raw.length / 65535 * 5 + 64];
        int n = 0;
        while (!deflater.finished()) {
            if (n == buf.length) {
                buf = java.util.Arrays.copyOf(buf, buf.length * 2);
            }
            n += deflater.deflate(buf, n, buf.length - n);
        }
        return java.util.Arrays.copyOf(buf, n);
    }

    /** Writes the values as a new LONG array at the end and points the entry at it (or inline for one value). */
    private static byte[] patchLongs(ByteArrayOutputStream out, TiffDirectory dir, int tag, long[] values) {
        TiffDirectory.Entry entry = dir.entry(tag);
        boolean le = dir.littleEndian();
        int arrayAt = -1;
        if (values.length > 1) {
            align(out);
            arrayAt = out.size();
            for (long v : values) {
                writeU32(out, v, le);
            }
        }
        byte[] b = out.toByteArray();
        putU16(b, entry.at() + 2, TYPE_LONG, le);
        putU32(b, entry.at() + 4, values.length, le);
        putU32(b, entry.at() + 8, values.length > 1 ? arrayAt : values[0], le);
        return b;
    }

    private static void patchShort(byte[] b, TiffDirectory dir, int tag, int value) {
        TiffDirectory.Entry entry = dir.entry(tag);
        boolean le = dir.littleEndian();
        putU16(b, entry.at() + 2, TYPE_SHORT, le);
        putU32(b, entry.at() + 4, 1, le);
        putU32(b, entry.at() + 8, 0, le);
        putU16(b, entry.at() + 8, value, le);
    }

    private static ByteArrayOutputStream toStream(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + 1024);
        out.write(b, 0, b.length);
        return out;
    }

    private static void align(ByteArrayOutputStream out) {
        while (out.size() % 4 != 0) {
            out.write(0);
        }
    }

    private static void writeU32(ByteArrayOutputStream out, long v, boolean le) {
        byte[] b = new byte[4];
        putU32(b, 0, v, le);
        out.write(b, 0, 4);
    }

    private static void putU16(byte[] b, int at, int v, boolean le) {
        b[at + (le ? 0 : 1)] = (byte) v;
        b[at + (le ? 1 : 0)] = (byte) (v >>> 8);
    }

    private static void putU32(byte[] b, int at, long v, boolean le) {
        for (int i = 0; i < 4; i++) {
            b[at + (le ? i : 3 - i)] = (byte) (v >>> (8 * i));
        }
    }
}
