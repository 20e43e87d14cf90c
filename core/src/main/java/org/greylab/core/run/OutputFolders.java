package org.greylab.core.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Output folders that are not the user's: the run service's temporary ones (emptied before each run of a mode,
 * deleted after the run) and the bench's scratch folder.
 */
public final class OutputFolders {

    private static final Logger LOG = LoggerFactory.getLogger(OutputFolders.class);

    private OutputFolders() {
    }

    /** Deletes everything under {@code folder}, keeping the folder. */
    public static void empty(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return;
        }
        for (Path p : contents(folder)) {
            if (!p.equals(folder)) {
                Files.delete(p);
            }
        }
    }

    /** Deletes the folder and everything under it; a failure is logged, not thrown (the run's result stands). */
    public static void deleteTree(Path folder) {
        if (folder == null || !Files.exists(folder)) {
            return;
        }
        try {
            for (Path p : contents(folder)) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("Temporary folder {} could not be deleted completely: {}", folder, e.getMessage());
        }
    }

    /** Deepest first, so each folder is empty when its turn comes. */
    private static List<Path> contents(Path folder) throws IOException {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.sorted(Comparator.reverseOrder()).toList();
        }
    }
}
