package org.greylab.app.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.greylab.app.engines.ClusterService;
import org.greylab.app.engines.EnginesViewModel;
import org.greylab.app.input.InputViewModel;
import org.greylab.app.results.ResultsViewModel;
import org.greylab.app.testing.TestFx;
import org.greylab.app.timeline.TimelineViewModel;
import org.greylab.core.schedule.Mode;
import org.greylab.core.stats.OutputComparison;
import org.greylab.core.testing.Samples;
import org.greylab.core.testing.TestFiles;

/**
 * The run panel as the window wires it (MainViewModel's order), without a Stage: the image list, the engine rows,
 * the timeline and the timings all follow the run's events. The run tests' shared fixture.
 */
final class RunPanel {

    final InputViewModel input;
    final TimelineViewModel timeline = new TimelineViewModel();
    final ResultsViewModel results;
    final RunViewModel run;
    private final TestFx fx;

    RunPanel(TestFx fx, ClusterService clusters, EnginesViewModel engines, FolderOpener opener) {
        this.fx = fx;
        this.input = new InputViewModel(fx.executor());
        this.results = new ResultsViewModel(fx.executor());
        this.run = new RunViewModel(fx.executor(), input, clusters, opener);
        run.subscribe(input);
        run.subscribe(engines);
        run.subscribe(timeline);
        run.subscribe(results);
    }

    /** Adds the folder and waits until its images are listed. */
    void load(Path folder) {
        fx.run(() -> input.addFolder(folder));
        await().atMost(Duration.ofSeconds(20)).until(() -> fx.call(() -> !input.scanningProperty().get()
                && !input.images().isEmpty()));
    }

    /** Chooses the modes and the output folder. */
    void choose(List<Mode> modes, Path out) {
        fx.run(() -> {
            run.options().modesProperty().set(modes);
            run.options().outputProperty().set(out.toString());
        });
    }

    /** Presses Run and waits until the panel is idle again. */
    void runAndWait(Duration max) {
        fx.run(run::run);
        await().atMost(max).until(() -> fx.call(() -> !run.isRunning()));
    }

    /**
     * Runs {@code mode} on {@code copies} copies of the biggest sample, cancels once {@code before} outputs are
     * written, and checks the panel is idle at once and the folder holds whole outputs only.
     */
    void assertCancelLeavesWholeFilesOnly(Mode mode, int copies, int before, Path tmp) throws Exception {
        Path biggest = Samples.images().stream().max((a, b) -> Long.compare(Samples.size(a), Samples.size(b)))
                .orElseThrow();
        load(TestFiles.copies(biggest, copies, tmp.resolve("many")));
        Path out = tmp.resolve("out");
        choose(List.of(mode), out);
        fx.run(run::run);
        await().atMost(Duration.ofSeconds(60)).until(() -> Samples.files(out).size() >= before);

        fx.run(run::cancel);

        assertThat(fx.call(() -> run.stateProperty().get())).isEqualTo(RunViewModel.State.IDLE);
        assertThat(fx.call(() -> run.phaseProperty().get())).isEqualTo("Cancelled");
        // the abandoned images stop at their next stage; then the folder must hold whole outputs only
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                .until(() -> Samples.files(out).stream().noneMatch(f -> f.contains(".part")));
        assertThat(Samples.files(out).size()).isLessThan(copies);
        for (String f : Samples.files(out)) {
            assertThat(OutputComparison.pixelDifference(out.resolve(f), out.resolve(f))).as(f).isNull();
        }
    }
}
