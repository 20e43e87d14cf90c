package org.greylab.core.image;

import com.twelvemonkeys.imageio.metadata.CompoundDirectory;
import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;
import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * The EXIF fields the kernel cares about, read with TwelveMonkeys' TIFF metadata reader from a TIFF-structured block
 * (the body of a JPEG APP1 "Exif" segment, a PNG eXIf chunk, or a whole TIFF file's first IFD), and the one edit it
 * makes: resetting Orientation to 1 in place, so every other byte (maker notes, offsets) stays valid.
 */
record Exif(int orientation, double xResolution, double yResolution, int resolutionUnit, String dateTimeOriginal,
            String dateTime) {

    static final Exif NONE = new Exif(Orientation.NORMAL, 0, 0, 0, null, null);

    private static final int TAG_DATE_TIME_ORIGINAL = 0x9003;
    private static final int TAG_PIXEL_X_DIMENSION = 0xA002;
    private static final int TAG_PIXEL_Y_DIMENSION = 0xA003;

    /** Parses a TIFF-structured block; an unreadable block reads as {@link #NONE} (metadata never fails a file). */
    static Exif parse(byte[] tiff) {
        if (tiff == null || tiff.length < 8) {
            return NONE;
        }
        try {
            Directory dir = new TIFFReader().read(new ByteArrayImageInputStream(tiff));
            Directory ifd0 = dir instanceof CompoundDirectory cd && cd.directoryCount() > 0 ? cd.getDirectory(0) : dir;
            int orientation = intValue(ifd0.getEntryById(TIFF.TAG_ORIENTATION), Orientation.NORMAL);
            double xRes = doubleValue(ifd0.getEntryById(TIFF.TAG_X_RESOLUTION));
            double yRes = doubleValue(ifd0.getEntryById(TIFF.TAG_Y_RESOLUTION));
            int unit = intValue(ifd0.getEntryById(TIFF.TAG_RESOLUTION_UNIT), 2);
            String dateTime = stringValue(ifd0.getEntryById(TIFF.TAG_DATE_TIME));
            String original = null;
            Entry exifIfd = ifd0.getEntryById(TIFF.TAG_EXIF_IFD);
            if (exifIfd != null && exifIfd.getValue() instanceof Directory sub) {
                original = stringValue(sub.getEntryById(TAG_DATE_TIME_ORIGINAL));
            }
            return new Exif(orientation < 1 || orientation > 8 ? 1 : orientation, xRes, yRes, unit, original,
                    dateTime);
        } catch (IOException | RuntimeException e) {
            return NONE;
        }
    }

    /** Dots per inch from the resolution fields, or 0 when unknown. */
    double dpiX() {
        return toDpi(xResolution);
    }

    double dpiY() {
        return toDpi(yResolution == 0 ? xResolution : yResolution);
    }

    private double toDpi(double res) {
        if (res <= 0 || Double.isNaN(res) || Double.isInfinite(res)) {
            return 0;
        }
        return switch (resolutionUnit) {
            case 2 -> res;
            case 3 -> res * 2.54;
            default -> 0;
        };
    }

    /** The capture date, "YYYY:MM:DD HH:MM:SS" as EXIF writes it, or null. */
    String captureDate() {
        String d = dateTimeOriginal != null && !dateTimeOriginal.isBlank() ? dateTimeOriginal : dateTime;
        return d == null || d.isBlank() ? null : d.trim();
    }

    private static int intValue(Entry e, int fallback) {
        if (e != null && e.getValue() instanceof Number n) {
            return n.intValue();
        }
        return fallback;
    }

    private static double doubleValue(Entry e) {
        if (e != null && e.getValue() instanceof Number n) {
            return n.doubleValue();
        }
        return 0;
    }

    private static String stringValue(Entry e) {
        return e != null && e.getValue() instanceof String s ? s.replace("\0", "").trim() : null;
    }

    /**
     * A copy of {@code tiff} with IFD0's Orientation set to 1 and, when the pixels were turned a quarter,
     * PixelXDimension/PixelYDimension swapped to the new width and height. Only values are rewritten in place.
     */
    static byte[] uprighted(byte[] tiff, int width, int height) {
        byte[] out = Arrays.copyOf(tiff, tiff.length);
        try {
            boolean little = out[0] == 'I';
            int ifd0 = readInt(out, 4, little);
            int exifIfd = -1;
            int count = readShort(out, ifd0, little);
            for (int i = 0; i < count; i++) {
                int e = ifd0 + 2 + 12 * i;
                int tag = readShort(out, e, little);
                if (tag == TIFF.TAG_ORIENTATION) {
                    writeShort(out, e + 8, 1, little);
                } else if (tag == TIFF.TAG_EXIF_IFD) {
                    exifIfd = readInt(out, e + 8, little);
                }
            }
            if (exifIfd > 0 && exifIfd + 2 <= out.length) {
                int n = readShort(out, exifIfd, little);
                for (int i = 0; i < n; i++) {
                    int e = exifIfd + 2 + 12 * i;
                    int tag = readShort(out, e, little);
                    int type = readShort(out, e + 2, little);
                    int value = tag == TAG_PIXEL_X_DIMENSION ? width : tag == TAG_PIXEL_Y_DIMENSION ? height : -1;
                    if (value >= 0 && type == 3 && value <= 0xFFFF) {
                        writeShort(out, e + 8, value, little);
                    } else if (value >= 0 && type == 4) {
                        writeInt(out, e + 8, value, little);
                    }
                }
            }
            return out;
        } catch (ArrayIndexOutOfBoundsException e) {
            return null;
        }
    }

    private static int readShort(byte[] b, int at, boolean little) {
        return little ? (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 : (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }

    private static int readInt(byte[] b, int at, boolean little) {
        return little ? readShort(b, at, true) | readShort(b, at + 2, true) << 16
                : readShort(b, at, false) << 16 | readShort(b, at + 2, false);
    }

    private static void writeShort(byte[] b, int at, int v, boolean little) {
        b[at + (little ? 0 : 1)] = (byte) v;
        b[at + (little ? 1 : 0)] = (byte) (v >> 8);
    }

    private static void writeInt(byte[] b, int at, int v, boolean little) {
        writeShort(b, at + (little ? 0 : 2), v & 0xFFFF, little);
        writeShort(b, at + (little ? 2 : 0), v >>> 16, little);
    }
}
