package org.greylab.core.job;

import java.nio.file.Path;
import org.greylab.core.image.ImageFormat;

/**
 * A file the scanner takes for an image: its extension or its first bytes say so. Whether it really converts is
 * found out later; one that does not becomes a failed row.
 *
 * @param source       the file as it was reached (through a link, if one was followed)
 * @param relativePath '/'-separated path relative to its input root, prefixed by the root's name when the batch
 *                     has several roots
 * @param sizeBytes    its size when scanned
 * @param format       the container its content says; the one its extension says when the content says none
 * @param sniffed      whether {@code format} comes from the content (false: from the extension only)
 */
public record ScannedImage(Path source, String relativePath, long sizeBytes, ImageFormat format, boolean sniffed) {
}
