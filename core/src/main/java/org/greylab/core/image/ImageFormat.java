package org.greylab.core.image;

import java.util.Locale;
import java.util.Optional;

/**
 * An image container format, recognised from a file's first bytes (never from its name).
 */
public enum ImageFormat {
    JPEG("jpg", "jpeg", "jpe", "jfif"),
    PNG("png"),
    TIFF("tif", "tiff"),
    BMP("bmp", "dib"),
    GIF("gif"),
    WEBP("webp"),
    PSD("psd"),
    /** HEIF: HEIC (HEVC, the format of phone photos) and AVIF (AV1) in the HEIF container. */
    HEIF("heic", "heif", "hif", "avif");

    /** How many leading bytes {@link #sniff(byte[])} needs to recognise every format. */
    public static final int SNIFF_BYTES = 16;

    private final String[] extensions;

    ImageFormat(String... extensions) {
        this.extensions = extensions;
    }

    /** The extension an output of this format gets when its input name does not already say so. */
    public String canonicalExtension() {
        return extensions[0];
    }

    /** Whether {@code extension} (without the dot, any case) names this format. */
    public boolean hasExtension(String extension) {
        String lower = extension.toLowerCase(Locale.ROOT);
        for (String e : extensions) {
            if (e.equals(lower)) {
                return true;
            }
        }
        return false;
    }

    /** The lower-case name used in reports ("jpeg", "png", ...). */
    public String displayName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The format a file name's extension suggests, if any. */
    public static Optional<ImageFormat> fromExtension(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot < 0 || dot == fileName.length() - 1) {
            return Optional.empty();
        }
        String ext = fileName.substring(dot + 1);
        for (ImageFormat f : values()) {
            if (f.hasExtension(ext)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** The format the content's magic number says, if any. {@code head} may be shorter than {@link #SNIFF_BYTES}. */
    public static Optional<ImageFormat> sniff(byte[] head) {
        if (startsWith(head, 0xFF, 0xD8, 0xFF)) {
            return Optional.of(JPEG);
        }
        if (startsWith(head, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return Optional.of(PNG);
        }
        if (startsWith(head, 'I', 'I', 42, 0) || startsWith(head, 'M', 'M', 0, 42)
                || startsWith(head, 'I', 'I', 43, 0) || startsWith(head, 'M', 'M', 0, 43)) {
            return Optional.of(TIFF);
        }
        if (startsWith(head, 'B', 'M')) {
            return Optional.of(BMP);
        }
        if (startsWith(head, 'G', 'I', 'F', '8')) {
            return Optional.of(GIF);
        }
        if (startsWith(head, 'R', 'I', 'F', 'F') && head.length >= 12
                && head[8] == 'W' && head[9] == 'E' && head[10] == 'B' && head[11] == 'P') {
            return Optional.of(WEBP);
        }
        if (startsWith(head, '8', 'B', 'P', 'S')) {
            return Optional.of(PSD);
        }
        if (isHeif(head)) {
            return Optional.of(HEIF);
        }
        return Optional.empty();
    }

    /** An ISO media file whose major brand is a HEIF image brand (HEIC, AVIF or the general image brands). */
    private static boolean isHeif(byte[] head) {
        if (head.length < 12 || head[4] != 'f' || head[5] != 't' || head[6] != 'y' || head[7] != 'p') {
            return false;
        }
        String brand = new String(head, 8, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
        return switch (brand) {
            case "heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1", "avif", "avis" -> true;
            default -> false;
        };
    }

    private static boolean startsWith(byte[] head, int... magic) {
        if (head.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((head[i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
