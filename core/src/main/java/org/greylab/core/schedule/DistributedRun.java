package org.greylab.core.schedule;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.greylab.core.image.ConversionException;
import org.greylab.core.image.ConversionResult;
import org.greylab.core.image.Stage;
import org.greylab.core.image.StageTimings;
import org.greylab.core.image.SyntheticPhoto;
import org.greylab.core.job.BatchPlan;
import org.greylab.core.job.FileResult;
import org.greylab.core.job.ImageJob;
import org.greylab.core.job.ImagePipeline;
import org.greylab.core.job.OutputUnavailableException;
import org.greylab.core.job.TaskTrace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a distributed strategy: the machinery direct and balanced share, around a {@link Placement} that says
 * where each image goes.
 *
 * <p>The calling thread is the dispatcher and the only owner of the run's state. Cluster callbacks, engine events
 * and finished writes only post messages to its inbox, so nothing here needs a lock and nothing blocks a cluster
 * thread. The dispatcher reads inputs (within the {@link InFlightWindow}), sends tasks, and hands outputs to one
 * writer thread of its own, which it shuts down (and waits for) before returning.
 */
final class DistributedRun {

    private static final Logger LOG = LoggerFactory.getLogger(DistributedRun.class);
    private static final AtomicInteger RUNS = new AtomicInteger();
    private static final long WRITER_STOP_WAIT_SECONDS = 30;
    private static final int WRITER_THREADS = 4;
    /**
     * How many engines an image may take down before it fails instead of being sent to another: one death may be
     * bad luck (the engine was killed, its machine went away), a second one while converting the same file is the
     * file's doing, and a third engine should not pay for it.
     */
    static final int POISON_CRASHES = 2;
    /** A task's deadline: the task timeout plus this many times what the engine's speed says it takes. */
    private static final int DEADLINE_FACTOR = 10;
    /**
     * What an engine without a measure yet is expected to take per input byte: a little slower than the 150 ns a
     * byte (about 20 MP/s) of a JPEG photo on one core here, so that a huge scan sent first is not taken for a stall.
     */
    private static final double UNMEASURED_NANOS_PER_BYTE = GroupLimit.UNMEASURED_NANOS_PER_BYTE;
    /** What a stalled engine is pinged with: converting it costs nothing. */
    private static final byte[] PING_IMAGE = SyntheticPhoto.png(8, 8, 1);

    private sealed interface Message {
    }

    /** A task's answer: one outcome per image it carried, or the failure of the whole task. */
    private record Answered(Dispatch dispatch, List<TaskOutcome> outcomes, Throwable failure, long receivedMicros)
            implements Message {
    }

    private record Written(PendingImage image, FileResult result) implements Message {
    }

    private record Joined(EngineInfo engine) implements Message {
    }

    private record Gone(EngineInfo engine) implements Message {
    }

    /** The answer to a ping of a stalled engine: {@code answered} false when the engine left meanwhile. */
    private record PingAnswered(int engineId, boolean answered) implements Message {
    }

    /** A write found the output unable to take any more: the batch stops. */
    private record Stopped(PendingImage image, OutputUnavailableException cause) implements Message {
    }

    private final Mode mode;
    private final EngineCluster cluster;
    private final ImagePipeline pipeline;
    private final DispatchOptions options;
    private final Placement placement;
    private final BatchPlan plan;
    private final ProgressListener listener;

    private final BlockingQueue<Message> inbox = new LinkedBlockingQueue<>();
    private final Map<Integer, LiveEngine> live = new TreeMap<>();
    private final Collection<LiveEngine> liveView = Collections.unmodifiableCollection(live.values());
    /** Engines that missed a task's deadline: no work until they answer a ping. */
    private final Map<Integer, LiveEngine> stalled = new TreeMap<>();
    private final FileResult[] results;
    private final InFlightWindow window;
    private final List<Dispatch> open = new ArrayList<>();
    private ExecutorService writer;
    private long dispatchSeq;
    private long taskSeq;
    private int done;
    private long noEngineSinceNanos = -1;
    /** Whether the wait for stalled engines, when they are all that is left, has been logged. */
    private boolean stalledOnlySaid;
    /** Input bytes of the images not sent yet (or sent again after a failover): what the tail rule spreads. */
    private long unsentBytes;
    /** Output bytes per input byte over the answers so far; negative before the first. */
    private double outputPerInput = -1;

    private final EngineListener engineListener = new EngineListener() {
        @Override
        public void engineJoined(EngineInfo engine) {
            inbox.add(new Joined(engine));
        }

        @Override
        public void engineGone(EngineInfo engine) {
            inbox.add(new Gone(engine));
        }
    };

    DistributedRun(Mode mode, EngineCluster cluster, ImagePipeline pipeline, DispatchOptions options,
                   Placement placement, BatchPlan plan, ProgressListener listener) {
        this.mode = mode;
        this.cluster = cluster;
        this.pipeline = pipeline;
        this.options = options;
        this.placement = placement;
        this.plan = plan;
        this.listener = listener;
        this.results = new FileResult[plan.jobs().size()];
        this.window = new InFlightWindow(1, options.maxInFlightBytes());
    }

    List<FileResult> run() throws InterruptedException {
        long t0 = System.nanoTime();
        int n = plan.jobs().size();
        int runId = RUNS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        // several writers: each output waits for its fsync, and fsyncs under way together share the disk's flushes
        writer = Executors.newFixedThreadPool(WRITER_THREADS, r -> {
            Thread t = new Thread(r, "greylab-" + mode.word() + "-writer-" + runId + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        // listen before asking who is there, so a join in between is not missed (duplicates are ignored)
        cluster.addListener(engineListener);
        try {
            for (EngineInfo e : cluster.engines()) {
                addEngine(e);
            }
            emit(new ProgressEvent.BatchStarted(mode, n, plan.skipped().size()));
            List<PendingImage> images = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                images.add(new PendingImage(i, plan.jobs().get(i)));
                unsentBytes += plan.jobs().get(i).sizeBytes();
            }
            placement.start(images, liveView);
            Map<Integer, Integer> shares = placement.plannedShares();
            if (!shares.isEmpty()) {
                emit(new ProgressEvent.SharesPlanned(shares));
            }
            LOG.debug("{} run of {} images on engines {}", mode, n, live.keySet());
            while (done < n) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("batch cancelled");
                }
                checkDeadlines();
                dispatchWhatMayGo();
                if (done >= n) {
                    break;
                }
                Message m = nextMessage();
                if (m != null) {
                    handle(m);
                }
            }
            emit(new ProgressEvent.BatchFinished(false, System.nanoTime() - t0));
            LOG.debug("{} run done: window peak {} images, {} bytes", mode, window.peakCount(), window.peakBytes());
            return List.of(results);
        } catch (InterruptedException e) {
            cancelOpen();
            stopWriter();
            emit(new ProgressEvent.BatchFinished(true, System.nanoTime() - t0));
            throw e;
        } catch (RuntimeException | Error e) {
            cancelOpen();
            throw e;
        } finally {
            cluster.removeListener(engineListener);
            stopWriter();
        }
    }

    /**
     * Waits for the next message; when no engine is left, only until the wait for one runs out. Engines that are
     * all stalled are not gone: they still answer heartbeats, and on a loaded machine their pings come back late, so
     * the batch waits for them (or for their loss, or a cancel) and fails no image for the want of an engine.
     */
    private Message nextMessage() throws InterruptedException {
        if (!live.isEmpty()) {
            noEngineSinceNanos = -1;
            stalledOnlySaid = false;
            long untilDeadline = nextDeadline() - System.nanoTime();
            return open.isEmpty() ? inbox.take() : inbox.poll(Math.max(0, untilDeadline), TimeUnit.NANOSECONDS);
        }
        if (!stalled.isEmpty()) {
            noEngineSinceNanos = -1;
            if (!stalledOnlySaid) {
                stalledOnlySaid = true;
                LOG.warn("every engine missed a deadline ({}); waiting for one to answer, or to be lost",
                        stalled.keySet());
            }
            return inbox.take();
        }
        if (noEngineSinceNanos < 0) {
            noEngineSinceNanos = System.nanoTime();
            LOG.warn("no engine left; waiting up to {} for one to join", options.noEngineWait());
        }
        long left = options.noEngineWait().toNanos() - (System.nanoTime() - noEngineSinceNanos);
        if (left > 0) {
            Message m = inbox.poll(left, TimeUnit.NANOSECONDS);
            if (m != null) {
                return m;
            }
        }
        List<PendingImage> orphans = placement.drain();
        if (!orphans.isEmpty()) {
            LOG.warn("no engine left: {} images fail", orphans.size());
        }
        for (PendingImage p : orphans) {
            finish(p, FileResult.failed(p.job.relativePath(), Stage.CONVERT,
                    "no engine left to convert it (every engine was lost)", p.job.sizeBytes(),
                    StageTimings.NONE.withRead(p.readNanos), TaskTrace.NONE));
        }
        // what is left are writes in progress: wait for them
        return done < results.length ? inbox.take() : null;
    }

    private void dispatchWhatMayGo() throws InterruptedException {
        // in long, then capped: the capacities are the engines' own claims and must not overflow into a negative bound
        long tasksInFlight = live.values().stream().mapToLong(e -> e.capacity).sum();
        window.setMaxCount((int) Math.min(Integer.MAX_VALUE,
                2 * tasksInFlight * options.grouping().images()));
        long maxTaskBytes = GroupLimit.maxTaskBytes(window.maxBytes(), tasksInFlight);
        while (true) {
            Placement.Assignment a = placement.next(liveView, p -> window.canAdmit(p.job.sizeBytes()));
            if (a == null) {
                return;
            }
            PendingImage image = a.image();
            if (!image.isRead() && !read(image)) {
                continue;
            }
            LiveEngine engine = a.engine();
            List<PendingImage> group = new ArrayList<>(1);
            group.add(image);
            if (!image.alone && options.grouping().images() > 1) {
                fill(group, engine, maxTaskBytes);
            }
            send(group, engine);
        }
    }

    /**
     * Adds to a task going to {@code engine} the images that follow its first there, while {@link GroupLimit} lets
     * it grow and the client's window has room for them.
     */
    private void fill(List<PendingImage> group, LiveEngine engine, long maxTaskBytes) throws InterruptedException {
        int slots = live.values().stream().mapToInt(LiveEngine::slots).sum();
        GroupLimit limit = GroupLimit.of(options.grouping(), engine.nanosPerByte, outputPerInput, unsentBytes, slots,
                maxTaskBytes);
        long firstBytes = group.get(0).input.length;
        long bytes = firstBytes;
        while (true) {
            long inGroup = bytes;
            int count = group.size();
            PendingImage next = placement.nextFor(engine, p -> limit.accepts(count, inGroup, firstBytes,
                    p.job.sizeBytes()) && window.canAdmit(p.job.sizeBytes()));
            if (next == null) {
                return;
            }
            if (!read(next)) {
                continue;
            }
            group.add(next);
            bytes += next.input.length;
        }
    }

    /** Reads an image's input into the window; a READ failure finishes it as a failed row, never sent. */
    private boolean read(PendingImage image) throws InterruptedException {
        long t0 = System.nanoTime();
        try {
            image.input = pipeline.readInput(image.job);
        } catch (ConversionException e) {
            if (Thread.currentThread().isInterrupted()) {
                // an interrupted read (cancel) is not a bad file
                throw new InterruptedException("batch cancelled while reading");
            }
            image.readNanos = System.nanoTime() - t0;
            unsentBytes -= image.job.sizeBytes();
            finish(image, FileResult.failed(image.job.relativePath(), e.stage(), e.reason(), image.job.sizeBytes(),
                    StageTimings.NONE.withRead(image.readNanos), TaskTrace.NONE));
            return false;
        }
        image.readNanos = System.nanoTime() - t0;
        image.heldBytes = image.input.length;
        window.admit(image.heldBytes);
        return true;
    }

    /**
     * Sends {@code group} to {@code engine} as one task: alone as ever when it is one image, else as a group, which
     * the engine converts one image after the other.
     */
    private void send(List<PendingImage> group, LiveEngine engine) {
        long bytes = 0;
        for (PendingImage image : group) {
            image.attempts++;
            bytes += image.input.length;
            unsentBytes -= image.job.sizeBytes();
        }
        long taskId = ++taskSeq;
        Dispatch d = new Dispatch(group, engine.id(), taskId, ImagePipeline.nowMicros(), bytes);
        // its deadline counts the images queued before it on that engine, which it converts first
        long ahead = 0;
        for (Dispatch queued : engine.inFlight) {
            ahead += queued.expectedNanos;
        }
        engine.inFlight.add(d);
        engine.lastUsed = ++dispatchSeq;
        open.add(d);
        for (PendingImage image : group) {
            emit(new ProgressEvent.ImageStarted(image.job, engine.id(), image.attempts));
        }
        // a group's expected time is the sum of its images': each image keeps the deadline it would have alone
        d.expectedNanos = (long) ((engine.nanosPerByte < 0 ? UNMEASURED_NANOS_PER_BYTE : engine.nanosPerByte)
                * bytes);
        d.allowedNanos = options.taskTimeout().toNanos() + DEADLINE_FACTOR * (d.expectedNanos + ahead / engine.slots());
        d.deadlineNanos = System.nanoTime() + d.allowedNanos;
        CompletableFuture<List<TaskOutcome>> future;
        try {
            if (group.size() == 1) {
                PendingImage image = group.get(0);
                future = asList(cluster.submit(engine.id(), new ConvertTask(taskId, image.job.relativePath(),
                        image.input, plan.settings())));
            } else {
                List<ConvertTask> tasks = new ArrayList<>(group.size());
                for (PendingImage image : group) {
                    // each image has its own id within the task: the wire binds each answer to its image
                    tasks.add(new ConvertTask(++taskSeq, image.job.relativePath(), image.input, plan.settings()));
                }
                future = cluster.submitGroup(engine.id(), tasks);
            }
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        }
        d.future = future;
        // runs on a cluster thread: only post, never block it
        future.whenComplete((outcomes, failure) ->
                inbox.add(new Answered(d, outcomes, failure, ImagePipeline.nowMicros())));
    }

    /**
     * A lone image's future as a task's list of outcomes. Cancelling it cancels the image's own future, so that the
     * engine is told, as it is for a group (a plain {@code thenApply} would not pass the cancel on).
     */
    private static CompletableFuture<List<TaskOutcome>> asList(CompletableFuture<TaskOutcome> one) {
        CompletableFuture<List<TaskOutcome>> list = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                boolean cancelled = super.cancel(mayInterruptIfRunning);
                one.cancel(mayInterruptIfRunning);
                return cancelled;
            }
        };
        one.whenComplete((outcome, failure) -> {
            if (failure != null) {
                list.completeExceptionally(failure);
            } else {
                list.complete(List.of(outcome));
            }
        });
        return list;
    }

    private void handle(Message m) {
        if (m instanceof Answered a) {
            answered(a);
        } else if (m instanceof Written w) {
            finish(w.image(), w.result());
        } else if (m instanceof Joined j) {
            if (addEngine(j.engine())) {
                LOG.info("engine {} ({}) joined the {} run", j.engine().id(), j.engine().name(), mode);
                emit(new ProgressEvent.EngineJoined(j.engine()));
                placement.engineJoined(live.get(j.engine().id()), liveView);
            }
        } else if (m instanceof Gone g) {
            engineLost(g.engine().id());
        } else if (m instanceof PingAnswered p) {
            pingAnswered(p);
        } else if (m instanceof Stopped s) {
            // every later write would fail the same way: stop here, the unwritten images are not done
            LOG.warn("{} run stopped after {} of {} images: {}", mode, done, results.length,
                    s.cause().getMessage());
            cancelOpen();
            emit(new ProgressEvent.BatchFinished(true, 0));
            throw new BatchStoppedException(s.cause().getMessage(),
                    Arrays.stream(results).filter(Objects::nonNull).toList(), s.cause());
        }
    }

    private boolean addEngine(EngineInfo info) {
        if (live.containsKey(info.id())) {
            return false;
        }
        List<String> lacking = info.decoders().lacking(plan.settings().decoders());
        if (!lacking.isEmpty()) {
            // it could decode an image a level apart from the others (or not at all): the batch's bytes would
            // depend on placement
            LOG.warn("engine {} ({}) has no {}, which this run decodes with: it gets no image of this run",
                    info.id(), info.name(), String.join(" nor ", lacking));
            return false;
        }
        live.put(info.id(), new LiveEngine(info, options.prefetch()));
        return true;
    }

    private void answered(Answered a) {
        Dispatch d = a.dispatch();
        open.remove(d);
        if (d.abandoned) {
            LOG.debug("ignoring the late answer of engine {} for {}", d.engineId, d.describe());
            return;
        }
        Throwable failure = unwrap(a.failure());
        if (failure instanceof EngineGoneException) {
            LOG.warn("engine {} was lost while converting {}", d.engineId, d.describe());
            engineLost(d.engineId);
            return;
        }
        LiveEngine engine = live.get(d.engineId);
        if (engine != null) {
            engine.inFlight.remove(d);
        }
        if (failure == null && (a.outcomes() == null || a.outcomes().size() != d.images.size())) {
            failure = new IllegalStateException("the engine answered " + (a.outcomes() == null ? 0
                    : a.outcomes().size()) + " images for a task of " + d.images.size());
        }
        if (failure != null) {
            for (PendingImage image : d.images) {
                long sent = image.input.length;
                image.input = null;
                finish(image, FileResult.failed(image.job.relativePath(), Stage.CONVERT,
                        "engine " + d.engineId + " could not run it: " + describe(failure), image.job.sizeBytes(),
                        StageTimings.NONE.withRead(image.readNanos), trace(d, a, image, null, sent, 0)));
            }
            return;
        }
        measure(engine, d, a.outcomes());
        for (int i = 0; i < d.images.size(); i++) {
            answeredImage(d, a, d.images.get(i), a.outcomes().get(i));
        }
    }

    /** What the next deadlines and tasks on that engine expect: its own time for the task, queueing excluded. */
    private void measure(LiveEngine engine, Dispatch d, List<TaskOutcome> outcomes) {
        long busyMicros = 0;
        long out = 0;
        for (TaskOutcome outcome : outcomes) {
            busyMicros += Math.max(0, outcome.finishedMicros() - outcome.startedMicros());
            if (outcome.succeeded()) {
                out += outcome.result().output().length;
            }
        }
        if (engine != null) {
            double perByte = busyMicros * 1000.0 / Math.max(1, d.bytesSent);
            engine.nanosPerByte = engine.nanosPerByte < 0 ? perByte : 0.7 * engine.nanosPerByte + 0.3 * perByte;
        }
        if (out > 0) {
            double ratio = (double) out / Math.max(1, d.bytesSent);
            outputPerInput = outputPerInput < 0 ? ratio : 0.7 * outputPerInput + 0.3 * ratio;
        }
    }

    /** One image's outcome, from a task of its own or a group: its own row, trace and write. */
    private void answeredImage(Dispatch d, Answered a, PendingImage image, TaskOutcome outcome) {
        byte[] input = image.input;
        image.input = null;
        if (!outcome.succeeded()) {
            finish(image, FileResult.failed(image.job.relativePath(), outcome.failedStage(), outcome.failureReason(),
                    image.job.sizeBytes(), StageTimings.NONE.withRead(image.readNanos),
                    trace(d, a, image, outcome, input.length, 0)));
            return;
        }
        ConversionResult result = outcome.result();
        window.resize(image.heldBytes, result.output().length);
        image.heldBytes = result.output().length;
        TaskTrace trace = trace(d, a, image, outcome, input.length, result.output().length);
        StageTimings timings = result.timings().withRead(image.readNanos);
        String failover = failoverNote(image, d.engineId);
        writer.execute(() -> {
            CompletableFuture<FileResult> row;
            try {
                row = pipeline.writeOutputAsync(plan, image.job, result, timings, trace);
            } catch (RuntimeException e) {
                row = CompletableFuture.failedFuture(e);
            }
            // completed here, or on the output sync's thread once the output is on disk and in place
            row.whenComplete((r, failure) -> {
                Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                if (cause instanceof OutputUnavailableException full) {
                    inbox.add(new Stopped(image, full));
                } else {
                    inbox.add(new Written(image, written(image.job, r, cause, timings, trace, failover)));
                }
            });
        });
    }

    /** The row of a write: its own, or a failed one for an unexpected error; with the failover note, if any. */
    private static FileResult written(ImageJob job, FileResult row, Throwable failure, StageTimings timings,
                                      TaskTrace trace, String failover) {
        FileResult r = row;
        if (failure != null) {
            LOG.error("writing {} failed", job.outputPath(), failure);
            r = FileResult.failed(job.relativePath(), Stage.WRITE, "the output could not be written: "
                    + describe(failure), job.sizeBytes(), timings, trace);
        }
        if (failover == null) {
            return r;
        }
        List<String> warnings = new ArrayList<>(r.warnings());
        warnings.add(failover);
        return new FileResult(r.input(), r.output(), r.status(), r.stage(), r.reason(), warnings, r.bytesIn(),
                r.bytesOut(), r.pixels(), r.timings(), r.trace());
    }

    private static TaskTrace trace(Dispatch d, Answered a, PendingImage image, TaskOutcome outcome, long sent,
                                   long received) {
        long started = outcome == null ? 0 : outcome.startedMicros();
        long finished = outcome == null ? 0 : outcome.finishedMicros();
        return new TaskTrace(d.engineId, image.attempts, d.submittedMicros, started, finished, a.receivedMicros(),
                sent, received, d.taskId, d.images.size());
    }

    /** The report's words for an image that ran elsewhere than first planned, or null. */
    private static String failoverNote(PendingImage image, int ranOn) {
        if (!image.stalledOn.isEmpty()) {
            List<Integer> died = image.lostOn.stream().filter(id -> !image.stalledOn.contains(id)).toList();
            return "re-run on engine " + ranOn + " after " + engines(image.stalledOn) + " stalled"
                    + (died.isEmpty() ? "" : " and " + engines(died) + " lost");
        }
        if (!image.lostOn.isEmpty()) {
            return "re-run on engine " + ranOn + " after " + engines(image.lostOn) + " lost";
        }
        if (image.movedFrom >= 0) {
            return "moved to engine " + ranOn + " after engine " + image.movedFrom + " was lost";
        }
        return null;
    }

    private static String engines(List<Integer> ids) {
        if (ids.size() == 1) {
            return "engine " + ids.get(0) + " was";
        }
        return "engines " + ids.stream().map(String::valueOf).collect(Collectors.joining(", ")) + " were";
    }

    /** An engine died (its future failed, or the cluster said so): its images go to the others. */
    private void engineLost(int engineId) {
        LiveEngine engine = live.remove(engineId);
        if (engine == null) {
            LiveEngine wasStalled = stalled.remove(engineId);
            if (wasStalled != null) {
                LOG.warn("engine {} ({}), stalled, has left", engineId, wasStalled.info.name());
                emit(new ProgressEvent.EngineGone(wasStalled.info));
            }
            return;
        }
        LOG.warn("engine {} ({}) lost during the {} run; {} images in flight go elsewhere", engineId,
                engine.info.name(), mode, engine.inFlight.size());
        emit(new ProgressEvent.EngineGone(engine.info));
        withdraw(engine, "was lost");
    }

    /**
     * An engine missed the deadline of {@code late}: it is cancelled there, every image it holds goes to the others
     * (each counted as an attempt, the ones it was running as its crash), and it gets no more work until it answers a
     * ping, queued behind whatever it is stuck on.
     */
    private void engineStalled(LiveEngine engine, Dispatch late) {
        live.remove(engine.id());
        stalled.put(engine.id(), engine);
        LOG.warn("engine {} ({}) did not finish {} within its deadline ({} s): its {} tasks in flight go elsewhere,"
                        + " and it gets no more until it answers", engine.id(), engine.info.name(),
                late.describe(), String.format(Locale.ROOT, "%.1f", late.allowedNanos / 1e9), engine.inFlight.size());
        emit(new ProgressEvent.EngineStalled(engine.info, late.images.get(0).job.relativePath()));
        for (Dispatch d : engine.inFlight) {
            if (d.future != null) {
                d.future.cancel(true);
            }
        }
        withdraw(engine, "stalled");
        ping(engine.id());
    }

    private void checkDeadlines() {
        // runs at every message: no copy of the open tasks unless one is late (a stall changes them)
        if (nextDeadline() - System.nanoTime() > 0) {
            return;
        }
        long now = System.nanoTime();
        for (Dispatch d : List.copyOf(open)) {
            LiveEngine engine = live.get(d.engineId);
            if (!d.abandoned && engine != null && now - d.deadlineNanos > 0) {
                engineStalled(engine, d);
            }
        }
    }

    /** The earliest deadline of a task in flight on a live engine, or far away when there is none. */
    private long nextDeadline() {
        long next = System.nanoTime() + TimeUnit.HOURS.toNanos(1);
        for (Dispatch d : open) {
            if (!d.abandoned && live.containsKey(d.engineId) && d.deadlineNanos - next < 0) {
                next = d.deadlineNanos;
            }
        }
        return next;
    }

    /** A tiny image for a stalled engine: its answer says the engine works again. */
    private void ping(int engineId) {
        CompletableFuture<TaskOutcome> answer;
        try {
            answer = cluster.submit(engineId, new ConvertTask(-(++taskSeq), "ping.png", PING_IMAGE, plan.settings()));
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((outcome, failure) -> inbox.add(new PingAnswered(engineId,
                !(unwrap(failure) instanceof EngineGoneException))));
    }

    private void pingAnswered(PingAnswered p) {
        LiveEngine engine = stalled.remove(p.engineId());
        if (engine == null || !p.answered()) {
            return;
        }
        LOG.info("engine {} ({}) answers again: it takes work again", engine.id(), engine.info.name());
        if (addEngine(engine.info)) {
            emit(new ProgressEvent.EngineJoined(engine.info));
            placement.engineJoined(live.get(engine.id()), liveView);
        }
    }

    /** Takes back every image {@code engine} holds in flight, for the others (or fails those that must not go on). */
    private void withdraw(LiveEngine engine, String what) {
        int engineId = engine.id();
        boolean stalledEngine = stalled.containsKey(engineId);
        List<PendingImage> rerun = new ArrayList<>();
        // in dispatch order: an engine runs its oldest tasks in its slots, the others wait in its queue and are
        // not to blame for its death
        int running = engine.slots();
        for (Dispatch d : engine.inFlight) {
            d.abandoned = true;
            boolean wasRunning = running-- > 0;
            for (PendingImage image : d.images) {
                image.lostOn.add(engineId);
                if (stalledEngine) {
                    image.stalledOn.add(engineId);
                }
                if (wasRunning && d.isGroup()) {
                    // one of the group did it, or none: each goes on alone, and only a death while it runs alone
                    // makes this one count against it
                    image.suspectedOn.add(engineId);
                } else if (wasRunning) {
                    image.crashedOn.add(engineId);
                }
                // alone from now on, whether its task was a group or not: a single image re-run at the head of a
                // task would otherwise take company again
                image.alone = true;
                withdrawImage(image, engineId, what, rerun);
            }
        }
        engine.inFlight.clear();
        List<PendingImage> moved = placement.engineGone(engineId, rerun, liveView);
        for (PendingImage p : moved) {
            emit(new ProgressEvent.ImageRequeued(p.job, engineId,
                    "engine " + engineId + " " + what + " before it was sent there"));
        }
    }

    /** One image a lost or stalled engine held: failed when it is the likely cause (or out of tries), else re-run. */
    private void withdrawImage(PendingImage image, int engineId, String what, List<PendingImage> rerun) {
        // different engines: one that stalled twice on it (given it back as the only engine left) is no evidence;
        // a group it was in counts only once it has also taken an engine down alone
        long crashes = image.crashedOn.isEmpty() ? 0 : Stream.concat(image.crashedOn.stream(),
                image.suspectedOn.stream()).distinct().count();
        if (crashes >= POISON_CRASHES) {
            LOG.warn("{} was being converted on engines {} when each died or stalled: not sent to another",
                    image.job.relativePath(), Stream.concat(image.suspectedOn.stream(),
                            image.crashedOn.stream()).distinct().toList());
            finish(image, FileResult.failed(image.job.relativePath(), Stage.CONVERT, "crashed " + crashes
                    + " engines; not retried", image.job.sizeBytes(), StageTimings.NONE.withRead(image.readNanos),
                    TaskTrace.NONE));
        } else if (image.attempts >= options.maxAttempts()) {
            finish(image, FileResult.failed(image.job.relativePath(), Stage.CONVERT, "engines were lost "
                    + image.attempts + " times while converting it; giving up", image.job.sizeBytes(),
                    StageTimings.NONE.withRead(image.readNanos), TaskTrace.NONE));
        } else {
            rerun.add(image);
            unsentBytes += image.job.sizeBytes();
            emit(new ProgressEvent.ImageRequeued(image.job, engineId,
                    "engine " + engineId + " " + what + " while converting it"));
        }
    }

    private void finish(PendingImage image, FileResult result) {
        if (results[image.position] != null) {
            throw new IllegalStateException("an image finished twice: " + image.job.relativePath());
        }
        results[image.position] = result;
        done++;
        if (image.heldBytes > 0) {
            window.release(image.heldBytes);
            image.heldBytes = 0;
        }
        image.input = null;
        emit(new ProgressEvent.ImageFinished(image.job, result));
    }

    private void cancelOpen() {
        LOG.info("{} run cancelled: cancelling {} tasks in flight", mode, open.size());
        for (Dispatch d : open) {
            if (d.future != null) {
                d.future.cancel(true);
            }
        }
        open.clear();
    }

    /**
     * Stops the writer and waits for a write in progress and for those waiting for the disk's sync, so no write runs
     * after {@code run()} returns.
     */
    private void stopWriter() {
        if (writer == null) {
            return;
        }
        writer.shutdownNow();
        boolean interrupted = Thread.interrupted();
        try {
            while (true) {
                try {
                    if (!writer.awaitTermination(WRITER_STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                        LOG.error("the writer did not stop within {} s", WRITER_STOP_WAIT_SECONDS);
                    }
                    // and the writes waiting for the disk's sync: renamed into place (or failed) before run() returns
                    pipeline.awaitWrites();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            writer = null;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void emit(ProgressEvent event) {
        try {
            listener.onEvent(event);
        } catch (RuntimeException e) {
            LOG.warn("a progress listener failed on {}", event.getClass().getSimpleName(), e);
        }
    }

    private static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    private static String describe(Throwable t) {
        if (t instanceof CancellationException) {
            return "the task was cancelled";
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    @Override
    public String toString() {
        return mode + " run, results " + Arrays.stream(results).filter(r -> r != null).count() + "/" + results.length;
    }
}
