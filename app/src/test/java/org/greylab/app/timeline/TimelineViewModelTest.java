package org.greylab.app.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.greylab.core.image.ImageFormat;
import org.greylab.core.image.Decoders;
import org.greylab.core.image.StageTimings;
import org.greylab.core.job.FileResult;
import org.greylab.core.job.FileStatus;
import org.greylab.core.job.ImageJob;
import org.greylab.core.job.TaskTrace;
import org.greylab.core.schedule.EngineInfo;
import org.greylab.core.schedule.ProgressEvent;
import org.junit.jupiter.api.Test;

class TimelineViewModelTest {

    private final TimelineViewModel model = new TimelineViewModel();
    private final EngineInfo twoSlots = new EngineInfo(0, "alpha", "127.0.0.1:5701", 2, 2, "0.1.0", Decoders.JAVA_ONLY);

    private static ImageJob job(int i) {
        return new ImageJob(i, Path.of("a" + i + ".png"), "a" + i + ".png", "a" + i + ".png", 100, ImageFormat.PNG);
    }

    private static FileResult result(int i, FileStatus status, long start, long end) {
        return new FileResult("a" + i + ".png", status == FileStatus.CONVERTED ? "a" + i + ".png" : null, status,
                null, status == FileStatus.FAILED ? "bad" : null, List.of(), 100, 50, 10, StageTimings.NONE,
                new TaskTrace(0, 1, start, start, end, end, 100, 50));
    }

    @Test
    void imagesRunningAtOnceOnOneEngineSitInSeparateRows() {
        model.runStarted("balanced", List.of(twoSlots), 1_000);

        model.event(new ProgressEvent.ImageStarted(job(0), 0, 1), 1_000);
        model.event(new ProgressEvent.ImageStarted(job(1), 0, 1), 1_100);

        assertThat(model.bars()).extracting(TimelineBar::row).containsExactly(0, 1);
        assertThat(model.lanes()).singleElement().satisfies(l -> assertThat(l.rows()).isEqualTo(2));
    }

    @Test
    void prefetchedImagesThatRanOneAfterAnotherShareOneRow() {
        EngineInfo oneSlot = new EngineInfo(1, "beta", "127.0.0.1:5702", 1, 2, "0.1.0", Decoders.JAVA_ONLY);
        model.runStarted("balanced", List.of(oneSlot), 1_000);
        model.event(new ProgressEvent.ImageStarted(job(0), 1, 1), 1_000);
        model.event(new ProgressEvent.ImageStarted(job(1), 1, 1), 1_010);

        model.event(new ProgressEvent.ImageFinished(job(0), result(0, FileStatus.CONVERTED, 1_100, 2_000)), 2_050);
        model.event(new ProgressEvent.ImageFinished(job(1), result(1, FileStatus.CONVERTED, 2_010, 3_000)), 3_050);

        assertThat(model.bars()).extracting(TimelineBar::row).containsExactly(0, 0);
        assertThat(model.lanes().get(0).rows()).isEqualTo(1);
    }

    @Test
    void aGroupOnAOneSlotEngineRunsInOneRowWhileItRunsAndAfter() {
        EngineInfo oneSlot = new EngineInfo(1, "beta", "127.0.0.1:5702", 1, 2, "0.1.0", Decoders.JAVA_ONLY);
        model.runStarted("balanced", List.of(oneSlot), 1_000);
        // a task of eight images sent at once
        for (int i = 0; i < 8; i++) {
            model.event(new ProgressEvent.ImageStarted(job(i), 1, 1), 1_000 + i);
        }

        // while it runs: one running bar, in the lane's one row
        assertThat(model.bars()).singleElement().satisfies(b -> {
            assertThat(b.state()).isEqualTo(TimelineBar.State.RUNNING);
            assertThat(b.row()).isZero();
        });
        assertThat(model.lanes().get(0).rows()).isEqualTo(1);

        // the first answer alone: the next image runs, still in one row
        model.event(new ProgressEvent.ImageFinished(job(0), result(0, FileStatus.CONVERTED, 1_100, 2_000)), 2_050);
        assertThat(model.bars()).extracting(TimelineBar::state)
                .containsExactly(TimelineBar.State.DONE, TimelineBar.State.RUNNING);
        assertThat(model.lanes().get(0).rows()).isEqualTo(1);

        // the rest of the group's answers together, each with its engine times one after another
        for (int i = 1; i < 8; i++) {
            model.event(new ProgressEvent.ImageFinished(job(i),
                    result(i, FileStatus.CONVERTED, 2_000 + 100L * i, 2_090 + 100L * i)), 3_000);
        }
        assertThat(model.bars()).hasSize(8).allSatisfy(b -> {
            assertThat(b.state()).isEqualTo(TimelineBar.State.DONE);
            assertThat(b.row()).isZero();
        });
        assertThat(model.lanes().get(0).rows()).isEqualTo(1);
    }

    @Test
    void anImageSentButNotStartedWhenItsEngineIsLostGetsItsBarWhereItRuns() {
        EngineInfo oneSlot = new EngineInfo(1, "beta", "127.0.0.1:5702", 1, 2, "0.1.0", Decoders.JAVA_ONLY);
        model.runStarted("balanced", List.of(twoSlots, oneSlot), 1_000);
        model.event(new ProgressEvent.ImageStarted(job(0), 1, 1), 1_000);
        model.event(new ProgressEvent.ImageStarted(job(1), 1, 1), 1_000);

        model.event(new ProgressEvent.EngineGone(oneSlot), 2_000);
        model.event(new ProgressEvent.ImageRequeued(job(0), 1, "engine left"), 2_000);
        model.event(new ProgressEvent.ImageRequeued(job(1), 1, "engine left"), 2_000);
        model.event(new ProgressEvent.ImageStarted(job(1), 0, 2), 2_100);

        assertThat(model.bars()).extracting(TimelineBar::lane, TimelineBar::state).containsExactly(
                org.assertj.core.groups.Tuple.tuple("engine-1", TimelineBar.State.ABANDONED),
                org.assertj.core.groups.Tuple.tuple("engine-0", TimelineBar.State.RERUN));
    }

    @Test
    void finishedBarsTakeTheEngineTimesAndTheirState() {
        model.runStarted("balanced", List.of(twoSlots), 1_000);
        model.event(new ProgressEvent.ImageStarted(job(0), 0, 1), 1_000);
        model.event(new ProgressEvent.ImageStarted(job(1), 0, 1), 1_000);

        model.event(new ProgressEvent.ImageFinished(job(0), result(0, FileStatus.CONVERTED, 1_200, 5_000)), 5_100);
        model.event(new ProgressEvent.ImageFinished(job(1), result(1, FileStatus.FAILED, 1_300, 2_000)), 5_100);

        TimelineBar ok = model.bars().get(0);
        assertThat(ok.startMicros()).isEqualTo(1_200);
        assertThat(ok.endMicros()).isEqualTo(5_000);
        assertThat(ok.state()).isEqualTo(TimelineBar.State.DONE);
        assertThat(model.bars().get(1).state()).isEqualTo(TimelineBar.State.FAILED);
    }

    @Test
    void aFailoverEndsTheLostBarAndColoursTheRerun() {
        EngineInfo other = new EngineInfo(1, "beta", "127.0.0.1:5702", 1, 2, "0.1.0", Decoders.JAVA_ONLY);
        model.runStarted("direct", List.of(twoSlots, other), 1_000);
        model.event(new ProgressEvent.ImageStarted(job(0), 0, 1), 1_000);

        model.event(new ProgressEvent.EngineGone(twoSlots), 2_000);
        model.event(new ProgressEvent.ImageRequeued(job(0), 0, "engine left"), 2_000);
        model.event(new ProgressEvent.ImageStarted(job(0), 1, 2), 2_100);

        assertThat(model.bars()).extracting(TimelineBar::state)
                .containsExactly(TimelineBar.State.ABANDONED, TimelineBar.State.RERUN);
        assertThat(model.lanes().get(0).gone()).isTrue();
    }

    @Test
    void aComparisonKeepsOneMarkerPerRunOnOneTimeAxis() {
        model.runStarted("serial", List.of(), 1_000);
        model.runStarted("direct", List.of(twoSlots), 9_000);

        assertThat(model.markers()).extracting(TimelineViewModel.Marker::label).containsExactly("serial", "direct");
        assertThat(model.originMicros()).isEqualTo(1_000);
        assertThat(model.lanes()).extracting(TimelineLane::key).containsExactly("serial", "engine-0");
    }
}
