package org.greylab.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.greylab.core.image.Decoders;
import org.greylab.core.image.Stage;
import org.greylab.core.image.StageTimings;
import org.greylab.core.job.FileResult;
import org.greylab.core.job.FileStatus;
import org.greylab.core.job.TaskTrace;
import org.greylab.core.schedule.RunSummary.EngineSummary;
import org.junit.jupiter.api.Test;

class RunSummaryTest {

    private static FileResult ran(int engine, long submitted, long started, long finished, long received,
                                  long pixels) {
        return new FileResult("a.png", "a.png", FileStatus.CONVERTED, null, null, List.of(), 10, 5, pixels,
                StageTimings.NONE, new TaskTrace(engine, 1, submitted, started, finished, received, 10, 5));
    }

    @Test
    void sumsBusyTimeAndSharesPerEngineAndDerivesIdleSlotTime() {
        List<FileResult> results = List.of(
                ran(0, 0, 100, 400, 500, 300),     // busy 300
                ran(0, 0, 500, 600, 700, 100),     // busy 100
                ran(1, 0, 100, 200, 250, 100));    // busy 100
        List<EngineInfo> engines = List.of(new EngineInfo(0, "a", "x", 1, 1, "v", Decoders.JAVA_ONLY),
                new EngineInfo(1, "b", "y", 2, 2, "v", Decoders.JAVA_ONLY),
                new EngineInfo(2, "c", "z", 1, 1, "v", Decoders.JAVA_ONLY));

        RunSummary summary = RunSummary.of(results, 1_000_000, engines); // 1000 µs wall

        assertThat(summary.images()).isEqualTo(3);
        EngineSummary e0 = summary.engines().get(0);
        assertThat(e0.images()).isEqualTo(2);
        assertThat(e0.busyMicros()).isEqualTo(400);
        assertThat(e0.idleMicros()).isEqualTo(600);
        assertThat(e0.shareOfImages()).isCloseTo(2.0 / 3, within(1e-9));
        assertThat(e0.shareOfPixels()).isCloseTo(0.8, within(1e-9));
        assertThat(e0.shareOfBusy()).isCloseTo(0.8, within(1e-9));
        EngineSummary e1 = summary.engines().get(1);
        assertThat(e1.idleMicros()).isEqualTo(2 * 1000 - 100);
        assertThat(summary.engines().get(2).images()).isZero();
    }

    private static FileResult inTask(long taskId, int images, long submitted, long started, long finished,
                                     long received) {
        return new FileResult("a.png", "a.png", FileStatus.CONVERTED, null, null, List.of(), 10, 5, 1,
                StageTimings.NONE, new TaskTrace(0, 1, submitted, started, finished, received, 10, 5, taskId, images));
    }

    @Test
    void aGroupIsOneTaskWhoseOverheadIsItsRoundTripMinusItsImagesComputeAndIsSpreadOverThem() {
        List<FileResult> results = List.of(
                inTask(7, 3, 1000, 1100, 1200, 1600),   // one task of three: 600 - (100 + 100 + 100) = 300
                inTask(7, 3, 1000, 1200, 1300, 1600),
                inTask(7, 3, 1000, 1300, 1400, 1600),
                ran(1, 3000, 3010, 3020, 3100, 1));     // alone: 100 - 10 = 90

        RunSummary summary = RunSummary.of(results, 1_000, List.of());

        assertThat(summary.tasks().count()).isEqualTo(2);
        assertThat(summary.tasks().minImages()).isEqualTo(1);
        assertThat(summary.tasks().maxImages()).isEqualTo(3);
        assertThat(summary.tasks().meanImages(summary.images())).isCloseTo(2.0, within(1e-9));
        assertThat(summary.overhead().tasks()).isEqualTo(2);
        assertThat(summary.overhead().meanMicros()).isCloseTo(195.0, within(1e-9));
        assertThat(summary.tasks().overheadPerImageMicros()).isCloseTo(390.0 / 4, within(1e-9));
    }

    @Test
    void dispatchOverheadIsRoundTripMinusEngineCompute() {
        List<FileResult> results = List.of(
                ran(0, 1000, 1100, 1400, 1500, 1),   // 500 - 300 = 200
                ran(0, 2000, 2010, 2020, 2050, 1),   // 50 - 10 = 40
                ran(1, 3000, 3001, 3002, 3101, 1));  // 101 - 1 = 100

        RunSummary.DispatchOverhead overhead = RunSummary.of(results, 1_000, List.of()).overhead();

        assertThat(overhead.tasks()).isEqualTo(3);
        assertThat(overhead.meanMicros()).isCloseTo(340.0 / 3, within(1e-9));
        assertThat(overhead.medianMicros()).isEqualTo(100);
        assertThat(overhead.maxMicros()).isEqualTo(200);
    }

    @Test
    void leavesOutRowsThatNeverReachedAnEngine() {
        List<FileResult> results = List.of(
                FileResult.failed("x.png", Stage.READ, "gone", 0, StageTimings.NONE, TaskTrace.NONE),
                ran(0, 0, 10, 20, 30, 1));

        RunSummary summary = RunSummary.of(results, 1_000, List.of());

        assertThat(summary.images()).isEqualTo(1);
        assertThat(summary.engines()).extracting(EngineSummary::engineId).containsExactly(0);
    }
}
