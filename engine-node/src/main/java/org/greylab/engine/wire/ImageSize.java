package org.greylab.engine.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import org.greylab.core.image.ImageFormat;

/**
 * The pixel size a PNG, JPEG or TIFF file's header gives, read without decoding: for the client's check of an
 * answer (AnswerCheck) and the engine's pixel budget ({@link EngineGuard}).
 */
public record ImageSize(int width, int height) {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    public long pixels() {
        return (long) width * height;
    }

    /** The pixel size a PNG, JPEG or TIFF file's header gives; empty for other containers and for damaged bytes. */
    public static Optional<ImageSize> of(byte[] file, ImageFormat format) {
        try {
            return switch (format) {
                case PNG -> png(file);
                case JPEG -> jpeg(file);
                case TIFF -> tiff(file);
                default -> Optional.empty();
            };
        } catch (IndexOutOfBoundsException | java.nio.BufferUnderflowException damaged) {
            return Optional.empty();
        }
    }

    private static Optional<ImageSize> png(byte[] f) {
        for (int i = 0; i < PNG_SIGNATURE.length; i++) {
            if (f[i] != PNG_SIGNATURE[i]) {
                return Optional.empty();
            }
        }
        ByteBuffer b = ByteBuffer.wrap(f);
        if (b.getInt(12) != 0x49484452) { // "IHDR", always the first chunk
            return Optional.empty();
        }
        return Optional.of(new ImageSize(b.getInt(16), b.getInt(20)));
    }

    private static Optional<ImageSize> jpeg(byte[] f) {
        if ((f[0] & 0xff) != 0xff || (f[1] & 0xff) != 0xd8) {
            return Optional.empty();
        }
        int i = 2;
        while (i + 3 < f.length) {
            if ((f[i] & 0xff) != 0xff) {
                return Optional.empty();
            }
            int marker = f[i + 1] & 0xff;
            if (marker == 0xff) {
                i++;
                continue;
            }
            if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
                i += 2;
                continue;
            }
            int length = ((f[i + 2] & 0xff) << 8) | (f[i + 3] & 0xff);
            boolean startOfFrame = marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8
                    && marker != 0xcc;
            if (startOfFrame) {
                int height = ((f[i + 5] & 0xff) << 8) | (f[i + 6] & 0xff);
                int width = ((f[i + 7] & 0xff) << 8) | (f[i + 8] & 0xff);
                return Optional.of(new ImageSize(width, height));
            }
            if (marker == 0xd9 || marker == 0xda || length < 2) {
                return Optional.empty();
            }
            i += 2 + length;
        }
        return Optional.empty();
    }

    private static Optional<ImageSize> tiff(byte[] f) {
        ByteBuffer b = ByteBuffer.wrap(f);
        if (f[0] == 'I' && f[1] == 'I') {
            b.order(ByteOrder.LITTLE_ENDIAN);
        } else if (!(f[0] == 'M' && f[1] == 'M')) {
            return Optional.empty();
        }
        if (b.getShort(2) != 42) {
            return Optional.empty();
        }
        int ifd = b.getInt(4);
        int entries = b.getShort(ifd) & 0xffff;
        int width = -1;
        int height = -1;
        for (int e = 0; e < entries; e++) {
            int at = ifd + 2 + 12 * e;
            int tag = b.getShort(at) & 0xffff;
            int type = b.getShort(at + 2) & 0xffff;
            int value = type == 3 ? b.getShort(at + 8) & 0xffff : b.getInt(at + 8);
            if (tag == 256) {
                width = value;
            } else if (tag == 257) {
                height = value;
            }
        }
        return width > 0 && height > 0 ? Optional.of(new ImageSize(width, height)) : Optional.empty();
    }
}
