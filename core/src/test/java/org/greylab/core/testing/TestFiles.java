package org.greylab.core.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.greylab.core.run.OutputFolders;

/**
 * Files the tests make in their own folders (a {@code @TempDir}): copies of the samples, and the damaged files a
 * batch must get past. Every method creates the target's parent folders and returns the target.
 */
public final class TestFiles {

    private TestFiles() {
    }

    /** Copies the sample {@code name} ({@link Samples#file}) to {@code target}, replacing what is there. */
    public static Path copySample(String name, Path target) throws IOException {
        return copy(Samples.file(name), target);
    }

    public static Path copy(Path source, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        return Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Copies {@code sources} into {@code folder} under their own file names; returns the folder. */
    public static Path copyInto(Path folder, Iterable<Path> sources) throws IOException {
        Files.createDirectories(folder);
        for (Path source : sources) {
            copy(source, folder.resolve(source.getFileName().toString()));
        }
        return folder;
    }

    /**
     * {@code count} copies of {@code source} in {@code folder}, named {@code copy-I-NAME} (I from 0): a batch of
     * many images of the same size. Returns the folder.
     */
    public static Path copies(Path source, int count, Path folder) throws IOException {
        Files.createDirectories(folder);
        for (int i = 0; i < count; i++) {
            copy(source, folder.resolve("copy-" + i + source.getFileName()));
        }
        return folder;
    }

    public static Path write(Path target, String text) throws IOException {
        Files.createDirectories(target.getParent());
        return Files.writeString(target, text);
    }

    /** An empty file (a zero-byte "photo"). */
    public static Path empty(Path target) throws IOException {
        Files.createDirectories(target.getParent());
        return Files.write(target, new byte[0]);
    }

    /** Plain text under an image's name ({@code fake.png}): no decoder can read it. */
    public static Path notAnImage(Path target) throws IOException {
        return write(target, "this is text, not a picture");
    }

    /** The first {@code keep} bytes of the sample {@code name}: a file cut short. */
    public static Path truncatedSample(String name, int keep, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        return Files.write(target, Arrays.copyOf(Samples.bytes(name), keep));
    }

    /** Every regular file under {@code root} (relative '/'-path, sorted) with its SHA-256. */
    public static Map<String, String> hashTree(Path root) throws IOException {
        Map<String, String> hashes = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                hashes.put(Samples.relative(root, f), sha256(f));
            }
        }
        return hashes;
    }

    public static String sha256(Path file) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Deletes a folder and everything in it, as a user might in the middle of a run (unchecked, for listeners): moved
     * aside in one step first, so that a run writing into it meanwhile finds it gone rather than half there.
     */
    public static void deleteTree(Path root) {
        Path aside = root.resolveSibling(root.getFileName() + ".deleted");
        try {
            Files.move(root, aside);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        OutputFolders.deleteTree(aside);
    }

    /** Writes {@code file} until its disk has no space left: the disk is then full (unchecked, for listeners). */
    public static void fill(Path file) {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            // what was wanted: no space left
        }
    }
}
