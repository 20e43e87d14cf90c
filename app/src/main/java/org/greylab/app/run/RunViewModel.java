package org.greylab.app.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import org.greylab.app.Locations;
import org.greylab.app.engines.ClusterService;
import org.greylab.app.engines.EnginesViewModel;
import org.greylab.app.input.ImageRow;
import org.greylab.app.input.InputViewModel;
import org.greylab.app.results.ResultsViewModel;
import org.greylab.app.timeline.TimelineViewModel;
import org.greylab.app.ui.AppExecutor;
import org.greylab.app.ui.EventPump;
import org.greylab.core.image.ConversionSettings;
import org.greylab.core.image.GreyFormula;
import org.greylab.core.image.GreyscaleKernel;
import org.greylab.core.image.OutputFormat;
import org.greylab.core.job.BatchPlan;
import org.greylab.core.job.BatchPlanner;
import org.greylab.core.job.BatchSetupException;
import org.greylab.core.job.FileResult;
import org.greylab.core.job.FileStatus;
import org.greylab.core.job.ImageJob;
import org.greylab.core.job.ImagePipeline;
import org.greylab.core.job.OverwritePolicy;
import org.greylab.core.job.TaskTrace;
import org.greylab.core.progress.ProgressEvent;
import org.greylab.core.schedule.EngineCluster;
import org.greylab.core.schedule.EngineInfo;
import org.greylab.core.schedule.SerialStrategy;
import org.greylab.core.schedule.Strategy;
import org.greylab.core.stats.BatchReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run panel: mode and output options (the CLI's meanings), Run / Cancel / Retry failed, overall progress,
 * the errors list, and the fan-out of the run's progress events to the image list, the engine rows, the
 * timeline and the results table. The batch runs on one background thread; its events reach the FX thread in
 * batches; Cancel bumps the run's generation so nothing late from an abandoned run is shown.
 */
public final class RunViewModel {

    private static final Logger LOG = LoggerFactory.getLogger(RunViewModel.class);
    private static final Duration ENGINE_WAIT = Duration.ofSeconds(90);

    /** Idle, or a run going. */
    public enum State {
        IDLE, RUNNING
    }

    private final AppExecutor executor;
    private final InputViewModel input;
    private final EnginesViewModel engines;
    private final ClusterService clusters;
    private final TimelineViewModel timeline;
    private final ResultsViewModel results;
    private final FolderOpener opener;
    private final GreyscaleKernel kernel = new GreyscaleKernel();

    private final ObjectProperty<RunMode> mode = new SimpleObjectProperty<>(this, "mode", RunMode.COMPARE);
    private final StringProperty output = new SimpleStringProperty(this, "output", "");
    private final ObjectProperty<OutputFormat> format = new SimpleObjectProperty<>(this, "format", OutputFormat.KEEP);
    private final ObjectProperty<GreyFormula> formula = new SimpleObjectProperty<>(this, "formula",
            GreyFormula.SKIMAGE);
    private final ObjectProperty<OverwritePolicy> policy = new SimpleObjectProperty<>(this, "policy",
            OverwritePolicy.SKIP);
    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(this, "state", State.IDLE);
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress", 0);
    private final ReadOnlyStringWrapper phase = new ReadOnlyStringWrapper(this, "phase", "Ready");
    private final ReadOnlyStringWrapper doneText = new ReadOnlyStringWrapper(this, "doneText", "");
    private final ReadOnlyStringWrapper rateText = new ReadOnlyStringWrapper(this, "rateText", "");
    private final ReadOnlyStringWrapper elapsedText = new ReadOnlyStringWrapper(this, "elapsedText", "");
    private final ReadOnlyStringWrapper remainingText = new ReadOnlyStringWrapper(this, "remainingText", "");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error", "");
    private final ReadOnlyStringWrapper defaultOutput = new ReadOnlyStringWrapper(this, "defaultOutput", "");
    private final ReadOnlyBooleanWrapper outputReady = new ReadOnlyBooleanWrapper(this, "outputReady");
    private final ReadOnlyBooleanWrapper canRetry = new ReadOnlyBooleanWrapper(this, "canRetry");
    private final ObservableList<ErrorRow> errors = FXCollections.observableArrayList();
    private final EventPump<Signal> pump;

    private int generation;
    private Future<?> running;
    private ScheduledFuture<?> clock;
    private Path lastOutputRoot;
    private BatchPlan lastPlan;
    private final List<ImageJob> failedJobs = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private int totalImages;
    private int overallDone;
    private int stepImages;
    private int stepDone;
    private int steps;
    private int step;
    private RunMode stepMode;
    private long runStartNanos;
    private long stepStartNanos;
    private boolean identical = true;

    public RunViewModel(AppExecutor executor, InputViewModel input, EnginesViewModel engines,
                        ClusterService clusters, TimelineViewModel timeline, ResultsViewModel results,
                        FolderOpener opener) {
        this.executor = executor;
        this.input = input;
        this.engines = engines;
        this.clusters = clusters;
        this.timeline = timeline;
        this.results = results;
        this.opener = opener;
        this.pump = new EventPump<>(executor.fx(), this::handle);
        input.sources().addListener((ListChangeListener<Path>) c -> updateDefaultOutput());
        updateDefaultOutput();
    }

    // ---- properties ----

    public ObjectProperty<RunMode> modeProperty() {
        return mode;
    }

    /** The output folder the user chose; empty for the default {@code <input>-grey}. */
    public StringProperty outputProperty() {
        return output;
    }

    public ObjectProperty<OutputFormat> formatProperty() {
        return format;
    }

    public ObjectProperty<GreyFormula> formulaProperty() {
        return formula;
    }

    public ObjectProperty<OverwritePolicy> policyProperty() {
        return policy;
    }

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    /** 0..1 over the whole run (all three modes of a comparison). */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty phaseProperty() {
        return phase.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty doneTextProperty() {
        return doneText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty rateTextProperty() {
        return rateText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty elapsedTextProperty() {
        return elapsedText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty remainingTextProperty() {
        return remainingText.getReadOnlyProperty();
    }

    /** What the last run did, in words (counts, comparison verdicts). */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** Why the last run could not start or stopped, in words; empty when it did not. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** The default output folder for the current inputs (the prompt of the output field). */
    public ReadOnlyStringProperty defaultOutputProperty() {
        return defaultOutput.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty outputReadyProperty() {
        return outputReady.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canRetryProperty() {
        return canRetry.getReadOnlyProperty();
    }

    public ObservableList<ErrorRow> errors() {
        return errors;
    }

    public boolean isRunning() {
        return state.get() == State.RUNNING;
    }

    /** The settings a run and the preview use. */
    public ConversionSettings settings() {
        return ConversionSettings.defaults().withFormat(format.get()).withFormula(formula.get());
    }

    /** Whether the last comparison found every mode's outputs identical to serial's. */
    public boolean outputsIdentical() {
        return identical;
    }

    // ---- commands ----

    /** Runs the chosen mode on the listed images. */
    public void run() {
        if (isRunning()) {
            return;
        }
        List<Path> inputs = input.inputs();
        if (inputs.isEmpty() || input.images().isEmpty()) {
            error.set("Nothing to convert: open a folder (Ctrl+O) or drop folders and images on the window.");
            return;
        }
        // blank: the usual <input>-grey, except for the bundled samples of an installed copy (the user's home)
        Path out = output.get() == null || output.get().isBlank()
                ? Locations.defaultOutputFor(inputs, Locations.home()).orElse(null) : Path.of(output.get().trim());
        start(mode.get().steps(), null, inputs, out, settings(), policy.get());
    }

    /** Runs only the images that failed last time, to the same output names. */
    public void retryFailed() {
        if (isRunning() || failedJobs.isEmpty() || lastPlan == null) {
            return;
        }
        List<ImageJob> jobs = new ArrayList<>();
        for (ImageJob j : failedJobs) {
            jobs.add(new ImageJob(jobs.size(), j.source(), j.relativePath(), j.outputPath(), j.sizeBytes(),
                    j.format()));
        }
        BatchPlan plan = new BatchPlan(lastPlan.inputRoots(), lastPlan.outputRoot(), lastPlan.settings(),
                lastPlan.policy(), jobs, List.of());
        RunMode m = mode.get() == RunMode.COMPARE ? RunMode.SERIAL : mode.get();
        start(List.of(m), plan, lastPlan.inputRoots(), lastPlan.outputRoot(), lastPlan.settings(),
                lastPlan.policy());
    }

    /** Stops at once: the window is idle again; running tasks are abandoned and leave no partial file. */
    public void cancel() {
        if (!isRunning()) {
            return;
        }
        generation++;
        if (running != null) {
            running.cancel(true);
        }
        stopClock();
        long now = ImagePipeline.nowMicros();
        timeline.abandonRunning(now);
        engines.runFinished();
        state.set(State.IDLE);
        phase.set("Cancelled");
        remainingText.set("");
        message.set("Cancelled after " + overallDone + " of " + totalImages
                + " images; the images done are in the output folder, and no partial file is left.");
        outputReady.set(lastOutputRoot != null && Files.isDirectory(lastOutputRoot));
    }

    /** Opens the output folder in the file manager (off the FX thread). */
    public void openOutput() {
        Path folder = lastOutputRoot;
        if (folder == null) {
            return;
        }
        executor.run(() -> {
            opener.open(folder);
            return folder;
        }, f -> { }, e -> error.set("The output folder " + folder + " could not be opened: " + e.getMessage()));
    }

    public Optional<Path> lastOutputFolder() {
        return Optional.ofNullable(lastOutputRoot);
    }

    // ---- the run ----

    private record Request(List<RunMode> steps, BatchPlan plan, List<Path> inputs, Path output,
                           ConversionSettings settings, OverwritePolicy policy) {
    }

    private sealed interface Signal permits Planned, StepStarted, Progress, StepFinished, Compared, Note {
        int gen();
    }

    private record Planned(int gen, BatchPlan plan, int steps) implements Signal {
    }

    private record StepStarted(int gen, int step, RunMode mode, List<EngineInfo> engines, int images,
                               long micros) implements Signal {
    }

    private record Progress(int gen, ProgressEvent event, long micros) implements Signal {
    }

    private record StepFinished(int gen, int step, RunMode mode, BatchReport report, List<EngineInfo> engines)
            implements Signal {
    }

    private record Compared(int gen, RunMode mode, List<String> differences) implements Signal {
    }

    private record Note(int gen, String text) implements Signal {
    }

    private void start(List<RunMode> runSteps, BatchPlan plan, List<Path> inputs, Path out,
                       ConversionSettings settings, OverwritePolicy overwrite) {
        int gen = ++generation;
        Request request = new Request(List.copyOf(runSteps), plan, inputs, out, settings, overwrite);
        state.set(State.RUNNING);
        error.set("");
        message.set("");
        notes.clear();
        identical = true;
        outputReady.set(false);
        progress.set(-1);
        phase.set("Planning…");
        doneText.set("");
        rateText.set("");
        remainingText.set("");
        elapsedText.set("0:00");
        overallDone = 0;
        totalImages = 0;
        steps = runSteps.size();
        runStartNanos = System.nanoTime();
        clock = executor.every(250, () -> tick(gen));
        running = executor.run(() -> execute(gen, request), ignored -> finished(gen), e -> failed(gen, e));
    }

    /** Runs on the background thread; talks to the FX thread only through the pump. */
    private Void execute(int gen, Request request) throws Exception {
        BatchPlan plan = request.plan() != null ? request.plan() : plan(request);
        pump.post(new Planned(gen, plan, request.steps().size()));
        if (plan.jobs().isEmpty()) {
            return null;
        }
        BatchPlanner.prepareOutputFolder(plan);
        List<FileResult> reference = null;
        for (int i = 0; i < request.steps().size(); i++) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("cancelled");
            }
            RunMode m = request.steps().get(i);
            Path temp = null;
            BatchPlan target = plan;
            try {
                if (i > 0) {
                    temp = Files.createTempDirectory("greylab-compare-" + m.strategyName() + "-");
                    target = new BatchPlan(plan.inputRoots(), temp, plan.settings(), OverwritePolicy.OVERWRITE,
                            plan.jobs(), List.of());
                }
                ImagePipeline pipeline = new ImagePipeline(kernel);
                Strategy strategy;
                List<EngineInfo> used = List.of();
                if (m == RunMode.SERIAL) {
                    strategy = new SerialStrategy(pipeline);
                } else {
                    Optional<EngineCluster> cluster = clusters.awaitCluster(ENGINE_WAIT);
                    if (cluster.isEmpty() || cluster.get().engines().isEmpty()) {
                        pump.post(new Note(gen, m.label() + " did not run: no engines. Start local engines or "
                                + "connect to lab engines in the Engines panel."));
                        continue;
                    }
                    used = List.copyOf(cluster.get().engines());
                    strategy = clusters.strategy(m == RunMode.BALANCED, pipeline);
                }
                pump.post(new StepStarted(gen, i, m, used, plan.jobs().size(), ImagePipeline.nowMicros()));
                long t0 = System.nanoTime();
                List<FileResult> rows = strategy.run(target, event ->
                        pump.post(new Progress(gen, event, ImagePipeline.nowMicros())));
                long wall = System.nanoTime() - t0;
                BatchReport report = BatchReport.of(target, m.strategyName(), rows, wall, false);
                pump.post(new StepFinished(gen, i, m, report, used));
                if (reference == null) {
                    reference = rows;
                } else {
                    pump.post(new Compared(gen, m, OutputComparison.differences(plan.outputRoot(), reference,
                            temp, rows)));
                }
            } finally {
                OutputComparison.deleteTree(temp);
            }
        }
        return null;
    }

    private BatchPlan plan(Request request) throws BatchSetupException {
        BatchPlan planned = new BatchPlanner().plan(request.inputs(), request.output(), request.settings(),
                request.policy(), true);
        return new BatchPlan(planned.inputRoots(), planned.outputRoot(), planned.settings(), planned.policy(),
                input.keepListed(planned.jobs()), planned.skipped());
    }

    private void handle(List<Signal> batch) {
        boolean engineEvents = false;
        for (Signal s : batch) {
            if (s.gen() != generation || !isRunning()) {
                continue;
            }
            if (s instanceof Progress p) {
                progressEvent(p);
                engineEvents |= stepMode != null && stepMode.needsEngines();
            } else if (s instanceof Planned p) {
                planned(p);
            } else if (s instanceof StepStarted st) {
                stepStarted(st);
            } else if (s instanceof StepFinished f) {
                stepFinished(f);
            } else if (s instanceof Compared c) {
                compared(c);
            } else if (s instanceof Note n) {
                notes.add(n.text());
                message.set(String.join(" ", notes));
            }
        }
        timeline.changed();
        if (engineEvents) {
            engines.refresh();
        }
        updateProgress();
    }

    private void planned(Planned p) {
        lastPlan = p.plan();
        lastOutputRoot = p.plan().outputRoot();
        totalImages = p.plan().jobs().size() * p.steps();
        errors.clear();
        failedJobs.clear();
        canRetry.set(false);
        timeline.clear();
        for (ImageRow row : input.images()) {
            row.clearOutcome();
        }
        for (FileResult skipped : p.plan().skipped()) {
            input.row(skipped.input()).ifPresent(r -> {
                r.statusProperty().set("skipped");
                r.reasonProperty().set(skipped.reason());
            });
        }
        if (p.plan().jobs().isEmpty()) {
            notes.add("Nothing to convert: " + p.plan().skipped().size() + " file(s) skipped"
                    + (policy.get() == OverwritePolicy.SKIP ? " (outputs already there: choose overwrite or"
                    + " rename to convert them again)." : "."));
            message.set(String.join(" ", notes));
        }
    }

    private void stepStarted(StepStarted st) {
        step = st.step();
        stepMode = st.mode();
        stepImages = st.images();
        stepDone = 0;
        stepStartNanos = System.nanoTime();
        phase.set((steps > 1 ? "Compare · " + st.mode().label() + " (" + (st.step() + 1) + " of " + steps + ")"
                : st.mode().label()) + (st.engines().isEmpty() ? "" : " on " + st.engines().size() + " engine"
                + (st.engines().size() == 1 ? "" : "s")));
        timeline.runStarted(st.mode().strategyName(), st.engines(), st.micros());
        if (st.mode().needsEngines()) {
            engines.runStarted(st.mode().strategyName(), st.images());
        }
    }

    private void progressEvent(Progress p) {
        ProgressEvent event = p.event();
        timeline.event(event, p.micros());
        if (stepMode != null && stepMode.needsEngines()) {
            engines.event(event);
        }
        if (event instanceof ProgressEvent.ImageFinished f) {
            stepDone++;
            overallDone++;
            FileResult r = f.result();
            input.row(r.input()).ifPresent(row -> {
                row.statusProperty().set(r.status().label());
                row.reasonProperty().set(r.reason() == null ? "" : r.stage() == null ? r.reason()
                        : r.stage().label() + ": " + r.reason());
                row.engineProperty().set(engineName(r.trace()));
                TaskTrace t = r.trace();
                if (t != null && t.finishedMicros() >= t.startedMicros() && t.startedMicros() > 0) {
                    row.timeProperty().set(String.format(Locale.ROOT, "%.0f ms",
                            (t.finishedMicros() - t.startedMicros()) / 1e3));
                }
            });
        }
    }

    private void stepFinished(StepFinished f) {
        int slots = f.engines().stream().mapToInt(e -> Math.max(1, e.slots())).sum();
        results.add(f.report(), f.engines().size(), slots);
        if (f.mode().needsEngines()) {
            engines.runFinished();
        }
        if (errors.isEmpty() && failedJobs.isEmpty()) {
            Set<String> failed = new HashSet<>();
            for (FileResult e : f.report().errors()) {
                errors.add(new ErrorRow(e.input(), e.stage() == null ? "" : e.stage().label(), e.reason(),
                        engineName(e.trace())));
                failed.add(e.input());
            }
            for (ImageJob job : lastPlan.jobs()) {
                if (failed.contains(job.relativePath())) {
                    failedJobs.add(job);
                }
            }
            canRetry.set(!failedJobs.isEmpty());
        }
        notes.add(String.format(Locale.ROOT, "%s: %d converted, %d failed in %.2f s.", f.mode().label(),
                f.report().converted(), f.report().failed(), f.report().wallSeconds()));
        message.set(String.join(" ", notes));
    }

    private void compared(Compared c) {
        if (c.differences().isEmpty()) {
            notes.add(c.mode().label() + " outputs identical to serial.");
        } else {
            identical = false;
            notes.add(c.mode().label() + " outputs DIFFER from serial: " + String.join("; ",
                    c.differences().subList(0, Math.min(3, c.differences().size()))) + ".");
        }
        message.set(String.join(" ", notes));
    }

    private void finished(int gen) {
        if (gen != generation) {
            return;
        }
        stopClock();
        state.set(State.IDLE);
        progress.set(totalImages == 0 ? 0 : 1);
        phase.set("Done");
        remainingText.set("");
        tickTexts();
        outputReady.set(lastOutputRoot != null && Files.isDirectory(lastOutputRoot));
    }

    private void failed(int gen, Throwable e) {
        if (gen != generation) {
            return;
        }
        stopClock();
        timeline.abandonRunning(ImagePipeline.nowMicros());
        engines.runFinished();
        state.set(State.IDLE);
        progress.set(0);
        phase.set("Stopped");
        remainingText.set("");
        LOG.debug("run failed", e);
        error.set(e instanceof BatchSetupException || e instanceof org.greylab.app.engines.ClusterException
                ? e.getMessage() : "The run stopped: " + e);
    }

    private void tick(int gen) {
        if (gen != generation || !isRunning()) {
            return;
        }
        timeline.tick(ImagePipeline.nowMicros());
        if (stepMode != null && stepMode.needsEngines()) {
            engines.refresh();
        }
        tickTexts();
    }

    private void tickTexts() {
        double elapsed = (System.nanoTime() - runStartNanos) / 1e9;
        elapsedText.set(clockText(elapsed));
        double stepElapsed = (System.nanoTime() - stepStartNanos) / 1e9;
        double rate = stepDone == 0 || stepElapsed <= 0 ? 0 : stepDone / stepElapsed;
        rateText.set(rate == 0 ? "" : String.format(Locale.ROOT, "%.1f images/s", rate));
        if (isRunning() && rate > 0) {
            remainingText.set("about " + clockText((totalImages - overallDone) / rate) + " left");
        }
    }

    private void updateProgress() {
        if (totalImages > 0) {
            progress.set((double) overallDone / totalImages);
            doneText.set(stepDone + " / " + stepImages + " images" + (steps > 1 ? " · " + overallDone + " / "
                    + totalImages + " in all" : ""));
        }
    }

    private void stopClock() {
        if (clock != null) {
            clock.cancel(false);
            clock = null;
        }
    }

    private void updateDefaultOutput() {
        try {
            List<Path> inputs = input.inputs();
            defaultOutput.set(inputs.isEmpty() ? "" : Locations.defaultOutputFor(inputs, Locations.home())
                    .orElse(BatchPlanner.defaultOutputFolder(inputs)).toString());
        } catch (BatchSetupException e) {
            defaultOutput.set("");
        }
    }

    static String engineName(TaskTrace t) {
        if (t == null || !t.ranOnEngine()) {
            return "serial";
        }
        return "engine " + t.engineId();
    }

    static String clockText(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
