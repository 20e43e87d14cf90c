package org.greylab.app.engines;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.greylab.app.testing.TestFx;
import org.greylab.core.image.ImageFormat;
import org.greylab.core.image.Decoders;
import org.greylab.core.job.FileResult;
import org.greylab.core.job.ImageJob;
import org.greylab.core.job.TaskTrace;
import org.greylab.core.run.RunEvent;
import org.greylab.core.run.RunOutcome;
import org.greylab.core.schedule.EngineInfo;
import org.greylab.core.schedule.EngineState;
import org.greylab.core.schedule.Mode;
import org.greylab.core.schedule.ProgressEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Engine rows from the run's events (the same events the strategies emit), without engines or a Stage. */
class EnginesViewModelTest {

    private final TestFx fx = new TestFx();
    private final EnginesViewModel model = new EnginesViewModel(fx.executor(), new NoEnginesService());
    private final EngineInfo e0 = new EngineInfo(0, "alpha", "127.0.0.1:5701", 1, 2, "0.1.0", Decoders.JAVA_ONLY);
    private final EngineInfo e1 = new EngineInfo(1, "beta", "127.0.0.1:5702", 1, 2, "0.1.0", Decoders.JAVA_ONLY);

    @AfterEach
    void stop() {
        fx.close();
    }

    private static ImageJob job(int i) {
        return new ImageJob(i, Path.of("img" + i + ".png"), "img" + i + ".png", "img" + i + ".png", 10,
                ImageFormat.PNG);
    }

    private static FileResult done(int i, int engine) {
        return new FileResult("img" + i + ".png", "img" + i + ".png", org.greylab.core.job.FileStatus.CONVERTED,
                null, null, List.of(), 10, 5, 100, org.greylab.core.image.StageTimings.NONE,
                new TaskTrace(engine, 1, 1, 10, 1010, 1020, 10, 5));
    }

    private static RunEvent progress(ProgressEvent event) {
        return progress(Mode.BALANCED, event);
    }

    private static RunEvent progress(Mode mode, ProgressEvent event) {
        return new RunEvent.Progress(mode, event, 0);
    }

    private RunEvent started(Mode mode) {
        return new RunEvent.ModeStarted(mode, 0, 1, 0, 1, List.of(e0, e1), 15, 0);
    }

    @Test
    void directShowsEachEnginesBlockAsTheRunAnnouncesIt() {
        fx.run(() -> {
            model.onRunEvents(List.of(progress(new ProgressEvent.EngineJoined(e0))));
            model.onRunEvents(List.of(progress(new ProgressEvent.EngineJoined(e1))));
            model.onRunEvents(List.of(started(Mode.DIRECT), progress(Mode.DIRECT,
                    new ProgressEvent.SharesPlanned(Map.of(0, 8, 1, 7)))));
        });

        assertThat(fx.call(() -> model.engines().stream().map(EngineRow::assigned).toList()))
                .containsExactly(8, 7);
    }

    @Test
    void progressIsDoneOverAssignedAndAnEngineIsIdleWhenItsWorkIsDone() {
        fx.run(() -> {
            model.onRunEvents(List.of(progress(new ProgressEvent.EngineJoined(e0))));
            model.onRunEvents(List.of(started(Mode.BALANCED)));
            model.onRunEvents(List.of(progress(new ProgressEvent.ImageStarted(job(0), 0, 1))));
            model.onRunEvents(List.of(progress(new ProgressEvent.ImageStarted(job(1), 0, 1))));
        });
        assertThat(fx.call(() -> model.engines().get(0).stateProperty().get())).isEqualTo(EngineState.BUSY);

        fx.run(() -> {
            model.onRunEvents(List.of(progress(new ProgressEvent.ImageFinished(job(0), done(0, 0)))));
            model.onRunEvents(List.of(progress(new ProgressEvent.ImageFinished(job(1), done(1, 0)))));
            model.onRunEvents(List.of(new RunEvent.RunEnded(new RunOutcome(List.of(), List.of(), List.of(),
                    false), 0)));
        });

        EngineRow row = fx.call(() -> model.engines().get(0));
        assertThat(fx.call(() -> row.progressProperty().get())).isEqualTo(1.0);
        assertThat(fx.call(() -> row.progressTextProperty().get())).isEqualTo("2 / 2");
        assertThat(fx.call(() -> row.stateProperty().get())).isEqualTo(EngineState.IDLE);
    }

    @Test
    void anEngineThatDiesTurnsGoneAndNamesTheFailover() {
        fx.run(() -> {
            model.onRunEvents(List.of(progress(new ProgressEvent.EngineJoined(e0))));
            model.onRunEvents(List.of(progress(new ProgressEvent.EngineJoined(e1))));
            model.onRunEvents(List.of(started(Mode.BALANCED)));
            model.onRunEvents(List.of(progress(new ProgressEvent.ImageStarted(job(0), 1, 1))));
            model.onRunEvents(List.of(progress(new ProgressEvent.EngineGone(e1))));
            model.onRunEvents(List.of(progress(new ProgressEvent.ImageRequeued(job(0), 1, "engine 1 left"))));
        });

        EngineRow gone = fx.call(() -> model.engines().get(1));
        assertThat(fx.call(() -> gone.stateProperty().get())).isEqualTo(EngineState.GONE);
        assertThat(fx.call(() -> gone.noteProperty().get())).contains("re-queued").contains("failover");
        assertThat(fx.call(() -> model.liveEngines())).containsExactly(e0);
    }

    @Test
    void theFailoverStaysNamedWhenTheEngineIsReportedGoneAfterItsImagesWereRequeued() {
        fx.run(() -> {
            model.onRunEvents(List.of(progress(new ProgressEvent.EngineJoined(e0))));
            model.onRunEvents(List.of(progress(new ProgressEvent.EngineJoined(e1))));
            model.onRunEvents(List.of(started(Mode.BALANCED)));
            model.onRunEvents(List.of(progress(new ProgressEvent.ImageStarted(job(0), 1, 1))));
            model.onRunEvents(List.of(progress(new ProgressEvent.ImageStarted(job(1), 1, 1))));
            model.onRunEvents(List.of(progress(new ProgressEvent.ImageRequeued(job(0), 1, "engine 1 left"))));
            model.onRunEvents(List.of(progress(new ProgressEvent.ImageRequeued(job(1), 1, "engine 1 left"))));
            model.onRunEvents(List.of(progress(new ProgressEvent.EngineGone(e1))));
            model.onRunEvents(List.of(progress(new ProgressEvent.EngineGone(e1))));
        });

        EngineRow gone = fx.call(() -> model.engines().get(1));
        assertThat(fx.call(() -> gone.stateProperty().get())).isEqualTo(EngineState.GONE);
        assertThat(fx.call(() -> gone.noteProperty().get())).isEqualTo(
                "gone: 2 images re-queued to other engines (failover)");
        assertThat(fx.call(() -> model.messageProperty().get())).contains("is gone").contains("2 images re-queued");
    }

    @Test
    void anEngineThatJoinsAppearsAtOnce() {
        fx.run(() -> model.onRunEvents(List.of(progress(new ProgressEvent.EngineJoined(e1)))));

        assertThat(fx.call(() -> model.engines().stream().map(r -> r.nameProperty().get()).toList()))
                .containsExactly("beta");
    }

    @Test
    void withoutEnginesInTheBuildStartingSaysSoInWords() {
        fx.run(model::startLocal);

        assertThat(fx.call(() -> model.errorProperty().get())).contains("only the serial mode");
    }
}
