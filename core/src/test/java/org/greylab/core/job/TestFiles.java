package org.greylab.core.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Real files for the batch tests: the repository's samples, copies of them, and damaged variants. */
public final class TestFiles {

    private TestFiles() {
    }

    public static Path repoDir() {
        return Path.of(System.getProperty("greylab.repo.dir", "..")).toAbsolutePath().normalize();
    }

    public static Path samples() {
        return repoDir().resolve("assets/samples");
    }

    public static Path sample(String name) {
        return samples().resolve(name);
    }

    /** Copies a sample to {@code target} (folders created), returning the target. */
    public static Path copySample(String name, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        return Files.copy(sample(name), target, StandardCopyOption.REPLACE_EXISTING);
    }

    public static Path write(Path target, String text) throws IOException {
        Files.createDirectories(target.getParent());
        return Files.writeString(target, text);
    }

    /** The first {@code keep} bytes of a sample: a truncated file. */
    public static Path truncatedSample(String name, int keep, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        byte[] all = Files.readAllBytes(sample(name));
        return Files.write(target, java.util.Arrays.copyOf(all, keep));
    }

    /** Every regular file under {@code root} (relative '/'-path, sorted) with its SHA-256. */
    public static Map<String, String> hashTree(Path root) throws IOException {
        Map<String, String> hashes = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                hashes.put(root.relativize(f).toString().replace('\\', '/'), sha256(f));
            }
        }
        return hashes;
    }

    /** Every file (any kind) under {@code root}, as relative '/'-paths, sorted. */
    public static List<String> listTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> !p.equals(root)).filter(p -> !Files.isDirectory(p))
                    .map(p -> root.relativize(p).toString().replace('\\', '/')).sorted().toList();
        }
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
}
