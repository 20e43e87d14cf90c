package org.greylab.core.stats;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.greylab.core.job.FileResult;
import org.greylab.core.job.FileStatus;

/**
 * Whether two runs wrote the same outputs: the same file names, and for each file the same decoded pixels (and,
 * stricter, the same bytes: bytes may differ between runtimes, pixels may not). Every mode must give one answer;
 * the run service checks it after each Compare, the bench after every mode.
 */
public final class OutputComparison {

    /**
     * @param identicalNames  both runs wrote the same relative file names
     * @param identicalPixels every file decodes to the same size and samples in both
     * @param identicalBytes  every file has the same bytes in both
     * @param filesCompared   files present in both and compared
     * @param differences     what differs, in words (empty when identical)
     */
    public record Result(boolean identicalNames, boolean identicalPixels, boolean identicalBytes,
                         int filesCompared, List<String> differences) {

        public Result {
            differences = List.copyOf(differences);
        }

        public boolean identical() {
            return identicalNames && identicalPixels;
        }
    }

    private OutputComparison() {
    }

    /** Compares every regular, non-hidden file under {@code a} with its namesake under {@code b}. */
    public static Result compare(Path a, Path b) throws IOException {
        return compare(a, files(a), b, files(b));
    }

    /**
     * Compares the outputs two runs of one plan converted: {@code reference} wrote under {@code referenceRoot},
     * {@code other} under {@code otherRoot}. Only the files these rows name count, so a folder that also holds
     * older outputs compares as the runs did.
     */
    public static Result compare(Path referenceRoot, List<FileResult> reference, Path otherRoot,
                                 List<FileResult> other) throws IOException {
        return compare(referenceRoot, converted(reference), otherRoot, converted(other));
    }

    private static Result compare(Path a, SortedSet<String> namesA, Path b, SortedSet<String> namesB)
            throws IOException {
        List<String> differences = new ArrayList<>();
        boolean names = namesA.equals(namesB);
        if (!names) {
            Set<String> onlyA = new TreeSet<>(namesA);
            onlyA.removeAll(namesB);
            Set<String> onlyB = new TreeSet<>(namesB);
            onlyB.removeAll(namesA);
            if (!onlyA.isEmpty()) {
                differences.add("only in " + a + ": " + String.join(", ", onlyA));
            }
            if (!onlyB.isEmpty()) {
                differences.add("only in " + b + ": " + String.join(", ", onlyB));
            }
        }
        boolean pixels = true;
        boolean bytes = true;
        int compared = 0;
        for (String name : namesA) {
            if (!namesB.contains(name)) {
                continue;
            }
            compared++;
            Path fa = a.resolve(name);
            Path fb = b.resolve(name);
            if (Arrays.equals(Files.readAllBytes(fa), Files.readAllBytes(fb))) {
                continue;
            }
            bytes = false;
            String pixelDifference = pixelDifference(fa, fb);
            if (pixelDifference != null) {
                pixels = false;
                differences.add(name + ": " + pixelDifference);
            }
        }
        return new Result(names, pixels, bytes, compared, differences);
    }

    private static SortedSet<String> files(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return new TreeSet<>();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            // hidden files and folders (the batch journal's .greylab/ among them) are no one's output
            return walk.filter(Files::isRegularFile)
                    .filter(p -> !hidden(root.relativize(p)))
                    .map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static boolean hidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static SortedSet<String> converted(List<FileResult> results) {
        return results.stream().filter(r -> r.status() == FileStatus.CONVERTED).map(FileResult::output)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Null when both files decode to the same pixels, else what differs. */
    public static String pixelDifference(Path a, Path b) throws IOException {
        BufferedImage ia = ImageIO.read(a.toFile());
        BufferedImage ib = ImageIO.read(b.toFile());
        if (ia == null || ib == null) {
            return "cannot be decoded to compare";
        }
        if (ia.getWidth() != ib.getWidth() || ia.getHeight() != ib.getHeight()) {
            return "sizes differ: " + ia.getWidth() + "x" + ia.getHeight() + " vs " + ib.getWidth() + "x"
                    + ib.getHeight();
        }
        Raster ra = ia.getRaster();
        Raster rb = ib.getRaster();
        if (ra.getNumBands() != rb.getNumBands()) {
            return "channels differ: " + ra.getNumBands() + " vs " + rb.getNumBands();
        }
        int w = ia.getWidth();
        int[] rowA = null;
        int[] rowB = null;
        for (int y = 0; y < ia.getHeight(); y++) {
            rowA = ra.getPixels(0, y, w, 1, rowA);
            rowB = rb.getPixels(0, y, w, 1, rowB);
            if (!Arrays.equals(rowA, rowB)) {
                return "pixels differ in row " + y;
            }
        }
        return null;
    }
}
