package org.greylab.core.image;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A PNG's chunk structure checked before decoding, since the JDK's PNG reader checks no CRC and reads a damaged
 * header as a generic I/O error.
 *
 * <ul>
 *   <li>A bad CRC in IHDR, PLTE or IDAT fails the image: those carry the pixels, and a flipped bit there is wrong
 *   pixels nobody would see as an error.</li>
 *   <li>A bad CRC in any other chunk drops that chunk (its information is not trusted) with a warning.</li>
 *   <li>A file that ends without IEND, or inside IEND or a chunk after the image data, converts with a warning
 *   when its image data is complete, as every browser shows it; so does a file whose IDAT data goes on after the
 *   end of its zlib stream (libpng's "extra compressed data"). Image data that ends early fails.</li>
 *   <li>An impossible IHDR (colour type 1, bit depth 3, ...), no IDAT, or a palette image without PLTE fails with
 *   a reason that says which.</li>
 * </ul>
 * When chunks were dropped or IEND was missing, the decoder gets a repaired copy of the bytes; otherwise the input
 * itself. The image data is inflated here once ({@link #checkImageData}), whether the file is cut or not.
 */
final class PngChunks {

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    private static final byte[] IEND = {0, 0, 0, 0, 'I', 'E', 'N', 'D', (byte) 0xAE, 0x42, 0x60, (byte) 0x82};

    /** The bytes the decoder should read and what the user should know about them. */
    record Checked(byte[] bytes, List<String> warnings) {
    }

    private PngChunks() {
    }

    /**
     * @param in a file whose first 8 bytes are the PNG signature
     * @param maxPixels  a header that claims more pixels fails at once, whatever else is wrong with the file
     * @throws ConversionException a critical chunk is damaged, the header is impossible or there is no image data
     */
    static Checked check(byte[] in, long maxPixels) throws ConversionException {
        List<String> warnings = new ArrayList<>();
        ByteArrayOutputStream repaired = null;
        int pos = SIGNATURE.length;
        boolean seenIhdr = false;
        boolean seenPlte = false;
        boolean seenIdat = false;
        boolean seenIend = false;
        int colourType = -1;
        long rawBytes = 0;
        while (!seenIend) {
            if (pos + 12 > in.length) {
                if (!seenIdat) {
                    throw damaged("the file is truncated or damaged: it ends before its image data");
                }
                if (pos < in.length) {
                    repaired = copyUpTo(in, pos, repaired);
                }
                break;
            }
            long length = u32(in, pos);
            String type = new String(in, pos + 4, 4, StandardCharsets.ISO_8859_1);
            if (!isChunkType(type)) {
                if (!seenIdat) {
                    throw damaged("the file is damaged: the bytes at offset " + pos + " are not a PNG chunk");
                }
                warnings.add("the PNG has " + (in.length - pos) + " bytes of damaged data after its image data:"
                        + " they were ignored");
                repaired = copyUpTo(in, pos, repaired);
                break;
            }
            long end = pos + 12 + length;
            int body = pos + 8;
            if (end > in.length) {
                if (!seenIdat && !type.equals("IDAT")) {
                    throw damaged("the file is truncated or damaged: it ends inside its " + type + " chunk, before its image"
                            + " data");
                }
                repaired = copyUpTo(in, pos, repaired);
                if (type.equals("IDAT")) {
                    // what there is of the last IDAT, with a CRC of its own: the decoder fails if the image data
                    // in it ends early, and reads it otherwise
                    int available = in.length - body;
                    CRC32 crc = new CRC32();
                    crc.update(in, pos + 4, 4 + available);
                    writeU32(repaired, available);
                    repaired.write(in, pos + 4, 4 + available);
                    writeU32(repaired, crc.getValue());
                    seenIdat = true;
                }
                break;
            }
            int len = (int) length;
            boolean crcOk = crc(in, pos + 4, len + 4) == u32(in, body + len);
            boolean critical = type.equals("IHDR") || type.equals("PLTE") || type.equals("IDAT");
            if (!crcOk && critical) {
                throw damaged("the file is damaged: the CRC of its " + type + " chunk does not match its content");
            }
            if (!seenIhdr && type.equals("CgBI")) {
                throw new ConversionException(Stage.DECODE, "this is an Apple iPhone-optimised PNG (a CgBI chunk:"
                        + " BGRA, premultiplied, raw deflate), which only Apple's software reads; Xcode's pngcrush"
                        + " -revert-iphone-optimizations converts it to a standard PNG");
            }
            if (!seenIhdr && !type.equals("IHDR")) {
                throw damaged("the file is damaged: the PNG does not start with its IHDR header chunk (found " + type
                        + ")");
            }
            switch (type) {
                case "IHDR" -> {
                    checkHeader(in, body, len);
                    long width = u32(in, body);
                    long height = u32(in, body + 4);
                    if (width * height > maxPixels) {
                        throw ImageDecoder.tooLarge((int) width, (int) height, maxPixels);
                    }
                    colourType = in[body + 9];
                    rawBytes = rawImageBytes(in, body);
                    seenIhdr = true;
                }
                case "PLTE" -> seenPlte = true;
                case "IDAT" -> seenIdat = true;
                case "IEND" -> seenIend = crcOk;
                default -> {
                }
            }
            if (!crcOk) {
                if (!type.equals("IEND")) {
                    warnings.add("the PNG's " + type + " chunk has a bad CRC: it was left out");
                }
                repaired = copyUpTo(in, pos, repaired);
            } else if (repaired != null) {
                repaired.write(in, pos, (int) (end - pos));
            }
            pos = (int) end;
            if (type.equals("IEND")) {
                break;
            }
        }
        if (!seenIdat) {
            throw damaged("the file is damaged: the PNG has no image data (no IDAT chunk)");
        }
        if (colourType == 3 && !seenPlte) {
            throw damaged("the file is damaged: the PNG is a palette image without its palette (no PLTE chunk)");
        }
        byte[] forDecoder = repaired == null ? in : repaired.toByteArray();
        String afterEnd = checkImageData(forDecoder, rawBytes);
        if (afterEnd != null) {
            warnings.add(afterEnd);
        }
        if (!seenIend) {
            warnings.add("the PNG was cut short after its image data (its IEND chunk is missing or damaged); the"
                    + " image itself is complete");
            repaired = copyUpTo(in, Math.min(pos, in.length), repaired);
            repaired.write(IEND, 0, IEND.length);
        }
        return new Checked(repaired == null ? in : repaired.toByteArray(), warnings);
    }

    /**
     * The reason for a file that is not a PNG by its signature but is one whose signature was damaged (an IHDR chunk
     * where the first chunk belongs, or "PNG" in bytes 1-3), or null. A signature whose line-ending bytes were
     * changed is what a text-mode transfer (FTP ASCII, a text editor) does to a PNG: the reason says so, since the
     * whole file is then damaged, not just its first bytes.
     */
    static String damagedSignature(byte[] in) {
        if (in.length < 16) {
            return null;
        }
        boolean named = in[1] == 'P' && in[2] == 'N' && in[3] == 'G';
        boolean ihdr = false;
        for (int at = 10; at <= 14 && at + 4 <= in.length; at++) {
            ihdr |= new String(in, at, 4, StandardCharsets.ISO_8859_1).equals("IHDR");
        }
        if (!named && !ihdr) {
            return null;
        }
        boolean lineEndings = named && isCrOrLf(in[4]) && isCrOrLf(in[5]) && isCrOrLf(in[7])
                && !(in[4] == 0x0D && in[5] == 0x0A && in[7] == 0x0A);
        return "the file is a damaged PNG: its 8-byte signature is wrong" + (lineEndings
                ? " (its line-ending bytes were changed, as a text-mode transfer does to the whole file)" : "");
    }

    private static boolean isCrOrLf(byte b) {
        return b == 0x0D || b == 0x0A;
    }

    /**
     * Inflates the image data once, since the JDK's reader says nothing about what is wrong there: it fills image
     * data that ends early with black, and ignores what follows the end of the zlib stream. Image data that ends
     * early fails; bytes after the end of the stream (or damage there, after every row has arrived) give a warning,
     * returned. This pass costs 0.3-5 ms on each of the corpus's PNGs, which take 1-35 ms to convert (3-30 %, a
     * loaded 2-core machine); it is what telling a complete image from a cut one costs.
     */
    private static String checkImageData(byte[] png, long expected) throws ConversionException {
        Inflater inflater = new Inflater();
        byte[] sink = new byte[1 << 16];
        long produced = 0;
        long afterEnd = 0;
        try {
            int pos = SIGNATURE.length;
            while (pos + 12 <= png.length) {
                int len = (int) u32(png, pos);
                if (new String(png, pos + 4, 4, StandardCharsets.ISO_8859_1).equals("IDAT")) {
                    int available = Math.min(len, png.length - pos - 8);
                    if (inflater.finished()) {
                        afterEnd += available;
                    } else {
                        inflater.setInput(png, pos + 8, available);
                        int n;
                        while ((n = inflater.inflate(sink)) > 0) {
                            produced += n;
                        }
                        if (inflater.finished()) {
                            afterEnd += inflater.getRemaining();
                        }
                    }
                }
                pos += 12 + len;
            }
        } catch (DataFormatException e) {
            if (produced < expected) {
                throw damaged("the file is damaged: its image data is not valid zlib data (" + e.getMessage() + ")");
            }
            return "the PNG's compressed image data is damaged after its last row (" + e.getMessage() + "): the"
                    + " image itself is complete";
        } finally {
            inflater.end();
        }
        if (produced < expected) {
            throw damaged("the file is truncated or damaged: its image data ends early (" + produced + " of " + expected
                    + " bytes)");
        }
        return afterEnd == 0 ? null : "the PNG's IDAT data goes on for " + afterEnd + " bytes after the end of its"
                + " compressed image data: they were ignored; the image itself is complete";
    }

    /** The size of the filtered image data IHDR announces: every row of every Adam7 pass, with its filter byte. */
    private static long rawImageBytes(byte[] in, int ihdr) {
        long width = u32(in, ihdr);
        long height = u32(in, ihdr + 4);
        int depth = in[ihdr + 8] & 0xFF;
        int channels = switch (in[ihdr + 9]) {
            case 2 -> 3;
            case 4 -> 2;
            case 6 -> 4;
            default -> 1;
        };
        long bitsPerPixel = (long) depth * channels;
        if (in[ihdr + 12] == 0) {
            return height * (1 + (width * bitsPerPixel + 7) / 8);
        }
        int[][] passes = {{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2},
                {0, 1, 1, 2}};
        long total = 0;
        for (int[] p : passes) {
            long w = (width - p[0] + p[2] - 1) / p[2];
            long h = (height - p[1] + p[3] - 1) / p[3];
            if (w > 0 && h > 0) {
                total += h * (1 + (w * bitsPerPixel + 7) / 8);
            }
        }
        return total;
    }

    private static void checkHeader(byte[] in, int body, int len) throws ConversionException {
        if (len != 13) {
            throw damaged("the file is damaged: the PNG header (IHDR) is " + len + " bytes long instead of 13");
        }
        long width = u32(in, body);
        long height = u32(in, body + 4);
        int depth = in[body + 8] & 0xFF;
        int colourType = in[body + 9] & 0xFF;
        if (width == 0 || height == 0 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            throw damaged("the file is damaged: the PNG header gives an impossible size, " + width + " x " + height);
        }
        String allowed = switch (colourType) {
            case 0 -> "1 2 4 8 16";
            case 3 -> "1 2 4 8";
            case 2, 4, 6 -> "8 16";
            default -> null;
        };
        if (allowed == null) {
            throw damaged("the file is damaged: the PNG header gives colour type " + colourType + ", which does not exist (0, 2, 3, 4"
                    + " or 6)");
        }
        if (!(" " + allowed + " ").contains(" " + depth + " ")) {
            throw damaged("the file is damaged: the PNG header gives bit depth " + depth + ", which colour type " + colourType
                    + " does not allow (" + allowed.replace(" ", ", ") + ")");
        }
        if (in[body + 10] != 0 || in[body + 11] != 0 || (in[body + 12] & 0xFF) > 1) {
            throw damaged("the file is damaged: the PNG header gives an unknown compression, filter or interlace method");
        }
    }

    /** A repaired copy holding everything before {@code pos} (made on first need). */
    private static ByteArrayOutputStream copyUpTo(byte[] in, int pos, ByteArrayOutputStream repaired) {
        if (repaired != null) {
            return repaired;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + IEND.length);
        out.write(in, 0, pos);
        return out;
    }

    private static void writeU32(ByteArrayOutputStream out, long v) {
        out.write((int) (v >>> 24));
        out.write((int) (v >>> 16));
        out.write((int) (v >>> 8));
        out.write((int) v);
    }

    private static boolean isChunkType(String type) {
        for (int i = 0; i < 4; i++) {
            char c = type.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z')) {
                return false;
            }
        }
        return true;
    }

    private static ConversionException damaged(String reason) {
        return new ConversionException(Stage.DECODE, reason);
    }

    private static long crc(byte[] b, int from, int length) {
        CRC32 crc = new CRC32();
        crc.update(b, from, length);
        return crc.getValue();
    }

    private static long u32(byte[] b, int at) {
        return (b[at] & 0xFFL) << 24 | (b[at + 1] & 0xFFL) << 16 | (b[at + 2] & 0xFFL) << 8 | (b[at + 3] & 0xFFL);
    }
}
