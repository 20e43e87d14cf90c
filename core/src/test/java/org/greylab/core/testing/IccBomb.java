package org.greylab.core.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A 1x1 PNG whose iCCP chunk (about 1.5 MB) inflates to 1.5 GB of zeros: what a hostile file would send to make a
 * reader allocate until it runs out of memory. Built once per JVM (it takes a few seconds).
 */
public final class IccBomb {

    public static final long INFLATED_BYTES = 1536L * 1024 * 1024;
    private static byte[] png;

    private IccBomb() {
    }

    public static synchronized byte[] png() {
        if (png == null) {
            png = build();
        }
        return png.clone();
    }

    private static byte[] build() {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(file, "IHDR", ByteBuffer.allocate(13).putInt(1).putInt(1).put((byte) 8).put((byte) 2).put((byte) 0)
                .put((byte) 0).put((byte) 0).array());
        ByteArrayOutputStream iccp = new ByteArrayOutputStream();
        iccp.writeBytes("bomb".getBytes(StandardCharsets.ISO_8859_1));
        iccp.write(0);
        iccp.write(0);
        iccp.writeBytes(deflatedZeros(INFLATED_BYTES));
        chunk(file, "iCCP", iccp.toByteArray());
        chunk(file, "IDAT", deflate(new byte[] {0, (byte) 200, 100, 50}));
        chunk(file, "IEND", new byte[0]);
        return file.toByteArray();
    }

    private static byte[] deflatedZeros(long count) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        byte[] zeros = new byte[1 << 20];
        byte[] buf = new byte[1 << 16];
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (long left = count; left > 0; left -= zeros.length) {
            deflater.setInput(zeros, 0, (int) Math.min(zeros.length, left));
            while (!deflater.needsInput()) {
                out.write(buf, 0, deflater.deflate(buf));
            }
        }
        deflater.finish();
        while (!deflater.finished()) {
            out.write(buf, 0, deflater.deflate(buf));
        }
        deflater.end();
        return out.toByteArray();
    }

    private static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater();
        deflater.setInput(data);
        deflater.finish();
        byte[] buf = new byte[256];
        int n = deflater.deflate(buf);
        deflater.end();
        return java.util.Arrays.copyOf(buf, n);
    }

    private static void chunk(ByteArrayOutputStream file, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.ISO_8859_1);
        file.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        file.writeBytes(typeBytes);
        file.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        file.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
