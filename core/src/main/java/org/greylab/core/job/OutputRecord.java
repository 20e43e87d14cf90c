package org.greylab.core.job;

import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32C;
import org.greylab.core.image.ConversionResult;

/**
 * What a journal records of an output about to be renamed into place, taken while its bytes are at hand: the bytes
 * themselves need not wait in memory for the disk's sync.
 *
 * @param size     the output's length in bytes
 * @param crc32c   its CRC-32C, 8 lower-case hex digits
 * @param pixels   the image's pixels
 * @param warnings what the conversion warned about
 */
public record OutputRecord(long size, String crc32c, long pixels, List<String> warnings) {

    public OutputRecord {
        warnings = List.copyOf(warnings);
    }

    public static OutputRecord of(ConversionResult result) {
        return new OutputRecord(result.output().length, crc32c(result.output()), result.pixels(), result.warnings());
    }

    /** {@code bytes}' CRC-32C as a journal writes it. */
    public static String crc32c(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return String.format(Locale.ROOT, "%08x", crc.getValue());
    }
}
