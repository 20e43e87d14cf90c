package org.greylab.core.image;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * What the kernel carries from an input to its output besides pixels, found by walking the container's own
 * structure in the input bytes (JPEG segments, PNG chunks, TIFF IFD0, WebP RIFF chunks).
 *
 * @param orientation  EXIF orientation 1-8 (1 when absent)
 * @param dpiX         horizontal resolution in dots per inch, 0 when unknown
 * @param dpiY         vertical resolution, 0 when unknown
 * @param captureDate  "YYYY:MM:DD HH:MM:SS" (EXIF form) or a PNG "Creation Time" text as found; null when absent
 * @param exif         the TIFF-structured EXIF block, or null
 * @param pngIcc       a PNG's iCCP profile (decompressed), or null: the JDK's PNG reader does not apply it
 * @param jpeg         for JPEG inputs, the frame facts that choose the decoder; null otherwise
 * @param pngTransparentGrey for a grey PNG of 1, 2 or 4 bits with tRNS, the grey level (0-255, as decoded) that tRNS
 *                     makes transparent, or -1: the JDK's reader gets it wrong at those depths (right at 8 and 16)
 */
record SourceMetadata(int orientation, double dpiX, double dpiY, String captureDate, byte[] exif, byte[] pngIcc,
                      JpegFacts jpeg, int pngTransparentGrey) {

    static final SourceMetadata NONE = new SourceMetadata(1, 0, 0, null, null, null, null, -1);

    /**
     * @param components     number of colour components in the frame (1 grey, 3 YCbCr/RGB, 4 CMYK/YCCK)
     * @param progressive    SOF2 (progressive Huffman)
     * @param adobeTransform the Adobe APP14 transform flag, or -1 when there is no Adobe segment
     * @param icc            the APP2 ICC profile, joined from its parts, or null
     * @param jfif           whether a JFIF APP0 segment is present
     * @param componentIds   the frame's component identifiers
     * @param frameMarker    the start-of-frame marker (0xC0 baseline, 0xC1 extended, 0xC2 progressive, ...), or 0
     * @param precision      bits per sample in the frame (8, or 12 for 12-bit JPEGs)
     * @param endsInHeader   whether the file ends among its header segments, before any frame or scan header (a
     *                       file cut short there)
     */
    record JpegFacts(int components, boolean progressive, int adobeTransform, byte[] icc, boolean jfif,
                     int[] componentIds, int frameMarker, int precision, boolean endsInHeader) {

        /** Huffman-coded baseline, extended or progressive: what every decoder reads (not arithmetic, not lossless). */
        boolean isHuffmanDct() {
            return frameMarker == 0xC0 || frameMarker == 0xC1 || frameMarker == 0xC2;
        }

        /**
         * Whether the JDK decoder, as libjpeg does, takes the three components for YCbCr: a JFIF file, an Adobe
         * transform of 1, or (with neither segment) the component ids 1, 2, 3.
         */
        boolean isYcc() {
            if (components != 3) {
                return false;
            }
            if (jfif) {
                return adobeTransform == -1 || adobeTransform == 1;
            }
            if (adobeTransform != -1) {
                return adobeTransform == 1;
            }
            return componentIds.length == 3 && componentIds[0] == 1 && componentIds[1] == 2 && componentIds[2] == 3;
        }
    }

    /**
     * The most an embedded ICC profile may inflate to. Real profiles are a few KB to a few MB; a PNG's iCCP chunk is
     * deflated, and a 2 MB chunk can inflate to gigabytes, so inflating stops here and the file fails.
     */
    static final int MAX_ICC_BYTES = 16 * 1024 * 1024;

    /** An iCCP chunk that inflates past {@link #MAX_ICC_BYTES}: the one metadata problem that fails a file. */
    static final class IccTooLargeException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        IccTooLargeException() {
            super("the embedded ICC profile inflates to more than " + MAX_ICC_BYTES / (1024 * 1024)
                    + " MB, the ICC limit: refused before decoding");
        }
    }

    /**
     * @throws IccTooLargeException when a PNG's ICC profile inflates past the ICC limit
     */
    static SourceMetadata read(ImageFormat format, byte[] in) {
        try {
            return switch (format) {
                case JPEG -> fromJpeg(in);
                case PNG -> fromPng(in);
                case TIFF -> withExif(Exif.parse(in), null, null, null, 0, 0, null);
                case WEBP -> fromWebp(in);
                default -> NONE;
            };
        } catch (IccTooLargeException e) {
            throw e;
        } catch (RuntimeException e) {
            // Damaged metadata never fails a file: the decoder decides about the pixels.
            return NONE;
        }
    }

    private static SourceMetadata withExif(Exif exif, byte[] exifBytes, byte[] pngIcc, JpegFacts jpeg, double dpiX,
                                           double dpiY, String date) {
        double x = dpiX > 0 ? dpiX : exif.dpiX();
        double y = dpiY > 0 ? dpiY : exif.dpiY();
        String d = exif.captureDate() != null ? exif.captureDate() : date;
        return new SourceMetadata(exif.orientation(), x, y, d, exifBytes, pngIcc, jpeg, -1);
    }

    private static SourceMetadata fromJpeg(byte[] in) {
        int pos = 2;
        byte[] exif = null;
        double dpiX = 0;
        double dpiY = 0;
        int components = 0;
        boolean progressive = false;
        int adobe = -1;
        boolean jfif = false;
        int[] ids = new int[0];
        int frame = 0;
        int precision = 0;
        ByteArrayOutputStream icc = null;
        while (pos + 4 <= in.length) {
            if ((in[pos] & 0xFF) != 0xFF) {
                break;
            }
            int marker = in[pos + 1] & 0xFF;
            if (marker == 0xFF) {
                pos++;
                continue;
            }
            if (marker == 0xD8 || marker >= 0xD0 && marker <= 0xD7 || marker == 0x01) {
                pos += 2;
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) {
                break;
            }
            int len = u16(in, pos + 2);
            int body = pos + 4;
            int end = Math.min(in.length, pos + 2 + len);
            if (len < 2) {
                break;
            }
            if (marker == 0xE0 && startsWith(in, body, "JFIF\0") && end - body >= 12) {
                jfif = true;
                int units = in[body + 7] & 0xFF;
                double factor = units == 1 ? 1 : units == 2 ? 2.54 : 0;
                dpiX = u16(in, body + 8) * factor;
                dpiY = u16(in, body + 10) * factor;
            } else if (marker == 0xE1 && exif == null && startsWith(in, body, "Exif\0")) {
                exif = Arrays.copyOfRange(in, body + 6, end);
            } else if (marker == 0xE2 && startsWith(in, body, "ICC_PROFILE\0") && end - body > 14) {
                if (icc == null) {
                    icc = new ByteArrayOutputStream();
                }
                icc.write(in, body + 14, end - body - 14);
            } else if (marker == 0xEE && startsWith(in, body, "Adobe") && end - body >= 12) {
                adobe = in[body + 11] & 0xFF;
            } else if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC
                    && end - body >= 6) {
                frame = marker;
                precision = in[body] & 0xFF;
                components = in[body + 5] & 0xFF;
                ids = new int[Math.max(0, Math.min(components, (end - body - 6) / 3))];
                for (int c = 0; c < ids.length; c++) {
                    ids[c] = in[body + 6 + 3 * c] & 0xFF;
                }
                progressive = marker == 0xC2 || marker == 0xC6 || marker == 0xCA || marker == 0xCE;
            }
            pos += 2 + len;
        }
        // every break above leaves a whole segment header ahead: only a walk that ran out of bytes stops short of it
        boolean ranOut = pos + 4 > in.length;
        JpegFacts facts = new JpegFacts(components, progressive, adobe, icc == null ? null : icc.toByteArray(), jfif,
                ids, frame, precision, ranOut && frame == 0);
        return withExif(Exif.parse(exif), exif, null, facts, dpiX, dpiY, null);
    }

    private static SourceMetadata fromPng(byte[] in) {
        int pos = 8;
        double dpiX = 0;
        double dpiY = 0;
        String date = null;
        byte[] exif = null;
        byte[] icc = null;
        int colourType = in.length > 25 ? in[25] : -1;
        int depth = in.length > 24 ? in[24] : 0;
        int transparentGrey = -1;
        while (pos + 8 <= in.length) {
            int len = (int) Math.min(Integer.MAX_VALUE, u32(in, pos));
            String type = new String(in, pos + 4, 4, StandardCharsets.ISO_8859_1);
            int body = pos + 8;
            if (len < 0 || body + len > in.length || type.equals("IDAT") || type.equals("IEND")) {
                break;
            }
            switch (type) {
                case "pHYs" -> {
                    if (len >= 9 && in[body + 8] == 1) {
                        dpiX = u32(in, body) * 0.0254;
                        dpiY = u32(in, body + 4) * 0.0254;
                    }
                }
                case "tEXt" -> {
                    String text = new String(in, body, len, StandardCharsets.ISO_8859_1);
                    if (text.startsWith("Creation Time\0")) {
                        date = text.substring("Creation Time\0".length()).trim();
                    }
                }
                case "eXIf" -> exif = Arrays.copyOfRange(in, body, body + len);
                case "iCCP" -> icc = inflateIccp(in, body, len);
                case "tRNS" -> {
                    if (colourType == 0 && len == 2 && depth < 8 && depth > 0) {
                        int max = (1 << depth) - 1;
                        transparentGrey = u16(in, body) <= max ? u16(in, body) * 255 / max : -1;
                    }
                }
                default -> {
                }
            }
            pos = body + len + 4;
        }
        SourceMetadata meta = withExif(Exif.parse(exif), exif, icc, null, dpiX, dpiY, date);
        return new SourceMetadata(meta.orientation(), meta.dpiX(), meta.dpiY(), meta.captureDate(), meta.exif(),
                meta.pngIcc(), null, transparentGrey);
    }

    private static byte[] inflateIccp(byte[] in, int body, int len) {
        int nul = body;
        while (nul < body + len && in[nul] != 0) {
            nul++;
        }
        int start = nul + 2;
        if (start >= body + len) {
            return null;
        }
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(in, start, body + len - start);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(buf);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                out.write(buf, 0, n);
                if (out.size() > MAX_ICC_BYTES) {
                    throw new IccTooLargeException();
                }
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            return null;
        } finally {
            inflater.end();
        }
    }

    private static SourceMetadata fromWebp(byte[] in) {
        int pos = 12;
        while (pos + 8 <= in.length) {
            String type = new String(in, pos, 4, StandardCharsets.ISO_8859_1);
            long len = (in[pos + 4] & 0xFFL) | (in[pos + 5] & 0xFFL) << 8 | (in[pos + 6] & 0xFFL) << 16
                    | (in[pos + 7] & 0xFFL) << 24;
            int body = pos + 8;
            if (body + len > in.length) {
                break;
            }
            if (type.equals("EXIF")) {
                int start = startsWith(in, body, "Exif\0") ? body + 6 : body;
                byte[] exif = Arrays.copyOfRange(in, start, body + (int) len);
                return withExif(Exif.parse(exif), exif, null, null, 0, 0, null);
            }
            pos = body + (int) len + (int) (len & 1);
        }
        return NONE;
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }

    private static long u32(byte[] b, int at) {
        return (b[at] & 0xFFL) << 24 | (b[at + 1] & 0xFFL) << 16 | (b[at + 2] & 0xFFL) << 8 | (b[at + 3] & 0xFFL);
    }

    private static boolean startsWith(byte[] b, int at, String ascii) {
        if (at + ascii.length() > b.length) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if (b[at + i] != (byte) ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
