package org.greylab.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.greylab.core.image.ImageFormat;
import org.greylab.core.job.BatchJournal;
import org.junit.jupiter.api.Assumptions;

/**
 * Where the tests' real photos are, the one place every module's tests find them: the repository's
 * {@code assets/samples}, always there, and the development corpus {@code ../shared/corpus-dev}, which a user's
 * clone does not have (a test that needs it skips through {@link #corpusOrSkip()}).
 *
 * <p>Surefire and failsafe pass {@code greylab.repo.dir} and {@code greylab.corpus.dir} (the parent pom); run from an
 * IDE without them, the repository is found walking up from the working folder, and the corpus beside it.
 */
public final class Samples {

    public static final String REPO_PROPERTY = "greylab.repo.dir";
    public static final String CORPUS_PROPERTY = "greylab.corpus.dir";

    private Samples() {
    }

    /** The repository's root folder: {@code greylab.repo.dir}, else the nearest folder above holding the samples. */
    public static Path repo() {
        String property = System.getProperty(REPO_PROPERTY);
        if (property != null) {
            Path repo = Path.of(property).toAbsolutePath().normalize();
            if (Files.isDirectory(repo.resolve("assets/samples"))) {
                return repo;
            }
        }
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("assets/samples"))) {
                return p;
            }
        }
        throw new IllegalStateException("assets/samples is neither under " + REPO_PROPERTY + " (" + property
                + ") nor in a folder above " + here);
    }

    /** {@code assets/samples}. */
    public static Path folder() {
        return repo().resolve("assets/samples");
    }

    /** A file of the samples, by its '/'-path under {@code assets/samples} ({@code "space/iss.png"}). */
    public static Path file(String name) {
        return folder().resolve(name);
    }

    public static byte[] bytes(String name) {
        try {
            return Files.readAllBytes(file(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every sample photo (an image by its extension, in any subfolder), sorted by '/'-path under the samples. */
    public static List<Path> images() throws IOException {
        return imagesUnder(folder());
    }

    /** The {@code n} smallest sample photos, smallest first. */
    public static List<Path> smallest(int n) throws IOException {
        return images().stream().sorted(Comparator.comparingLong(Samples::size)).limit(n).toList();
    }

    /** The largest sample photo. */
    public static Path biggest() throws IOException {
        return images().stream().max(Comparator.comparingLong(Samples::size)).orElseThrow();
    }

    public static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The development corpus when it is here: {@code greylab.corpus.dir}, else {@code ../shared/corpus-dev} beside
     * the repository. Empty in a user's clone.
     */
    public static Optional<Path> corpus() {
        String property = System.getProperty(CORPUS_PROPERTY);
        Path corpus = property != null ? Path.of(property) : repo().resolve("../shared/corpus-dev");
        corpus = corpus.toAbsolutePath().normalize();
        return Files.isDirectory(corpus) ? Optional.of(corpus) : Optional.empty();
    }

    /** The development corpus; skips the calling test (a JUnit assumption, never a failure) where it is absent. */
    public static Path corpusOrSkip() {
        Optional<Path> corpus = corpus();
        Assumptions.assumeTrue(corpus.isPresent(), "../shared/corpus-dev is not here (a user's clone): skipped");
        return corpus.orElseThrow();
    }

    /** Every image (by extension) under {@code root}, sorted by '/'-path under it. */
    public static List<Path> imagesUnder(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).filter(Samples::isImageName)
                    .sorted(Comparator.comparing(p -> relative(root, p))).toList();
        }
    }

    /** Whether the file name has an image extension Greylab reads ({@link ImageFormat#fromExtension}). */
    public static boolean isImageName(Path file) {
        return ImageFormat.fromExtension(file.getFileName().toString()).isPresent();
    }

    /**
     * Every file (of any kind but a folder) under {@code root}, as a '/'-path relative to it, sorted; empty when
     * there is no {@code root}. What a run wrote: its outputs, and any temporary file it left (not its journal,
     * {@code .greylab/}); a file that goes while the folder is read (a run still writing) is left out.
     */
    public static List<String> files(Path root) throws IOException {
        if (!Files.exists(root)) {
            return List.of();
        }
        List<String> files = new ArrayList<>();
        // not Files.walk: it throws when a file goes between listing and reading its attributes, and tests poll
        // folders that a run is writing, where temporary files are renamed all the while
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                // the batch journal is the run's record, not an output (the journal's own tests read it)
                return dir.getFileName().toString().equals(BatchJournal.FOLDER) ? FileVisitResult.SKIP_SUBTREE
                        : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                boolean folder = attrs.isDirectory() || attrs.isSymbolicLink() && Files.isDirectory(file);
                if (!folder) {
                    files.add(relative(root, file));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                return gone(e);
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                return e == null ? FileVisitResult.CONTINUE : gone(e);
            }

            private FileVisitResult gone(IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
        Collections.sort(files);
        return files;
    }

    /** {@code file}'s path under {@code root}, '/'-separated on every platform. */
    public static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }
}
