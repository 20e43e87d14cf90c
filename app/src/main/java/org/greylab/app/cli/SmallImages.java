package org.greylab.app.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.greylab.core.image.SyntheticPhoto;

/** A folder of small photo-like PNGs, for measuring what dispatching a task costs apart from converting it. */
final class SmallImages {

    /** About the size of a thumbnail: its conversion takes well under a millisecond once compiled. */
    static final int WIDTH = 96;
    static final int HEIGHT = 72;

    private SmallImages() {
    }

    /** Writes {@code count} different small PNGs into {@code folder} (created if needed) and returns it. */
    static Path write(Path folder, int count) throws IOException {
        Files.createDirectories(folder);
        for (int i = 0; i < count; i++) {
            Path file = folder.resolve(String.format(Locale.ROOT, "small-%04d.png", i));
            Files.write(file, SyntheticPhoto.png(WIDTH, HEIGHT, i));
        }
        return folder;
    }
}
