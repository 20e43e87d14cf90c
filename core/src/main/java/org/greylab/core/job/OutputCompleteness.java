package org.greylab.core.job;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Whether an output already on disk is whole, read from its two ends only: an output cut short by a crash or a power
 * loss (a zero-length file, a PNG without its IEND chunk, a JPEG without its end-of-image marker) is no reason for
 * {@code --overwrite skip} to leave an image unconverted, while decoding every existing output of a large folder
 * again would make a re-run as slow as the first.
 *
 * <p>What it reads: PNG, the 8-byte signature and the 12-byte IEND chunk at the very end (Greylab writes nothing
 * after it); JPEG, the start-of-image marker and the end-of-image marker within the last 64 bytes (other tools pad
 * a little); TIFF, the byte-order header and a first IFD offset inside the file. Any other file counts as whole when
 * it is not empty.
 */
public final class OutputCompleteness {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final byte[] PNG_IEND = {0, 0, 0, 0, 'I', 'E', 'N', 'D', (byte) 0xAE, 0x42, 0x60, (byte) 0x82};
    private static final int JPEG_TAIL = 64;

    private OutputCompleteness() {
    }

    /** True when {@code file} is a regular file that looks whole; false when it is empty, cut short or unreadable. */
    public static boolean looksComplete(Path file) {
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                // a link or a folder under an output's name is not ours to judge: leave it alone as before
                return Files.exists(file, LinkOption.NOFOLLOW_LINKS);
            }
            long size = Files.size(file);
            if (size == 0) {
                return false;
            }
            try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
                byte[] head = read(in, 0, (int) Math.min(size, 16));
                if (startsWith(head, PNG_SIGNATURE)) {
                    return size >= PNG_SIGNATURE.length + PNG_IEND.length
                            && Arrays.equals(read(in, size - PNG_IEND.length, PNG_IEND.length), PNG_IEND);
                }
                if (head.length >= 2 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xD8) {
                    int n = (int) Math.min(size, JPEG_TAIL);
                    byte[] tail = read(in, size - n, n);
                    for (int i = tail.length - 2; i >= 0; i--) {
                        if ((tail[i] & 0xFF) == 0xFF && (tail[i + 1] & 0xFF) == 0xD9) {
                            return true;
                        }
                    }
                    return false;
                }
                if (head.length >= 8 && isTiffHeader(head)) {
                    long ifd = tiffFirstIfd(head);
                    return ifd >= 8 && ifd < size;
                }
                return true;
            }
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isTiffHeader(byte[] h) {
        return (h[0] == 'I' && h[1] == 'I' && h[2] == 42 && h[3] == 0) || (h[0] == 'M' && h[1] == 'M' && h[2] == 0
                && h[3] == 42);
    }

    private static long tiffFirstIfd(byte[] h) {
        boolean little = h[0] == 'I';
        long b4 = h[4] & 0xFF;
        long b5 = h[5] & 0xFF;
        long b6 = h[6] & 0xFF;
        long b7 = h[7] & 0xFF;
        return little ? b4 | b5 << 8 | b6 << 16 | b7 << 24 : b7 | b6 << 8 | b5 << 16 | b4 << 24;
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static byte[] read(FileChannel in, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (in.read(buffer, position + buffer.position()) < 0) {
                break;
            }
        }
        return Arrays.copyOf(buffer.array(), buffer.position());
    }
}
