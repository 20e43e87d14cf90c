package org.greylab.core.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.greylab.core.image.ConversionSettings;
import org.greylab.core.image.Decoders;
import org.greylab.core.image.GreyscaleKernel;
import org.greylab.core.image.KernelWarmUp;
import org.greylab.core.job.BatchJournal;
import org.greylab.core.job.BatchPlan;
import org.greylab.core.job.BatchPlanner;
import org.greylab.core.job.BatchSetupException;
import org.greylab.core.job.FileResult;
import org.greylab.core.job.FileStatus;
import org.greylab.core.job.ImagePipeline;
import org.greylab.core.schedule.BatchStoppedException;
import org.greylab.core.schedule.DispatchOptions;
import org.greylab.core.schedule.EngineCluster;
import org.greylab.core.schedule.EngineInfo;
import org.greylab.core.schedule.Mode;
import org.greylab.core.schedule.ProgressEvent;
import org.greylab.core.schedule.RunSummary;
import org.greylab.core.schedule.Strategy;
import org.greylab.core.stats.BatchReport;
import org.greylab.core.stats.OutputComparison;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a plan: one mode, or a Compare of several on the same images, each as often as asked. It is the only code
 * that turns a mode into a strategy ({@link Mode#strategy}), keeps the temporary folders of the modes that do not
 * write the user's folder (and deletes them), compares every mode's outputs with the first's, and derives each
 * mode's figures ({@link ModeResult}). The CLI's {@code convert} and {@code bench} and the window configure it and
 * read its {@link RunEvent}s; none of them orchestrates a run itself.
 *
 * <p>A run happens on the calling thread. Interrupting it cancels: the mode running stops without partial files,
 * the run ends with {@link RunOutcome#cancelled()}, and the thread's interrupt flag is set again on return.
 */
public final class RunService {

    private static final Logger LOG = LoggerFactory.getLogger(RunService.class);
    /** What the names of the temporary output folders begin with (then the mode's word). */
    public static final String TEMPORARY_FOLDER_PREFIX = "greylab-run-";
    /** Plans whose serial time is remembered, so a later distributed run of the same plan gets its speedup. */
    private static final int REMEMBERED_PLANS = 16;

    /** How long this process's kernel warms up before its first comparison, as long as an engine's. */
    static final Duration COMPARE_WARM_UP = Duration.ofMillis(1500);

    private final GreyscaleKernel kernel;
    private final EngineSource engineSource;
    private final DispatchOptions dispatch;
    private final Path scratch;
    /**
     * Run before a comparison that has serial in it: serial converts in this process, and a JIT that has not
     * compiled the kernel yet would flatter every mode compared with it (the engines warm up as they start).
     */
    private Runnable compareWarmUp = () -> KernelWarmUp.runOnce(COMPARE_WARM_UP);
    private final Map<PlanKey, Long> serialWalls = Collections.synchronizedMap(
            new LinkedHashMap<>(REMEMBERED_PLANS, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<PlanKey, Long> eldest) {
                    return size() > REMEMBERED_PLANS;
                }
            });

    /** A service whose temporary folders go in the system's temporary folder. */
    public RunService(GreyscaleKernel kernel, EngineSource engineSource, DispatchOptions dispatch) {
        this(kernel, engineSource, dispatch, null);
    }

    /** @param scratch where temporary output folders are made; null for the system's temporary folder */
    public RunService(GreyscaleKernel kernel, EngineSource engineSource, DispatchOptions dispatch, Path scratch) {
        this.kernel = Objects.requireNonNull(kernel, "kernel");
        this.engineSource = Objects.requireNonNull(engineSource, "engineSource");
        this.dispatch = Objects.requireNonNull(dispatch, "dispatch");
        this.scratch = scratch;
    }

    /** Replaces what runs before a comparison with serial in it (tests: to see when it runs). */
    void compareWarmUp(Runnable warmUp) {
        this.compareWarmUp = Objects.requireNonNull(warmUp, "warmUp");
    }

    /** The same images, settings and names: runs of one plan may be compared and their speedups derived. */
    private record PlanKey(List<Path> inputRoots, List<String> jobs, ConversionSettings settings) {
        static PlanKey of(BatchPlan plan) {
            return new PlanKey(plan.inputRoots(), plan.jobs().stream()
                    .map(j -> j.relativePath() + "\n" + j.sizeBytes() + "\n" + j.outputPath()).toList(),
                    plan.settings());
        }
    }

    /** What one mode has done so far in a run. */
    private static final class ModeRuns {
        final Path folder;
        final boolean temporary;
        final List<Long> walls = new ArrayList<>();
        List<FileResult> lastResults = List.of();
        boolean skipped;

        ModeRuns(Path folder, boolean temporary) {
            this.folder = folder;
            this.temporary = temporary;
        }
    }

    /**
     * Runs the request and returns what it did; every step is also sent to {@code listener} as it happens.
     *
     * @throws BatchSetupException when an output folder cannot be made or written
     * @throws IOException         when a temporary folder cannot be made, or outputs cannot be read to compare
     */
    public RunOutcome run(RunRequest request, RunListener listener) throws BatchSetupException, IOException {
        PlanKey key = PlanKey.of(request.plan());
        List<Mode> modes = request.modes();
        BatchPlan plan;
        try {
            plan = request.plan().withSettings(request.plan().settings().withDecoders(decoders(request)));
        } catch (InterruptedException e) {
            listener.onEvent(new RunEvent.RunStarted(request.plan(), modes, request.repeat(),
                    ImagePipeline.nowMicros()));
            Thread.currentThread().interrupt();
            RunOutcome none = new RunOutcome(List.of(), List.of(), List.of(), true);
            listener.onEvent(new RunEvent.RunEnded(none, ImagePipeline.nowMicros()));
            return none;
        }
        Map<Mode, ModeRuns> runs = new EnumMap<>(Mode.class);
        List<ModeResult> results = new ArrayList<>();
        List<RunEvent.Compared> comparisons = new ArrayList<>();
        List<RunEvent.ModeSkipped> skipped = new ArrayList<>();
        boolean cancelled = false;
        listener.onEvent(new RunEvent.RunStarted(plan, modes, request.repeat(), ImagePipeline.nowMicros()));
        if (plan.jobs().isEmpty()) {
            // nothing to convert (every file skipped at planning): no mode runs, no engine is asked for
            RunOutcome nothing = new RunOutcome(List.of(), List.of(), List.of(), false);
            listener.onEvent(new RunEvent.RunEnded(nothing, ImagePipeline.nowMicros()));
            return nothing;
        }
        if (modes.size() > 1 && modes.contains(Mode.SERIAL)) {
            compareWarmUp.run();
        }
        try {
            for (int i = 0; i < modes.size(); i++) {
                boolean intoPlan = i == 0 && request.outputs() == RunRequest.Outputs.FIRST_INTO_PLAN;
                runs.put(modes.get(i), intoPlan ? new ModeRuns(plan.outputRoot(), false)
                        : new ModeRuns(temporaryFolder(modes.get(i)), true));
            }
            rounds:
            for (int round = 0; round < request.repeat(); round++) {
                for (int step = 0; step < modes.size(); step++) {
                    Mode mode = modes.get(step);
                    ModeRuns done = runs.get(mode);
                    if (done.skipped) {
                        continue;
                    }
                    if (Thread.currentThread().isInterrupted()) {
                        cancelled = true;
                        break rounds;
                    }
                    EngineCluster cluster = null;
                    List<EngineInfo> engines = List.of();
                    if (mode.needsEngines()) {
                        Optional<EngineCluster> found;
                        try {
                            found = engineSource.engines();
                        } catch (InterruptedException e) {
                            cancelled = true;
                            break rounds;
                        }
                        if (found.isEmpty() || found.get().engines().isEmpty()) {
                            done.skipped = true;
                            RunEvent.ModeSkipped why = new RunEvent.ModeSkipped(mode, "no engines");
                            skipped.add(why);
                            listener.onEvent(why);
                            continue;
                        }
                        cluster = found.get();
                        engines = List.copyOf(cluster.engines());
                    }
                    ModeResult result = runOnce(request, plan, step, round, mode, done, cluster, engines, runs,
                            key, listener);
                    if (round == request.repeat() - 1 || result.report().cancelled()) {
                        results.add(result);
                    }
                    if (result.report().cancelled()) {
                        cancelled = true;
                        break rounds;
                    }
                }
            }
            if (!cancelled) {
                compare(modes, runs, comparisons, listener);
            }
        } finally {
            for (ModeRuns r : runs.values()) {
                if (r.temporary) {
                    OutputFolders.deleteTree(r.folder);
                }
            }
        }
        if (cancelled) {
            Thread.currentThread().interrupt();
        }
        RunOutcome outcome = new RunOutcome(results, comparisons, skipped, cancelled);
        listener.onEvent(new RunEvent.RunEnded(outcome, ImagePipeline.nowMicros()));
        return outcome;
    }

    /**
     * The batch's decoders, one set for all its modes so that their outputs are byte-identical: libjpeg-turbo,
     * libwebp and libheif each only when the settings allow it and every party has it (this process when serial
     * runs, every engine of the run); the Java decoders (and no HEIF) otherwise. Asking for the engines here waits
     * for them when they are still starting.
     */
    private Decoders decoders(RunRequest request) throws InterruptedException {
        Decoders decoders = request.plan().settings().decoders();
        if (request.plan().jobs().isEmpty()) {
            return decoders;
        }
        if (request.modes().contains(Mode.SERIAL)) {
            decoders = decoders.and(Decoders.preferred());
        }
        if (request.modes().stream().anyMatch(Mode::needsEngines)) {
            Optional<EngineCluster> found = engineSource.engines();
            for (EngineInfo engine : found.map(EngineCluster::engines).orElse(List.of())) {
                decoders = decoders.and(engine.decoders());
            }
        }
        return decoders;
    }

    private Path temporaryFolder(Mode mode) throws IOException {
        String prefix = TEMPORARY_FOLDER_PREFIX + mode.word() + "-";
        return scratch == null ? Files.createTempDirectory(prefix) : Files.createTempDirectory(scratch, prefix);
    }

    private ModeResult runOnce(RunRequest request, BatchPlan plan, int step, int round, Mode mode, ModeRuns done,
                               EngineCluster cluster, List<EngineInfo> engines, Map<Mode, ModeRuns> runs,
                               PlanKey key, RunListener listener) throws BatchSetupException, IOException {
        BatchPlan target = done.temporary ? plan.withOutputRoot(done.folder) : plan;
        if (done.temporary) {
            OutputFolders.empty(done.folder);
        }
        BatchPlanner.prepareOutputFolder(target);
        // the same journal calls for every mode and every failover: the strategies never see it
        BatchJournal journal = done.temporary ? BatchJournal.NONE : request.journal();
        journal.started(target);
        try {
            return runStarted(request, plan, target, step, round, mode, done, cluster, engines, runs, key, listener,
                    journal);
        } finally {
            // ends the journal when the run did not (an unexpected error): its lock must not outlive the run
            journal.ended(false);
        }
    }

    private ModeResult runStarted(RunRequest request, BatchPlan plan, BatchPlan target, int step, int round,
                                  Mode mode, ModeRuns done, EngineCluster cluster, List<EngineInfo> engines,
                                  Map<Mode, ModeRuns> runs, PlanKey key, RunListener listener, BatchJournal journal)
            throws BatchSetupException, IOException {
        listener.onEvent(new RunEvent.ModeStarted(mode, step, request.modes().size(), round, request.repeat(),
                engines, plan.jobs().size(), ImagePipeline.nowMicros()));
        List<FileResult> finished = Collections.synchronizedList(new ArrayList<>());
        long t0 = System.nanoTime();
        List<FileResult> rows;
        boolean cancelled = false;
        String stopReason = null;
        ImagePipeline pipeline = new ImagePipeline(kernel, journal);
        Strategy strategy = mode.strategy(cluster, pipeline,
                request.grouping() == null ? dispatch : dispatch.withGrouping(request.grouping()));
        try {
            rows = strategy.run(target, event -> {
                if (event instanceof ProgressEvent.ImageFinished f) {
                    finished.add(f.result());
                    if (f.result().status() == FileStatus.FAILED) {
                        journal.failed(f.job(), f.result());
                    }
                }
                listener.onEvent(new RunEvent.Progress(mode, event, ImagePipeline.nowMicros()));
            });
        } catch (InterruptedException e) {
            cancelled = true;
            synchronized (finished) {
                rows = List.copyOf(finished);
            }
        } catch (BatchStoppedException e) {
            cancelled = true;
            stopReason = e.getMessage();
            rows = e.done();
        }
        // the outputs' names are durable before the batch counts as done (their contents already are)
        pipeline.syncFolders();
        journal.ended(!cancelled && rows.size() == target.jobs().size());
        long wall = System.nanoTime() - t0;
        done.walls.add(wall);
        done.lastResults = rows;
        if (mode == Mode.SERIAL && !cancelled) {
            serialWalls.put(key, ModeResult.median(done.walls));
        }
        ModeRuns serial = runs.get(Mode.SERIAL);
        Long serialWall = serial != null && !serial.walls.isEmpty() ? Long.valueOf(ModeResult.median(serial.walls))
                : serialWalls.get(key);
        BatchReport report = BatchReport.of(target, mode, rows, wall, cancelled, stopReason);
        RunSummary summary = mode.needsEngines() ? RunSummary.of(rows, wall, engines) : null;
        ModeResult result = new ModeResult(mode, report, engines, done.walls, serialWall, summary);
        LOG.debug("{} run {} of {}: {} converted, {} failed in {} ms{}", mode, round + 1, request.repeat(),
                report.converted(), report.failed(), wall / 1_000_000, cancelled ? " (cancelled)" : "");
        listener.onEvent(new RunEvent.ModeFinished(step, round, result, ImagePipeline.nowMicros()));
        return result;
    }

    private static void compare(List<Mode> modes, Map<Mode, ModeRuns> runs, List<RunEvent.Compared> comparisons,
                                RunListener listener) throws IOException {
        Mode reference = modes.get(0);
        ModeRuns first = runs.get(reference);
        if (first.skipped || first.walls.isEmpty()) {
            return;
        }
        for (Mode mode : modes.subList(1, modes.size())) {
            ModeRuns other = runs.get(mode);
            if (other.skipped || other.walls.isEmpty()) {
                continue;
            }
            RunEvent.Compared compared = new RunEvent.Compared(mode, reference, OutputComparison.compare(
                    first.folder, first.lastResults, other.folder, other.lastResults));
            comparisons.add(compared);
            listener.onEvent(compared);
        }
    }
}
