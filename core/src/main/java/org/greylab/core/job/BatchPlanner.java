package org.greylab.core.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.greylab.core.image.ConversionSettings;
import org.greylab.core.image.ImageFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns inputs into a {@link BatchPlan}: scans them, mirrors their relative tree under the output folder, and fixes
 * every output name before anything runs, so every mode and every retry writes the same names.
 *
 * <p>Naming: same base name; the original extension when it already names the output format ({@code x.JPEG}
 * stays {@code x.JPEG}), the format's usual one otherwise. Names are unique case-insensitively within the batch,
 * so the tree is portable: {@code a.jpg} and {@code a.png} in one folder become {@code a.png} and
 * {@code a (1).png}, in list order. Files already on disk follow the {@link OverwritePolicy}.
 *
 * <p>Planning writes nothing ({@code --dry-run} relies on it); {@link #prepareOutputFolder} creates the folder.
 */
public final class BatchPlanner {

    private static final Logger LOG = LoggerFactory.getLogger(BatchPlanner.class);
    /** How old a temporary output file must be to count as left over by a run that was killed. */
    private static final long LEFTOVER_AGE_MILLIS = 60_000;

    /** Suffix of the default output folder, a sibling of the first input folder. */
    public static final String DEFAULT_OUTPUT_SUFFIX = "-grey";

    /**
     * The default output folder: the sibling {@code <name>-grey} of the first input folder; for a file, of the
     * folder holding it.
     */
    public static Path defaultOutputFolder(List<Path> inputs) throws BatchSetupException {
        if (inputs.isEmpty()) {
            throw new BatchSetupException("No input given: name at least one folder or image file.");
        }
        Path first = inputs.get(0).toAbsolutePath().normalize();
        Path folder = Files.isDirectory(first) ? first : first.getParent();
        if (folder == null || folder.getFileName() == null || folder.getParent() == null) {
            throw new BatchSetupException("There is no folder beside " + first
                    + " to put the output in. Choose an output folder.");
        }
        return folder.resolveSibling(folder.getFileName() + DEFAULT_OUTPUT_SUFFIX);
    }

    /**
     * Scans and plans.
     *
     * @param output the output folder, or null for {@link #defaultOutputFolder}
     * @throws BatchSetupException when an input is missing, or the output folder is unusable (see
     *                             {@link #plan(ScanResult, Path, ConversionSettings, OverwritePolicy)})
     */
    public BatchPlan plan(List<Path> inputs, Path output, ConversionSettings settings, OverwritePolicy policy,
                          boolean recursive) throws BatchSetupException {
        Path outputRoot = (output == null ? defaultOutputFolder(inputs) : output).toAbsolutePath().normalize();
        checkNoOverlap(inputs, outputRoot);
        ScanResult scan = new InputScanner(recursive, outputRoot).scan(inputs);
        return plan(scan, outputRoot, settings, policy);
    }

    /**
     * Plans a scanned batch without writing anything.
     *
     * @throws BatchSetupException when the output folder is an input folder or holds one, exists as a file, sits
     *                             under a file, cannot be written, or its disk has less free space than the inputs
     *                             take (the least a grey copy of them needs)
     */
    public BatchPlan plan(ScanResult scan, Path output, ConversionSettings settings, OverwritePolicy policy)
            throws BatchSetupException {
        return plan(scan, output, settings, policy, Map.of());
    }

    /**
     * Plans a scanned batch that an earlier run of it has begun (a resume): an image named in {@code fixedNames}
     * (by its relative path) keeps the output name that run gave it, whatever is on disk now, and is planned
     * even under policy SKIP; the other images are named around those names as the first run named them.
     */
    public BatchPlan plan(ScanResult scan, Path output, ConversionSettings settings, OverwritePolicy policy,
                          Map<String, String> fixedNames) throws BatchSetupException {
        Path outputRoot = output.toAbsolutePath().normalize();
        checkNoOverlap(scan.roots(), outputRoot);
        checkWritable(outputRoot);

        List<ImageJob> jobs = new ArrayList<>();
        List<FileResult> skipped = new ArrayList<>(scan.skipped());
        Set<String> taken = new HashSet<>();
        for (ScannedImage image : scan.images()) {
            String fixed = fixedNames.get(image.relativePath());
            if (fixed != null) {
                taken.add(key(fixed));
            }
        }
        for (ScannedImage image : scan.images()) {
            String fixed = fixedNames.get(image.relativePath());
            if (fixed != null) {
                OutputPaths.resolveInside(outputRoot, fixed);
                jobs.add(new ImageJob(jobs.size(), image.source(), image.relativePath(), fixed, image.sizeBytes(),
                        image.format()));
                continue;
            }
            String wanted = outputName(image, settings);
            String chosen = wanted;
            for (int n = 1; ; n++) {
                boolean free = !taken.contains(key(chosen))
                        && (policy != OverwritePolicy.RENAME || !existsOnDisk(outputRoot, chosen));
                if (free) {
                    break;
                }
                chosen = numbered(wanted, n);
            }
            taken.add(key(chosen));
            OutputPaths.resolveInside(outputRoot, chosen);
            if (policy == OverwritePolicy.SKIP && existsOnDisk(outputRoot, chosen)
                    && OutputCompleteness.looksComplete(OutputPaths.resolveInside(outputRoot, chosen))) {
                skipped.add(FileResult.skipped(image.relativePath(),
                        "output exists: " + chosen + " (overwrite policy: skip)", image.sizeBytes()));
                continue;
            }
            jobs.add(new ImageJob(jobs.size(), image.source(), image.relativePath(), chosen, image.sizeBytes(),
                    image.format()));
        }
        skipped.sort(Comparator.comparing(FileResult::input, NaturalOrder.INSTANCE));
        BatchPlan plan = new BatchPlan(scan.roots(), outputRoot, settings, policy, jobs, skipped);
        checkFreeSpace(plan);
        return plan;
    }

    /**
     * Creates the output folder, proves it can be written (a probe file, deleted at once), and removes the
     * temporary files ({@code .greylab-*.part}) that an earlier run killed mid-write left in it. Call it after
     * planning and before running; a dry run never calls it.
     *
     * @return the leftover temporary files it removed, for the caller to list
     */
    public static List<Path> prepareOutputFolder(BatchPlan plan) throws BatchSetupException {
        Path root = plan.outputRoot();
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new BatchSetupException("The output folder " + root + " cannot be created ("
                    + InputScanner.describe(e) + "). Choose another output folder.", e);
        }
        try {
            Path probe = Files.createTempFile(root, ".greylab-probe-", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw new BatchSetupException("The output folder " + root + " cannot be written ("
                    + InputScanner.describe(e) + "). Choose another output folder.", e);
        }
        return removeLeftovers(root);
    }

    /**
     * Temporary output files under {@code root} last written over a minute ago: a write takes milliseconds, so such
     * a file belongs to a run that was killed (another run writing into the same folder now is left alone).
     */
    private static List<Path> removeLeftovers(Path root) {
        return removeLeftovers(root, false);
    }

    /**
     * Removes the temporary output files under {@code root}: those over a minute old, or all of them when
     * {@code whateverTheirAge} (the caller holds the folder's batch lock, so no live run is writing any of them).
     *
     * @return the files removed, for the caller to list
     */
    public static List<Path> removeLeftovers(Path root, boolean whateverTheirAge) {
        long before = whateverTheirAge ? Long.MAX_VALUE : System.currentTimeMillis() - LEFTOVER_AGE_MILLIS;
        List<Path> removed = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            List<Path> leftovers = files.filter(f -> {
                String name = f.getFileName().toString();
                return name.startsWith(ImagePipeline.TEMPORARY_PREFIX) && name.endsWith(ImagePipeline.TEMPORARY_SUFFIX)
                        && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS);
            }).toList();
            for (Path leftover : leftovers) {
                try {
                    if (Files.getLastModifiedTime(leftover, LinkOption.NOFOLLOW_LINKS).toMillis() < before
                            && Files.deleteIfExists(leftover)) {
                        removed.add(leftover);
                    }
                } catch (IOException e) {
                    LOG.debug("leftover {} not removed: {}", leftover, e.toString());
                }
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.debug("leftovers under {} not looked for: {}", root, e.toString());
        }
        if (!removed.isEmpty()) {
            LOG.info("removed {} temporary file(s) of an interrupted run under {}", removed.size(), root);
        }
        return removed;
    }

    /** The output path an image wants before de-duplication: its relative folder, base name and extension. */
    static String outputName(ScannedImage image, ConversionSettings settings) {
        String rel = image.relativePath();
        int slash = rel.lastIndexOf('/');
        String folder = slash < 0 ? "" : rel.substring(0, slash + 1);
        String name = rel.substring(slash + 1);
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        String extension = dot > 0 ? name.substring(dot + 1) : "";
        ImageFormat out = settings.format().resolve(image.format());
        String newExtension = !extension.isEmpty() && out.hasExtension(extension) ? extension
                : out.canonicalExtension();
        return folder + base + "." + newExtension;
    }

    /** {@code a/b.png} with n=2 becomes {@code a/b (2).png}. */
    static String numbered(String path, int n) {
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        if (dot <= slash + 1) {
            return path + " (" + n + ")";
        }
        return path.substring(0, dot) + " (" + n + ")" + path.substring(dot);
    }

    private static String key(String path) {
        return path.toLowerCase(Locale.ROOT);
    }

    private static boolean existsOnDisk(Path root, String relative) {
        return Files.exists(OutputPaths.resolveInside(root, relative), LinkOption.NOFOLLOW_LINKS);
    }

    private static void checkNoOverlap(List<Path> inputs, Path outputRoot) throws BatchSetupException {
        Path out = InputScanner.realOrAbsolute(outputRoot);
        for (Path input : inputs) {
            Path in = InputScanner.realOrAbsolute(input);
            if (in.equals(out)) {
                throw new BatchSetupException("The output folder " + outputRoot + " is the input " + input
                        + " itself. Choose another output folder.");
            }
            if (in.startsWith(out)) {
                throw new BatchSetupException("The output folder " + outputRoot + " contains the input " + input
                        + ": outputs could replace inputs. Choose an output folder outside the inputs.");
            }
        }
    }

    private static void checkWritable(Path outputRoot) throws BatchSetupException {
        if (Files.exists(outputRoot) && !Files.isDirectory(outputRoot)) {
            throw new BatchSetupException("The output folder " + outputRoot
                    + " exists and is a file, not a folder. Choose another output folder.");
        }
        Path existing = outputRoot;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            throw new BatchSetupException("The output folder " + outputRoot + " cannot be created: "
                    + (existing == null ? "no part of its path exists" : existing + " is a file, not a folder")
                    + ". Choose another output folder.");
        }
        if (!Files.isWritable(existing)) {
            throw new BatchSetupException("The output folder " + outputRoot + " cannot be written: " + existing
                    + " is read-only for you. Choose another output folder.");
        }
    }

    /**
     * Refuses a batch whose disk has less free space than its inputs take: a grey copy rarely needs less (a grey
     * PNG of a JPEG photo often needs two or three times as much), so this catches the hopeless cases up front;
     * a disk that fills up later fails the images that no longer fit, at stage write, leaving no partial file.
     */
    private static void checkFreeSpace(BatchPlan plan) throws BatchSetupException {
        Path existing = plan.outputRoot();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return;
        }
        long needed = plan.totalInputBytes();
        try {
            FileStore store = Files.getFileStore(existing);
            long usable = store.getUsableSpace();
            if (usable < needed) {
                throw new BatchSetupException(String.format(Locale.ROOT,
                        "Not enough free space for the output folder %s: %s free, the inputs alone take %s. "
                                + "Free some space or choose another output folder.",
                        plan.outputRoot(), humanBytes(usable), humanBytes(needed)));
            }
            if (usable < 3 * needed) {
                LOG.warn("Free space on the output disk ({}) may run short: grey outputs can take up to about "
                        + "three times the inputs ({})", humanBytes(usable), humanBytes(needed));
            }
        } catch (IOException e) {
            LOG.debug("could not read the free space of {}: {}", existing, e.toString());
        }
    }

    /** "1.2 MB"-style size (decimal units). */
    public static String humanBytes(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB", "PB"};
        double v = bytes;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
