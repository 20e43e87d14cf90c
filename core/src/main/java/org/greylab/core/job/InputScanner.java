package org.greylab.core.job;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.greylab.core.image.ImageFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the images of a batch in folders (recursively by default) and single files. Symbolic links are followed;
 * a link that leads back into a folder being scanned is reported as skipped instead of looping. Hidden files and
 * folders (names starting with '.'), files that are not images, and anything inside the output folder are
 * skipped with a reason; nothing here is ever fatal except an input that does not exist.
 *
 * <p>A file is an image candidate when its extension or its first {@link ImageFormat#SNIFF_BYTES} bytes say so.
 */
public final class InputScanner {

    private static final Logger LOG = LoggerFactory.getLogger(InputScanner.class);

    private final boolean recursive;
    private final Path outputFolder;

    /**
     * @param recursive    whether sub-folders of an input folder are scanned
     * @param outputFolder the batch's output folder, whose contents are never inputs; null for none
     */
    public InputScanner(boolean recursive, Path outputFolder) {
        this.recursive = recursive;
        this.outputFolder = outputFolder == null ? null : realOrAbsolute(outputFolder);
    }

    /**
     * Scans the inputs, in the order given; the result is sorted.
     *
     * @throws BatchSetupException when there is no input, or an input does not exist
     */
    public ScanResult scan(List<Path> inputs) throws BatchSetupException {
        if (inputs.isEmpty()) {
            throw new BatchSetupException("No input given: name at least one folder or image file.");
        }
        List<Path> roots = new ArrayList<>();
        for (Path input : inputs) {
            Path root = input.toAbsolutePath().normalize();
            if (!Files.exists(root)) {
                throw new BatchSetupException("Input not found: " + input + " (check the path; quote names with spaces).");
            }
            roots.add(root);
        }
        Map<Path, String> labels = rootLabels(roots);
        Collector collector = new Collector();
        for (Path root : roots) {
            String prefix = roots.size() > 1 ? labels.get(root) : null;
            if (Files.isDirectory(root)) {
                walk(root, prefix, collector);
            } else {
                // a file named on the command line: its own name is its relative path, with no folder prefix
                collector.file(root, root.getFileName().toString(), true);
            }
        }
        collector.images.sort(Comparator.comparing(ScannedImage::relativePath, NaturalOrder.INSTANCE));
        collector.skipped.sort(Comparator.comparing(FileResult::input, NaturalOrder.INSTANCE));
        LOG.debug("scanned {} root(s): {} image candidate(s), {} skipped", roots.size(), collector.images.size(),
                collector.skipped.size());
        return new ScanResult(roots, collector.images, collector.skipped);
    }

    /** The name each root is prefixed by when there are several: its own name, made unique with " (2)", ... */
    private static Map<Path, String> rootLabels(List<Path> roots) {
        Map<Path, String> labels = new HashMap<>();
        Set<String> used = new HashSet<>();
        for (Path root : roots) {
            String name = root.getFileName() == null ? "root" : root.getFileName().toString();
            String label = name;
            for (int n = 2; !used.add(label.toLowerCase(java.util.Locale.ROOT)); n++) {
                label = name + " (" + n + ")";
            }
            labels.put(root, label);
        }
        return labels;
    }

    private void walk(Path root, String prefix, Collector collector) throws BatchSetupException {
        if (isInsideOutput(root)) {
            collector.skip(prefix == null ? root.getFileName().toString() : prefix, "inside the output folder", 0);
            return;
        }
        int depth = recursive ? Integer.MAX_VALUE : 1;
        try {
            Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), depth, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (dir.equals(root)) {
                        return FileVisitResult.CONTINUE;
                    }
                    if (dir.getFileName().toString().equals(BatchJournal.FOLDER)) {
                        // a batch journal (this folder was an output folder): Greylab's own, not worth listing
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    String rel = relative(root, dir, prefix);
                    if (isHidden(dir)) {
                        collector.skip(rel + "/", "hidden folder (not scanned)", 0);
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    if (isInsideOutput(dir)) {
                        collector.skip(rel + "/", "the output folder (not scanned)", 0);
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isDirectory()) {
                        // a sub-folder at the depth limit of a non-recursive scan
                        return FileVisitResult.CONTINUE;
                    }
                    String rel = relative(root, file, prefix);
                    if (isHidden(file)) {
                        collector.skip(rel, "hidden file", attrs.size());
                    } else if (attrs.isSymbolicLink()) {
                        collector.skip(rel, "broken symbolic link (its target does not exist)", 0);
                    } else if (isInsideOutput(file)) {
                        collector.skip(rel, "inside the output folder", attrs.size());
                    } else {
                        collector.file(file, rel, false);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    String rel = relative(root, file, prefix);
                    if (e instanceof FileSystemLoopException) {
                        collector.skip(rel + "/", "symbolic link loop: it leads back to a folder already being scanned", 0);
                    } else {
                        collector.skip(rel, "could not be read: " + describe(e), 0);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) {
                    if (e != null) {
                        collector.skip(relative(root, dir, prefix) + "/", "folder could not be read completely: "
                                + describe(e), 0);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new BatchSetupException("Input folder " + root + " could not be scanned: " + describe(e), e);
        }
    }

    private boolean isInsideOutput(Path path) {
        return outputFolder != null && realOrAbsolute(path).startsWith(outputFolder);
    }

    private static String relative(Path root, Path path, String prefix) {
        String rel = root.relativize(path).toString().replace(path.getFileSystem().getSeparator(), "/");
        if (prefix == null) {
            return rel.isEmpty() ? root.getFileName().toString() : rel;
        }
        return rel.isEmpty() ? prefix : prefix + "/" + rel;
    }

    private static boolean isHidden(Path path) {
        Path name = path.getFileName();
        if (name != null && name.toString().startsWith(".")) {
            return true;
        }
        try {
            return Files.isHidden(path);
        } catch (IOException e) {
            return false;
        }
    }

    static Path realOrAbsolute(Path path) {
        Path abs = path.toAbsolutePath().normalize();
        // the output folder may not exist yet: resolve the part that does, so links in it are seen through
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return abs;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(abs)).normalize();
        } catch (IOException e) {
            return abs;
        }
    }

    /** An I/O error in words: the reason the system gives, without the exception's class. */
    public static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "it no longer exists";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }

    /** Gathers rows; also drops a file reached twice (two roots that overlap, or two links to one file). */
    private static final class Collector {
        final List<ScannedImage> images = new ArrayList<>();
        final List<FileResult> skipped = new ArrayList<>();
        final Set<Path> seen = new HashSet<>();

        void skip(String rel, String reason, long size) {
            skipped.add(FileResult.skipped(rel, reason, size));
        }

        void file(Path file, String rel, boolean namedByUser) {
            BasicFileAttributes attrs;
            try {
                attrs = Files.readAttributes(file, BasicFileAttributes.class);
            } catch (IOException e) {
                skip(rel, "could not be read: " + describe(e), 0);
                return;
            }
            if (!attrs.isRegularFile()) {
                skip(rel, "not a regular file", 0);
                return;
            }
            try {
                if (!seen.add(file.toRealPath())) {
                    LOG.debug("{} was already reached through another input or link", rel);
                    return;
                }
            } catch (IOException e) {
                skip(rel, "could not be read: " + describe(e), attrs.size());
                return;
            }
            Optional<ImageFormat> byName = ImageFormat.fromExtension(file.getFileName().toString());
            Optional<ImageFormat> byContent;
            try (InputStream in = Files.newInputStream(file)) {
                byContent = ImageFormat.sniff(in.readNBytes(ImageFormat.SNIFF_BYTES));
            } catch (IOException e) {
                if (byName.isEmpty()) {
                    skip(rel, "could not be read: " + describe(e), attrs.size());
                    return;
                }
                byContent = Optional.empty();
            }
            if (byContent.isPresent()) {
                images.add(new ScannedImage(file, rel, attrs.size(), byContent.get(), true));
            } else if (byName.isPresent()) {
                images.add(new ScannedImage(file, rel, attrs.size(), byName.get(), false));
            } else {
                skip(rel, namedByUser ? "not an image (neither its name nor its content says so)" : "not an image",
                        attrs.size());
            }
        }
    }
}
