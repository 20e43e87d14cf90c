package org.greylab.app.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import org.greylab.app.engines.ClusterException;
import org.greylab.app.engines.ClusterService;
import org.greylab.app.fx.AppExecutor;
import org.greylab.app.fx.EventPump;
import org.greylab.app.fx.RunSubscriber;
import org.greylab.app.input.InputViewModel;
import org.greylab.app.journal.Journal;
import org.greylab.app.journal.JournalFile;
import org.greylab.app.journal.ResumePlanner;
import org.greylab.core.image.ConversionSettings;
import org.greylab.core.image.GreyscaleKernel;
import org.greylab.core.job.BatchPlan;
import org.greylab.core.job.BatchPlanner;
import org.greylab.core.job.BatchSetupException;
import org.greylab.core.job.ImageJob;
import org.greylab.core.job.ImagePipeline;
import org.greylab.core.job.OverwritePolicy;
import org.greylab.core.run.RunEvent;
import org.greylab.core.run.RunOutcome;
import org.greylab.core.run.RunRequest;
import org.greylab.core.run.RunService;
import org.greylab.core.schedule.DispatchOptions;
import org.greylab.core.schedule.TaskGrouping;
import org.greylab.core.schedule.Mode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run panel: Run / Cancel / Retry failed, with its options ({@link RunOptions}), progress ({@link RunProgress}),
 * errors list ({@link FailedImages}) and what the run did in words ({@link RunMessages}). A run is the
 * {@link RunService}'s, on one background thread; its events reach the FX thread in batches and go to every
 * {@link RunSubscriber} (those four, and the image list, the engine rows, the timeline and the timings). Cancel
 * bumps the run's generation, so nothing late from an abandoned run is shown.
 */
public final class RunViewModel {

    private static final Logger LOG = LoggerFactory.getLogger(RunViewModel.class);
    private static final Duration ENGINE_WAIT = Duration.ofSeconds(90);

    /** Idle, or a run going. */
    public enum State {
        IDLE, RUNNING
    }

    private record Tagged(int gen, RunEvent event) {
    }

    private final AppExecutor executor;
    private final InputViewModel input;
    private final RunService service;
    private final FolderOpener opener;
    private final List<RunSubscriber> subscribers = new CopyOnWriteArrayList<>();
    private final RunProgress progress = new RunProgress();
    private final RunOptions options;
    private final FailedImages failed = new FailedImages();
    private final RunMessages messages = new RunMessages();
    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(this, "state", State.IDLE);
    private final ReadOnlyStringWrapper phase = new ReadOnlyStringWrapper(this, "phase", "Ready");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error", "");
    private final ReadOnlyBooleanWrapper outputReady = new ReadOnlyBooleanWrapper(this, "outputReady");
    private final ReadOnlyBooleanWrapper resumable = new ReadOnlyBooleanWrapper(this, "resumable");
    /** Counts the looks for a journal, so that only the latest one's answer is shown. */
    private int journalLook;
    private final EventPump<Tagged> pump;
    private int generation;
    private Future<?> running;
    private ScheduledFuture<?> clock;
    private BatchPlan lastPlan;

    public RunViewModel(AppExecutor executor, InputViewModel input, ClusterService clusters, FolderOpener opener) {
        this.executor = executor;
        this.input = input;
        this.opener = opener;
        this.options = new RunOptions(input);
        this.service = new RunService(new GreyscaleKernel(), () -> clusters.awaitCluster(ENGINE_WAIT),
                DispatchOptions.defaults());
        this.pump = new EventPump<>(executor.fx(), this::handle);
        subscribers.add(progress);
        subscribers.add(failed);
        subscribers.add(messages);
        input.sources().addListener((ListChangeListener<Path>) c -> lookForJournal());
        options.outputProperty().addListener((o, was, now) -> lookForJournal());
        options.defaultOutputProperty().addListener((o, was, now) -> lookForJournal());
    }

    /** Adds a view model that follows every run from now on (on the FX thread). */
    public void subscribe(RunSubscriber subscriber) {
        subscribers.add(subscriber);
    }

    public RunOptions options() {
        return options;
    }

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public RunProgress progress() {
        return progress;
    }

    public ReadOnlyStringProperty phaseProperty() {
        return phase.getReadOnlyProperty();
    }

    /** What the last run did, in words (counts, comparison verdicts). */
    public ReadOnlyStringProperty messageProperty() {
        return messages.messageProperty();
    }

    /** Why the last run could not start or stopped, in words; empty when it did not. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty outputReadyProperty() {
        return outputReady.getReadOnlyProperty();
    }

    /**
     * Whether the chosen output folder holds the journal of a batch that did not finish (a run killed, cancelled or
     * stopped): Resume then converts only what it did not do.
     */
    public ReadOnlyBooleanProperty resumableProperty() {
        return resumable.getReadOnlyProperty();
    }

    public FailedImages failed() {
        return failed;
    }

    public boolean isRunning() {
        return state.get() == State.RUNNING;
    }

    /** Whether the last comparison found every mode's outputs identical to the first mode's. */
    public boolean outputsIdentical() {
        return messages.identical();
    }

    /** Runs the chosen modes on the listed images. */
    public void run() {
        if (isRunning()) {
            return;
        }
        List<Path> inputs = input.inputs();
        if (inputs.isEmpty() || input.images().isEmpty()) {
            error.set("Nothing to convert: open a folder (Ctrl+O) or drop folders and images on the window.");
            return;
        }
        Path out = options.outputFolder(inputs);
        ConversionSettings settings = options.settings();
        OverwritePolicy overwrite = options.policyProperty().get();
        List<Mode> chosen = options.modesProperty().get();
        start(() -> {
            BatchPlanner planner = new BatchPlanner();
            BatchPlan planned = planner.plan(inputs, out, settings, overwrite, true);
            List<ImageJob> jobs = input.keepListed(planned.jobs());
            if (jobs.isEmpty() && chosen.size() > 1 && overwrite == OverwritePolicy.SKIP) {
                // a Compare whose outputs are all there already still compares (else pressing Compare twice would
                // compare nothing): every mode into a temporary folder, the outputs there left as they are
                BatchPlan again = planner.plan(inputs, out, settings, OverwritePolicy.OVERWRITE, true);
                List<ImageJob> all = input.keepListed(again.jobs());
                if (!all.isEmpty()) {
                    BatchPlan plan = again.withJobs(all);
                    String note = "The outputs in " + again.outputRoot() + " are there already and were kept"
                            + " (existing: skip): this Compare ran every mode into temporary folders, deleted after.";
                    return new Prepared(new ResumePlanner.Planned(plan, List.of(), null, List.of(note), false,
                            List.of()), RunRequest.Outputs.ALL_TEMPORARY);
                }
            }
            return new Prepared(ResumePlanner.fresh(planned.withJobs(jobs), true), RunRequest.Outputs.FIRST_INTO_PLAN);
        }, chosen);
    }

    /** What a run is to do: its plan, and where its modes write. */
    private record Prepared(ResumePlanner.Planned planned, RunRequest.Outputs outputs) {
    }

    /**
     * Goes on with the unfinished batch whose journal is in the output folder: the images it did not do, with its
     * settings (checked), in the mode chosen (serial for Compare); the others stay as they are.
     */
    public void resume() {
        List<Path> inputs = input.inputs();
        Path out = options.outputFolder(inputs);
        if (isRunning() || inputs.isEmpty() || out == null) {
            return;
        }
        ConversionSettings settings = options.settings();
        OverwritePolicy overwrite = options.policyProperty().get();
        List<Mode> chosen = options.modesProperty().get();
        start(() -> {
            ResumePlanner.Planned planned = ResumePlanner.resume(inputs, out, settings, overwrite, true);
            BatchPlan plan = planned.plan();
            planned.removeStaleOutputs();
            return new Prepared(new ResumePlanner.Planned(plan.withJobs(input.keepListed(plan.jobs())),
                    planned.earlier(), planned.journal(), planned.notes(), planned.nothingToDo(), List.of()),
                    RunRequest.Outputs.FIRST_INTO_PLAN);
        }, List.of(chosen.size() == 1 ? chosen.get(0) : Mode.SERIAL));
    }

    /** Runs only the images that failed last time, to the same names, in the mode chosen (serial for Compare). */
    public void retryFailed() {
        BatchPlan plan = failed.retryPlan();
        if (isRunning() || plan == null) {
            return;
        }
        List<Mode> chosen = options.modesProperty().get();
        start(() -> {
            // the batch's journal goes on recording: a later resume knows these images are done
            Optional<Journal> journal = Journal.read(plan.outputRoot());
            return new Prepared(journal.isEmpty()
                    ? new ResumePlanner.Planned(plan, List.of(), null, List.of(), false, List.of())
                    : new ResumePlanner.Planned(plan, List.of(), JournalFile.continuing(journal.get()), List.of(),
                    false, List.of()), RunRequest.Outputs.FIRST_INTO_PLAN);
        }, List.of(chosen.size() == 1 ? chosen.get(0) : Mode.SERIAL));
    }

    /** Shows a sentence where the run's results go (settings that could not be used, say). */
    public void notice(String text) {
        messages.note(text);
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
        stopped(false, "Cancelled");
        messages.replace("Cancelled after " + progress.overallDone() + " of " + progress.totalImages()
                + " images; the images done are in the output folder, and no partial file is left.");
    }

    /** Opens the output folder in the file manager (off the FX thread). */
    public void openOutput() {
        Path folder = lastOutputFolder().orElse(null);
        if (folder == null) {
            return;
        }
        executor.run(() -> {
            opener.open(folder);
            return folder;
        }, f -> { }, e -> error.set("The output folder " + folder + " could not be opened: " + e.getMessage()));
    }

    public Optional<Path> lastOutputFolder() {
        return Optional.ofNullable(lastPlan).map(BatchPlan::outputRoot);
    }

    private void start(Callable<Prepared> planning, List<Mode> chosen) {
        int gen = ++generation;
        // read here, on the FX thread: the run reads this snapshot, never the property
        TaskGrouping grouping = options.groupingProperty().get();
        state.set(State.RUNNING);
        resumable.set(false);
        error.set("");
        messages.clear();
        outputReady.set(false);
        phase.set("Planning…");
        progress.planning();
        clock = executor.every(250, () -> tick(gen));
        running = executor.run(() -> {
            Prepared prepared = planning.call();
            ResumePlanner.Planned planned = prepared.planned();
            BatchPlan plan = planned.plan();
            executor.fx().execute(() -> planned(gen, planned));
            if (planned.nothingToDo()) {
                planned.endIfNothingLeft();
                return new RunOutcome(List.of(), List.of(), List.of(), false);
            }
            RunRequest request = new RunRequest(plan, chosen, 1, prepared.outputs())
                    .withGrouping(grouping);
            return service.run(planned.journal() == null ? request : request.withJournal(planned.journal()),
                    event -> pump.post(new Tagged(gen, event)));
        }, outcome -> finished(gen, outcome), e -> failed(gen, e));
    }

    private void planned(int gen, ResumePlanner.Planned planned) {
        if (gen != generation) {
            return;
        }
        BatchPlan plan = planned.plan();
        lastPlan = plan;
        planned.notes().forEach(messages::note);
        if (planned.nothingToDo()) {
            messages.note("Nothing to resume: every image of the batch in " + plan.outputRoot() + " is done.");
        } else if (plan.jobs().isEmpty()) {
            messages.note("Nothing to convert: " + plan.skipped().size() + " file(s) skipped"
                    + (plan.policy() == OverwritePolicy.SKIP ? " (outputs already there: choose overwrite or"
                    + " rename to convert them again)." : "."));
        }
    }

    private void handle(List<Tagged> batch) {
        List<RunEvent> current = new ArrayList<>(batch.size());
        for (Tagged t : batch) {
            if (t.gen() == generation && isRunning()) {
                current.add(t.event());
            }
        }
        if (current.isEmpty()) {
            return;
        }
        for (RunEvent event : current) {
            if (event instanceof RunEvent.ModeStarted st) {
                phase.set((st.steps() > 1 ? "Compare · " + st.mode().label() + " (" + (st.step() + 1) + " of "
                        + st.steps() + ")" : st.mode().label()) + (st.engines().isEmpty() ? "" : " on "
                        + st.engines().size() + " engine" + (st.engines().size() == 1 ? "" : "s")));
            }
        }
        for (RunSubscriber s : subscribers) {
            s.onRunEvents(current);
        }
    }

    private void finished(int gen, RunOutcome outcome) {
        if (gen == generation) {
            stopped(!outcome.cancelled(), "Done");
        }
    }

    private void failed(int gen, Throwable e) {
        if (gen != generation) {
            return;
        }
        stopped(false, "Stopped");
        LOG.debug("run failed", e);
        error.set(e instanceof BatchSetupException || e instanceof ClusterException ? e.getMessage()
                : "The run stopped: " + e);
    }

    /** The window is idle again; the views hear that the run is over, so nothing shows as running. */
    private void stopped(boolean complete, String phaseText) {
        if (clock != null) {
            clock.cancel(false);
            clock = null;
        }
        if (!complete) {
            RunEvent ended = new RunEvent.RunEnded(new RunOutcome(List.of(), List.of(), List.of(), true),
                    ImagePipeline.nowMicros());
            subscribers.forEach(s -> s.onRunEvents(List.of(ended)));
        }
        state.set(State.IDLE);
        phase.set(phaseText);
        progress.stopped(complete);
        outputReady.set(lastOutputFolder().map(Files::isDirectory).orElse(false));
        lookForJournal();
    }

    /** Looks (off the FX thread) for an unfinished journal in the chosen output folder; sets Resume's state. */
    private void lookForJournal() {
        int look = ++journalLook;
        List<Path> inputs = input.inputs();
        Path out = inputs.isEmpty() ? null : options.outputFolder(inputs);
        if (out == null) {
            resumable.set(false);
            return;
        }
        executor.run(() -> Journal.read(out).map(j -> !j.finished()).orElse(false),
                unfinished -> {
                    if (look == journalLook) {
                        resumable.set(unfinished && !isRunning());
                    }
                }, e -> {
                    if (look == journalLook) {
                        // a journal that cannot be read: Resume would only say so; Run starts fresh
                        LOG.debug("journal in {} not readable", out, e);
                        resumable.set(false);
                    }
                });
    }

    private void tick(int gen) {
        if (gen == generation && isRunning()) {
            long now = ImagePipeline.nowMicros();
            subscribers.forEach(s -> s.onClockTick(now));
        }
    }

}
