package org.greylab.core.schedule;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.greylab.core.job.BatchPlan;
import org.greylab.core.job.FileResult;
import org.greylab.core.job.ImageJob;
import org.greylab.core.job.ImagePipeline;
import org.greylab.core.job.OutputUnavailableException;
import org.greylab.core.job.TaskTrace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference mode: every image in plan order, one after another, converted in the calling thread; no cluster.
 * Only the writes go beside it, on a few I/O threads: an output is on disk before it is renamed into place, and
 * that wait for the disk (several milliseconds an output when each is forced by itself, most of a thumbnail's
 * time; a share of one group sync where outputs are synced in groups) overlaps the next images' conversion instead
 * of adding to it, while at most {@value #WRITES_IN_FLIGHT} outputs wait to be written and at most
 * {@value #ROWS_IN_FLIGHT} written ones wait for their sync. Events
 * go to the listener on the calling thread, each image's in plan order. An interrupt stops it before the next stage
 * of the current image, lets the writes under way finish, and ends the batch with
 * {@link ProgressEvent.BatchFinished} (cancelled) and no partial file.
 */
public final class SerialStrategy implements Strategy {

    private static final Logger LOG = LoggerFactory.getLogger(SerialStrategy.class);
    /** Outputs converted and not yet written: what the writes may hold in memory. */
    static final int WRITES_IN_FLIGHT = 4;
    /** Outputs in their temporary files, waiting for the disk's sync (a few dozen milliseconds of work). */
    static final int ROWS_IN_FLIGHT = 1024;
    private static final AtomicInteger RUNS = new AtomicInteger();

    private final ImagePipeline pipeline;

    public SerialStrategy(ImagePipeline pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public Mode mode() {
        return Mode.SERIAL;
    }

    /** One image handed to the writes, in plan order. */
    private record Writing(ImageJob job, CompletableFuture<FileResult> row) {
    }

    @Override
    public List<FileResult> run(BatchPlan plan, ProgressListener listener) throws InterruptedException {
        long t0 = System.nanoTime();
        listener.onEvent(new ProgressEvent.BatchStarted(Mode.SERIAL, plan.jobs().size(), plan.skipped().size()));
        List<FileResult> results = new ArrayList<>(plan.jobs().size());
        Deque<Writing> writing = new ArrayDeque<>();
        int run = RUNS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        ExecutorService io = Executors.newFixedThreadPool(WRITES_IN_FLIGHT, r -> {
            Thread t = new Thread(r, "greylab-serial-write-" + run + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        Semaphore writeSlots = new Semaphore(WRITES_IN_FLIGHT);
        try {
            for (ImageJob job : plan.jobs()) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("batch cancelled");
                }
                listener.onEvent(new ProgressEvent.ImageStarted(job, TaskTrace.SERIAL, 1));
                writeSlots.acquire();
                writing.addLast(new Writing(job, pipeline.convertLocally(plan, job, io, writeSlots::release)));
                finishWritten(writing, results, listener, ROWS_IN_FLIGHT - 1);
            }
            finishWritten(writing, results, listener, 0);
        } catch (InterruptedException e) {
            finishAfterCancel(writing, results, listener);
            LOG.debug("serial batch cancelled after {} of {} images", results.size(), plan.jobs().size());
            listener.onEvent(new ProgressEvent.BatchFinished(true, System.nanoTime() - t0));
            throw e;
        } catch (OutputUnavailableException e) {
            finishAfterCancel(writing, results, listener);
            LOG.warn("serial batch stopped after {} of {} images: {}", results.size(), plan.jobs().size(),
                    e.getMessage());
            listener.onEvent(new ProgressEvent.BatchFinished(true, System.nanoTime() - t0));
            throw new BatchStoppedException(e.getMessage(), results, e);
        } finally {
            io.shutdown();
        }
        listener.onEvent(new ProgressEvent.BatchFinished(false, System.nanoTime() - t0));
        return results;
    }

    /**
     * Takes the rows of the oldest writes, in plan order, until at most {@code keep} are under way: those already
     * done, then waiting for the oldest while more than {@code keep} remain.
     *
     * @throws OutputUnavailableException when a write found the output unable to take any more
     */
    private static void finishWritten(Deque<Writing> writing, List<FileResult> results, ProgressListener listener,
                                      int keep) throws InterruptedException {
        while (!writing.isEmpty() && (writing.size() > keep || writing.peekFirst().row().isDone())) {
            Writing oldest = writing.peekFirst();
            FileResult row;
            try {
                row = oldest.row().get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof OutputUnavailableException full) {
                    throw full;
                }
                throw new IllegalStateException("writing " + oldest.job().outputPath() + " failed", e.getCause());
            }
            writing.removeFirst();
            results.add(row);
            listener.onEvent(new ProgressEvent.ImageFinished(oldest.job(), row));
        }
    }

    /** After a cancel or a stop: the writes under way finish (each is whole or not there), and their rows count. */
    private static void finishAfterCancel(Deque<Writing> writing, List<FileResult> results,
                                          ProgressListener listener) {
        boolean interrupted = Thread.interrupted();
        for (Writing w : writing) {
            try {
                FileResult row = w.row().get();
                results.add(row);
                listener.onEvent(new ProgressEvent.ImageFinished(w.job(), row));
            } catch (ExecutionException e) {
                LOG.debug("{} not written after the batch stopped: {}", w.job().relativePath(),
                        e.getCause().toString());
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        writing.clear();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
