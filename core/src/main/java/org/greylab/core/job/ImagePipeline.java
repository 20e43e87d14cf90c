package org.greylab.core.job;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import org.greylab.core.image.ConversionException;
import org.greylab.core.image.ConversionResult;
import org.greylab.core.image.GreyscaleKernel;
import org.greylab.core.image.Stage;
import org.greylab.core.image.StageTimings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's side of one image, shared by every strategy: read the input's bytes, and write an output
 * atomically under the output folder. Serial mode also runs the kernel here; the distributed modes run it on
 * an engine between {@link #readInput} and {@link #writeOutput}. Thread-safe: strategies may call it from many
 * threads at once.
 *
 * <p>Writing: the bytes go to a hidden temporary file ({@code .greylab-*.part}) in the output's own folder, which
 * is then moved over the planned name in one atomic step; whatever fails, the temporary file is removed, so no
 * partial file is ever left under any name. Every folder on the way is checked to be inside the output folder
 * after links are followed. Inputs are only ever opened for reading, and an output that would land on its own
 * input is refused.
 */
public final class ImagePipeline {

    private static final Logger LOG = LoggerFactory.getLogger(ImagePipeline.class);

    /** Inputs above this cannot be held in one byte array. */
    private static final long MAX_INPUT_BYTES = Integer.MAX_VALUE - 16;

    private final GreyscaleKernel kernel;
    private final BatchJournal journal;
    /** Outputs this pipeline wrote: writing one of them again (a retried task) replaces it harmlessly. */
    private final Set<Path> written = ConcurrentHashMap.newKeySet();
    private final DurableFolders folders = new DurableFolders();
    /** Syncs outputs' bytes in groups, or null where each output is forced to disk by itself (Java 17). */
    private final GroupSync groupSync;
    /** Whether a write has found (or made) the output folder: from then on, a missing one was deleted. */
    private volatile boolean rootSeen;

    /** What the temporary files of outputs being written are called: {@code .greylab-<random>.part}. */
    public static final String TEMPORARY_PREFIX = ".greylab-";
    public static final String TEMPORARY_SUFFIX = ".part";

    public ImagePipeline(GreyscaleKernel kernel) {
        this(kernel, BatchJournal.NONE);
    }

    /** A pipeline that records each output in {@code journal} just before renaming it into place. */
    public ImagePipeline(GreyscaleKernel kernel, BatchJournal journal) {
        this(kernel, journal, FileSystemSync.available());
    }

    /** A pipeline whose outputs are synced in groups by {@code sync}, or each forced to disk when it is null. */
    ImagePipeline(GreyscaleKernel kernel, BatchJournal journal, FileSystemSync sync) {
        this.kernel = kernel;
        this.journal = Objects.requireNonNull(journal, "journal");
        this.groupSync = sync == null ? null : new GroupSync(sync, "greylab-output-sync");
    }

    public GreyscaleKernel kernel() {
        return kernel;
    }

    /** Reads the whole input file (stage READ). Never modifies it. */
    public byte[] readInput(ImageJob job) throws ConversionException {
        try {
            long size = Files.size(job.source());
            if (size == 0) {
                throw new ConversionException(Stage.READ, "the file is empty (0 bytes)");
            }
            if (size > MAX_INPUT_BYTES) {
                throw new ConversionException(Stage.READ, "the file is too large to convert (" + size + " bytes)");
            }
            return Files.readAllBytes(job.source());
        } catch (IOException e) {
            throw new ConversionException(Stage.READ, "the file could not be read: " + InputScanner.describe(e), e);
        }
    }

    /**
     * Writes a converted image to its planned output path: a temporary file in the same folder, then an atomic
     * move, so no partial file is ever seen under the output name. Running this twice for one job is harmless.
     * Blocks until the output is in place; {@link #writeOutputAsync} does not wait for the disk's sync.
     *
     * @return the converted row, or a failed row at stage WRITE
     * @throws OutputUnavailableException when no output of the batch can be written any more (a full disk)
     */
    public FileResult writeOutput(BatchPlan plan, ImageJob job, ConversionResult result, StageTimings timings,
                                  TaskTrace trace) {
        try {
            return writeOutputAsync(plan, job, result, timings, trace).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * Writes a converted image's bytes to a temporary file beside its planned output path in the calling thread,
     * and completes the row once the file is renamed into place: at once where each output is forced to disk by
     * itself, or after the next group sync (on Java 22+ on Linux: one {@code syncfs} for every output written since
     * the last, see {@link GroupSync}), on the sync's thread. Either way an output's bytes are on disk before any
     * name points at them.
     *
     * <p>The plan's overwrite policy holds at write time too: under SKIP and RENAME a file that appeared under
     * the planned name after planning (and that this pipeline did not write) is left alone and the image fails
     * at stage write; under OVERWRITE it is replaced.
     *
     * @return the converted row, or a failed row at stage WRITE; completed exceptionally with an
     *         {@link OutputUnavailableException} when the output could not take any more
     * @throws OutputUnavailableException when writing the temporary file showed that no output of the batch can be
     *                                    written any more (a full disk, the output folder gone)
     */
    public CompletableFuture<FileResult> writeOutputAsync(BatchPlan plan, ImageJob job, ConversionResult result,
                                                          StageTimings timings, TaskTrace trace) {
        long t0 = System.nanoTime();
        Staged staged;
        try {
            staged = stage(plan, job, result);
        } catch (IOException e) {
            return CompletableFuture.completedFuture(writeFailed(plan, job, e, timings, t0, trace));
        } catch (IllegalArgumentException e) {
            LOG.debug("{}: writing {} failed", job.relativePath(), job.outputPath(), e);
            return CompletableFuture.completedFuture(FileResult.failed(job.relativePath(), Stage.WRITE,
                    "the output could not be written: " + e.getMessage(), job.sizeBytes(),
                    timings.withWrite(System.nanoTime() - t0), trace));
        }
        long stagedNanos = System.nanoTime() - t0;
        if (groupSync == null) {
            return CompletableFuture.completedFuture(commit(plan, job, staged, timings, stagedNanos, trace));
        }
        return groupSync.afterSync(staged.folder()).handle((synced, failure) -> {
            if (failure != null) {
                deleteQuietly(staged.tmp());
                IOException cause = failure instanceof IOException io ? io
                        : new IOException(String.valueOf(failure.getMessage()), failure);
                // the row's write time is the write's own, not its wait for the sync
                return writeFailed(plan, job, cause, timings, System.nanoTime() - stagedNanos, trace);
            }
            return commit(plan, job, staged, timings, stagedNanos, trace);
        });
    }

    /** The row of an image whose write failed, or the batch's stop when no write can succeed any more. */
    private FileResult writeFailed(BatchPlan plan, ImageJob job, IOException e, StageTimings timings, long t0,
                                   TaskTrace trace) {
        String fatal = batchWide(plan, e);
        if (fatal != null) {
            LOG.debug("{}: writing {} failed for the whole batch", job.relativePath(), job.outputPath(), e);
            throw new OutputUnavailableException(fatal, e);
        }
        LOG.debug("{}: writing {} failed", job.relativePath(), job.outputPath(), e);
        return FileResult.failed(job.relativePath(), Stage.WRITE, "the output could not be written: "
                + InputScanner.describe(e), job.sizeBytes(), timings.withWrite(System.nanoTime() - t0), trace);
    }

    /**
     * Why no later output could be written either, or null when the failure is this image's alone: a full disk (or
     * quota), or an output folder that was there for earlier outputs and is gone.
     */
    private String batchWide(BatchPlan plan, IOException e) {
        String text = String.valueOf(e instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason()
                : e.getMessage());
        if (text.contains("No space left on device") || text.contains("Disk quota exceeded")) {
            return "the output disk is full (" + plan.outputRoot() + "): " + text;
        }
        if (rootSeen && !Files.isDirectory(plan.outputRoot())) {
            return "the output folder " + plan.outputRoot() + " is gone";
        }
        return null;
    }

    /**
     * Makes the output folder if no write of this pipeline has seen it yet; once one has, a missing folder was
     * deleted under the run, and made again it would hold the rest of the batch without the first part. Writes on
     * several threads pass here one at a time, so none of them makes the folder again after another saw it.
     */
    private void ensureOutputRoot(Path root) throws IOException {
        synchronized (written) {
            if (Files.isDirectory(root)) {
                rootSeen = true;
            } else if (rootSeen) {
                throw new NoSuchFileException(root.toString(), null, "the output folder is gone");
            } else {
                Files.createDirectories(root);
                rootSeen = true;
            }
        }
    }

    /** An output's bytes in their temporary file, and what its journal line needs. */
    private record Staged(Path folder, Path tmp, Path target, OutputRecord record) {
    }

    /**
     * Checks the planned name and writes the bytes to a temporary file beside it; forced to disk here when no
     * group sync will do it.
     */
    private Staged stage(BatchPlan plan, ImageJob job, ConversionResult result) throws IOException {
        byte[] bytes = result.output();
        OutputPaths.resolveInside(plan.outputRoot(), job.outputPath());
        ensureOutputRoot(plan.outputRoot());
        Path realRoot = plan.outputRoot().toRealPath();
        Path folder = OutputPaths.ensureParentInside(realRoot, job.outputPath());
        String name = job.outputPath().substring(job.outputPath().lastIndexOf('/') + 1);
        Path target = folder.resolve(name);
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            if (Files.exists(target) && Files.isSameFile(target, job.source())) {
                throw new IOException("it would replace its own input");
            }
            // an output cut short by an earlier crash is no one's work to keep: it is replaced whatever the policy
            if (plan.policy() != OverwritePolicy.OVERWRITE && !written.contains(target)
                    && OutputCompleteness.looksComplete(target)) {
                throw new IOException(job.outputPath() + " appeared after the batch was planned and was left alone"
                        + " (overwrite policy: " + plan.policy().name().toLowerCase(java.util.Locale.ROOT) + ")");
            }
        }
        Path tmp = folder.resolve(TEMPORARY_PREFIX + Long.toHexString(ThreadLocalRandom.current().nextLong())
                + TEMPORARY_SUFFIX);
        boolean done = false;
        try {
            // CREATE_NEW with default permissions (not createTempFile's owner-only ones): the output is the user's
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer data = ByteBuffer.wrap(bytes);
                while (data.hasRemaining()) {
                    out.write(data);
                }
                if (groupSync == null) {
                    // on disk before any name points at it: after a power loss an output is whole or not there at
                    // all, never a zero-length file that --overwrite skip would keep
                    out.force(true);
                }
            }
            done = true;
            return new Staged(folder, tmp, target, OutputRecord.of(result));
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** Records a staged output in the journal and renames it into place; its bytes are on disk. */
    private FileResult commit(BatchPlan plan, ImageJob job, Staged staged, StageTimings timings, long stagedNanos,
                              TaskTrace trace) {
        long t0 = System.nanoTime();
        boolean added = false;
        try {
            // recorded before the rename: whatever bears the planned name is in the journal
            journal.outputReady(job, staged.record());
            // known as this pipeline's before its name appears, so that a retried write of it is never refused
            added = written.add(staged.target());
            try {
                Files.move(staged.tmp(), staged.target(), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(staged.tmp(), staged.target(), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            if (added) {
                written.remove(staged.target());
            }
            deleteQuietly(staged.tmp());
            return writeFailed(plan, job, e, timings, t0 - stagedNanos, trace);
        }
        folders.changed(staged.folder());
        long writeNanos = stagedNanos + System.nanoTime() - t0;
        return new FileResult(job.relativePath(), job.outputPath(), FileStatus.CONVERTED, null, null,
                staged.record().warnings(), job.sizeBytes(), staged.record().size(), staged.record().pixels(),
                timings.withWrite(writeNanos), trace);
    }

    private static void deleteQuietly(Path tmp) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            LOG.debug("{} not removed: {}", tmp, e.toString());
        }
    }

    /**
     * Makes the names of every output written so far durable (an fsync of each folder that changed since the last
     * call). Runs also while writing, at most about once a second, so a crash loses at most the last second's names:
     * never a file's content, which is forced to disk before its rename.
     */
    public void syncFolders() {
        folders.syncAll();
    }

    /**
     * Waits until every write handed to {@link #writeOutputAsync} so far has its row: its output renamed into place,
     * or failed. Strategies call it before they return, so that no output appears after a run ended.
     */
    public void awaitWrites() throws InterruptedException {
        if (groupSync != null) {
            groupSync.awaitIdle();
        }
    }

    /** How many group syncs ran so far; 0 where each output is forced by itself. */
    int groupSyncs() {
        return groupSync == null ? 0 : groupSync.syncs();
    }

    /**
     * Serial mode: read, convert and write in the calling thread. A damaged or unsupported image gives a failed
     * row; only cancellation throws.
     *
     * @throws InterruptedException when the thread is interrupted; no partial output is left behind
     */
    public FileResult convertLocally(BatchPlan plan, ImageJob job) throws InterruptedException {
        Converted done = convertHere(plan, job);
        if (done.failed() != null) {
            return done.failed();
        }
        checkInterrupted();
        FileResult row = writeOutput(plan, job, done.result(), done.timings(), done.trace());
        if (row.status() == FileStatus.FAILED && Thread.interrupted()) {
            // the write was cut by the interrupt (an interruptible channel): that is a cancel, not a failure
            throw new InterruptedException("conversion cancelled");
        }
        return row;
    }

    /**
     * Serial mode with its writes beside it: reads and converts in the calling thread, then writes on {@code io},
     * so that the next image converts while this one's output goes to disk. The row completes once the output is in
     * place (after its group's sync, where outputs are synced in groups).
     *
     * @param handedOver run once this image's bytes are in their temporary file, or its row is known without a
     *                   write: the caller may then let another conversion's bytes wait for {@code io}
     * @throws InterruptedException when the thread is interrupted before the write is handed over (then
     *                              {@code handedOver} has run)
     */
    public CompletableFuture<FileResult> convertLocally(BatchPlan plan, ImageJob job, Executor io,
                                                        Runnable handedOver) throws InterruptedException {
        Converted done;
        try {
            done = convertHere(plan, job);
            if (done.failed() != null) {
                handedOver.run();
                return CompletableFuture.completedFuture(done.failed());
            }
            checkInterrupted();
        } catch (InterruptedException | RuntimeException e) {
            handedOver.run();
            throw e;
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                return writeOutputAsync(plan, job, done.result(), done.timings(), done.trace());
            } finally {
                handedOver.run();
            }
        }, io).thenCompose(row -> row);
    }

    /** A converted image not written yet, or the row of one that failed before. */
    private record Converted(ConversionResult result, StageTimings timings, TaskTrace trace, FileResult failed) {

        static Converted failed(FileResult row) {
            return new Converted(null, null, null, row);
        }
    }

    private Converted convertHere(BatchPlan plan, ImageJob job) throws InterruptedException {
        checkInterrupted();
        long started = nowMicros();
        long t0 = System.nanoTime();
        byte[] input;
        try {
            input = readInput(job);
        } catch (ConversionException e) {
            LOG.debug("{} failed at {}: {}", job.relativePath(), e.stage().label(), e.reason(), e);
            return Converted.failed(FileResult.failed(job.relativePath(), e.stage(), e.reason(), job.sizeBytes(),
                    StageTimings.NONE.withRead(System.nanoTime() - t0), serialTrace(started, nowMicros())));
        }
        long readNanos = System.nanoTime() - t0;
        checkInterrupted();
        ConversionResult result;
        try {
            result = kernel.convert(input, plan.settings());
        } catch (ConversionException e) {
            // a decoder cut short by the interrupt fails in its own way: that is a cancel, not a bad file
            checkInterrupted();
            LOG.debug("{} failed at {}: {}", job.relativePath(), e.stage().label(), e.reason(), e);
            return Converted.failed(FileResult.failed(job.relativePath(), e.stage(), e.reason(), job.sizeBytes(),
                    StageTimings.NONE.withRead(readNanos), serialTrace(started, nowMicros())));
        } catch (RuntimeException e) {
            checkInterrupted();
            LOG.debug("{}: unexpected error in the converter", job.relativePath(), e);
            return Converted.failed(FileResult.failed(job.relativePath(), Stage.CONVERT,
                    "unexpected error in the converter: " + e, job.sizeBytes(), StageTimings.NONE.withRead(readNanos),
                    serialTrace(started, nowMicros())));
        } catch (OutOfMemoryError e) {
            LOG.debug("{}: out of memory", job.relativePath(), e);
            return Converted.failed(FileResult.failed(job.relativePath(), Stage.DECODE,
                    "not enough memory to convert this image", job.sizeBytes(), StageTimings.NONE.withRead(readNanos),
                    serialTrace(started, nowMicros())));
        }
        TaskTrace trace = serialTrace(started, nowMicros());
        return new Converted(result, result.timings().withRead(readNanos), trace, null);
    }

    private static TaskTrace serialTrace(long startedMicros, long finishedMicros) {
        return new TaskTrace(TaskTrace.SERIAL, 1, startedMicros, startedMicros, finishedMicros, finishedMicros, 0, 0);
    }

    private static void checkInterrupted() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("conversion cancelled");
        }
    }

    /** Epoch microseconds, the unit of {@link TaskTrace}. */
    public static long nowMicros() {
        Instant now = Instant.now();
        return ChronoUnit.MICROS.between(Instant.EPOCH, now);
    }
}
