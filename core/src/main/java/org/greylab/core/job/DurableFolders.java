package org.greylab.core.job;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The folders outputs were renamed into, made durable in batches: an fsync of a folder makes the names in it survive
 * a power loss. One per output would cost a disk flush per image (a folder of 5,000 thumbnails would spend more time
 * syncing than converting), so a folder is synced at most about once a second while a run writes, and once more
 * when the run ends.
 */
final class DurableFolders {

    private static final Logger LOG = LoggerFactory.getLogger(DurableFolders.class);
    private static final long SYNC_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Set<Path> changed = ConcurrentHashMap.newKeySet();
    private volatile long lastSync = System.nanoTime();

    /** {@code folder} has a new name in it; syncs every changed folder when the last sync is a second old. */
    void changed(Path folder) {
        changed.add(folder);
        if (System.nanoTime() - lastSync >= SYNC_PERIOD_NANOS) {
            syncAll();
        }
    }

    /** Syncs every folder that changed since the last sync. */
    synchronized void syncAll() {
        lastSync = System.nanoTime();
        List<Path> folders = new ArrayList<>(changed);
        changed.removeAll(folders);
        for (Path folder : folders) {
            try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
                dir.force(true);
            } catch (IOException | UnsupportedOperationException e) {
                // some file systems cannot open or sync a folder: the files themselves are on disk all the same
                LOG.debug("folder {} not synced: {}", folder, e.toString());
            }
        }
    }
}
