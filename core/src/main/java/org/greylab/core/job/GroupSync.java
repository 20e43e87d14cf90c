package org.greylab.core.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes written files durable in groups, with one {@link FileSystemSync} per file system for all the files written
 * since the last one. A writer writes its temporary file, asks {@link #afterSync} for its turn and goes on; a thread
 * of this class's own syncs whatever is waiting, at most every {@value #PERIOD_MILLIS} ms, and completes the
 * waiting futures, whose continuations (the journal's line, the rename) then run on it. Thousands of small outputs
 * thus cost a few dozen disk flushes a second instead of one each, and no writer waits for a flush.
 *
 * <p>The thread runs only while something waits, and ends when nothing is left.
 */
final class GroupSync {

    private static final Logger LOG = LoggerFactory.getLogger(GroupSync.class);
    /**
     * The least time between two syncs' starts: long enough that a group holds many small outputs (a serial run
     * writes a thumbnail about every millisecond), short enough that rows and progress still come in a steady flow.
     */
    static final long PERIOD_MILLIS = 20;

    private record Waiting(Path folder, CompletableFuture<Void> synced) {
    }

    private final FileSystemSync sync;
    private final String threadName;
    private final List<Waiting> waiting = new ArrayList<>();
    /** The file system of each folder seen, so that one sync serves every folder on it. */
    private final Map<Path, Object> fileSystems = new HashMap<>();
    private boolean running;
    private long lastStart;
    private int syncs;

    GroupSync(FileSystemSync sync, String threadName) {
        this.sync = sync;
        this.threadName = threadName;
        this.lastStart = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(PERIOD_MILLIS);
    }

    /** A future completed once everything written so far to {@code folder}'s file system is on disk. */
    synchronized CompletableFuture<Void> afterSync(Path folder) {
        CompletableFuture<Void> synced = new CompletableFuture<>();
        waiting.add(new Waiting(folder, synced));
        if (!running) {
            running = true;
            Thread thread = new Thread(this::run, threadName);
            thread.setDaemon(true);
            thread.start();
        }
        notifyAll();
        return synced;
    }

    /** Waits until every future handed out so far is completed and its continuations have run. */
    synchronized void awaitIdle() throws InterruptedException {
        while (running) {
            wait();
        }
    }

    /** How many syncs ran so far (one per file system per group). */
    synchronized int syncs() {
        return syncs;
    }

    private void run() {
        while (true) {
            List<Waiting> group;
            synchronized (this) {
                try {
                    long wait;
                    while ((wait = lastStart + TimeUnit.MILLISECONDS.toNanos(PERIOD_MILLIS) - System.nanoTime()) > 0) {
                        TimeUnit.NANOSECONDS.timedWait(this, wait);
                    }
                } catch (InterruptedException e) {
                    // no one interrupts this thread; should it happen, sync now rather than leave writers waiting
                    Thread.currentThread().interrupt();
                }
                if (waiting.isEmpty()) {
                    running = false;
                    notifyAll();
                    return;
                }
                group = new ArrayList<>(waiting);
                waiting.clear();
                lastStart = System.nanoTime();
            }
            syncGroup(group);
        }
    }

    private void syncGroup(List<Waiting> group) {
        Map<Object, List<Waiting>> byFileSystem = new LinkedHashMap<>();
        for (Waiting w : group) {
            byFileSystem.computeIfAbsent(fileSystemOf(w.folder()), k -> new ArrayList<>()).add(w);
        }
        for (List<Waiting> same : byFileSystem.values()) {
            IOException failure = null;
            try {
                sync.sync(same.get(0).folder());
            } catch (IOException e) {
                failure = e;
                LOG.debug("sync of {} failed", same.get(0).folder(), e);
            } catch (RuntimeException e) {
                failure = new IOException("the disk sync failed: " + e, e);
                LOG.debug("sync of {} failed", same.get(0).folder(), e);
            }
            synchronized (this) {
                syncs++;
            }
            for (Waiting w : same) {
                if (failure == null) {
                    w.synced().complete(null);
                } else {
                    w.synced().completeExceptionally(failure);
                }
            }
        }
    }

    /** The folder's device id, or the folder itself where the file system does not say (each then synced alone). */
    private Object fileSystemOf(Path folder) {
        return fileSystems.computeIfAbsent(folder, f -> {
            try {
                return Files.getAttribute(f, "unix:dev");
            } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
                return f;
            }
        });
    }
}
