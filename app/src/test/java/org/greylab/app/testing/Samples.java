package org.greylab.app.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** The bundled sample photos, found through the repository folder that surefire passes. */
public final class Samples {

    private Samples() {
    }

    public static Path repo() {
        return Path.of(System.getProperty("greylab.repo.dir", "..")).toAbsolutePath().normalize();
    }

    public static Path folder() {
        return repo().resolve("assets/samples");
    }

    /** The sample image files (by extension), sorted by name. */
    public static List<Path> images() throws IOException {
        try (Stream<Path> files = Files.walk(folder())) {
            return files.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return n.matches(".*\\.(jpe?g|png|tiff?|bmp|gif|webp|psd)$");
            }).sorted().toList();
        }
    }

    /** The n smallest sample images. */
    public static List<Path> smallest(int n) throws IOException {
        return images().stream().sorted((a, b) -> Long.compare(size(a), size(b))).limit(n).toList();
    }

    public static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every file under {@code root}, relative, '/'-separated, sorted. */
    public static List<String> files(Path root) throws IOException {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .sorted().toList();
        }
    }
}
