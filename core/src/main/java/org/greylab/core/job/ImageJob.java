package org.greylab.core.job;

import java.nio.file.Path;
import org.greylab.core.image.ImageFormat;

/**
 * One image of a planned batch. Its output name is fixed at planning time, from the sorted list, so every mode
 * and every retry writes the same name.
 *
 * @param index        position in the batch's stable order (0-based)
 * @param source       the input file (never written to)
 * @param relativePath the input's path relative to its input root, '/'-separated, prefixed by the root's name
 *                     when the batch has several roots
 * @param outputPath   the output's path relative to the output folder, '/'-separated
 * @param sizeBytes    the input's size when scanned
 * @param format       the container the input's first bytes say it is
 */
public record ImageJob(int index, Path source, String relativePath, String outputPath, long sizeBytes,
                       ImageFormat format) {
}
