package org.greylab.app.run;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.greylab.core.job.FileResult;
import org.greylab.core.job.FileStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks that two runs wrote the same outputs: the same names, and the same decoded pixels (bytes may differ
 * between runtimes; pixels may not).
 */
public final class OutputComparison {

    private static final Logger LOG = LoggerFactory.getLogger(OutputComparison.class);

    private OutputComparison() {
    }

    /**
     * Compares the outputs {@code other} converted under {@code otherRoot} with those {@code reference} converted
     * under {@code referenceRoot}, image by image.
     *
     * @return the differences in words; empty when identical
     */
    public static List<String> differences(Path referenceRoot, List<FileResult> reference, Path otherRoot,
                                           List<FileResult> other) {
        List<String> diffs = new ArrayList<>();
        List<String> refNames = converted(reference);
        List<String> otherNames = converted(other);
        if (!refNames.equals(otherNames)) {
            List<String> missing = new ArrayList<>(refNames);
            missing.removeAll(otherNames);
            List<String> extra = new ArrayList<>(otherNames);
            extra.removeAll(refNames);
            diffs.add("different outputs: missing " + missing + ", extra " + extra);
        }
        for (String name : refNames) {
            if (!otherNames.contains(name)) {
                continue;
            }
            String why = samePixels(referenceRoot.resolve(name), otherRoot.resolve(name));
            if (why != null) {
                diffs.add(name + ": " + why);
            }
        }
        return diffs;
    }

    /** null when both files decode to the same pixels, else why not. */
    public static String samePixels(Path a, Path b) {
        try {
            BufferedImage x = ImageIO.read(a.toFile());
            BufferedImage y = ImageIO.read(b.toFile());
            if (x == null || y == null) {
                return "cannot be decoded";
            }
            if (x.getWidth() != y.getWidth() || x.getHeight() != y.getHeight()) {
                return "different sizes";
            }
            Raster rx = x.getRaster();
            Raster ry = y.getRaster();
            if (rx.getNumBands() != ry.getNumBands()) {
                return "different channels";
            }
            int[] row1 = null;
            int[] row2 = null;
            for (int r = 0; r < x.getHeight(); r++) {
                row1 = rx.getPixels(0, r, x.getWidth(), 1, row1);
                row2 = ry.getPixels(0, r, y.getWidth(), 1, row2);
                if (!Arrays.equals(row1, row2)) {
                    return "different pixels in row " + r;
                }
            }
            return null;
        } catch (IOException | RuntimeException e) {
            LOG.debug("comparing {} and {} failed", a, b, e);
            return "cannot be compared: " + e.getMessage();
        }
    }

    private static List<String> converted(List<FileResult> results) {
        return results.stream().filter(r -> r.status() == FileStatus.CONVERTED).map(FileResult::output).sorted()
                .toList();
    }

    /** Deletes a folder tree (a comparison's temporary outputs). */
    public static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("Temporary folder {} could not be deleted completely: {}", root, e.getMessage());
        }
    }
}
