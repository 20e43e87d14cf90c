package org.greylab.core.job;

import java.nio.file.Path;
import java.util.List;

/**
 * What a scan found: the image candidates in natural order, and the files it left out with their reasons.
 *
 * @param roots   the input roots, absolute and normalised, in the order given
 * @param images  the image candidates, in {@link NaturalOrder} of their relative paths
 * @param skipped skipped rows (hidden, not an image, inside the output folder, link loops, ...), in natural order
 */
public record ScanResult(List<Path> roots, List<ScannedImage> images, List<FileResult> skipped) {

    public ScanResult {
        roots = List.copyOf(roots);
        images = List.copyOf(images);
        skipped = List.copyOf(skipped);
    }
}
