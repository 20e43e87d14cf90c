package org.greylab.core.job;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Keeps every output inside the output folder, whatever names and links the disk holds. */
public final class OutputPaths {

    private OutputPaths() {
    }

    /**
     * Checks that a '/'-separated relative output path names something strictly inside {@code root}: no absolute
     * path, no empty, "." or ".." segment, and (for names another system would read differently, such as
     * backslashes or drive letters on Windows) still inside once the platform has normalised it.
     *
     * @throws IllegalArgumentException when it does not
     */
    public static Path resolveInside(Path root, String relative) {
        if (relative == null || relative.isEmpty() || relative.startsWith("/")) {
            throw new IllegalArgumentException("output path is not a plain relative path: " + relative);
        }
        for (String segment : relative.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("output path leaves the output folder: " + relative);
            }
        }
        Path base = root.toAbsolutePath().normalize();
        Path target = base.resolve(relative.replace("/", root.getFileSystem().getSeparator())).normalize();
        if (!target.startsWith(base) || target.equals(base)) {
            throw new IllegalArgumentException("output path leaves the output folder: " + relative);
        }
        return target;
    }

    /**
     * Creates (where missing) the folder that will hold {@code relative}, one level at a time, and checks at
     * every level that the folder really is inside the output folder once links are followed: a link in the
     * output tree that points elsewhere is refused rather than written through.
     *
     * @return the real path of that folder
     * @throws IOException when it cannot be created, or leads outside the output folder
     */
    public static Path ensureParentInside(Path realRoot, String relative) throws IOException {
        String[] segments = relative.split("/");
        Path current = realRoot;
        for (int i = 0; i < segments.length - 1; i++) {
            Path next = current.resolve(segments[i]);
            if (!Files.exists(next)) {
                try {
                    Files.createDirectory(next);
                } catch (FileAlreadyExistsException raced) {
                    // another thread made it first; checked below like any existing folder
                }
            }
            Path real = next.toRealPath();
            if (!real.startsWith(realRoot)) {
                throw new IOException("the folder " + String.join("/", java.util.Arrays.copyOf(segments, i + 1))
                        + " in the output folder is a link that leads outside it");
            }
            if (!Files.isDirectory(real)) {
                throw new IOException(String.join("/", java.util.Arrays.copyOf(segments, i + 1))
                        + " in the output folder is a file, not a folder");
            }
            current = real;
        }
        return current;
    }
}
