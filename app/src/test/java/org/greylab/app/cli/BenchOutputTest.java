package org.greylab.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.greylab.core.image.ConversionSettings;
import org.greylab.core.image.Decoders;
import org.greylab.core.image.StageTimings;
import org.greylab.core.job.BatchPlan;
import org.greylab.core.job.OverwritePolicy;
import org.greylab.core.run.ModeResult;
import org.greylab.core.run.RunOutcome;
import org.greylab.core.schedule.EngineInfo;
import org.greylab.core.schedule.Mode;
import org.greylab.core.schedule.TaskGrouping;
import org.greylab.core.stats.BatchReport;
import org.junit.jupiter.api.Test;

/** The bench's table and rows from figures as the run service derives them. */
class BenchOutputTest {

    private static final List<EngineInfo> TWO_ENGINES = List.of(
            new EngineInfo(0, "a", "127.0.0.1:5701", 1, 2, "0.1.0", Decoders.JAVA_ONLY),
            new EngineInfo(1, "b", "127.0.0.1:5702", 1, 2, "0.1.0", Decoders.JAVA_ONLY));
    private static final BatchPlan PLAN = new BatchPlan(List.of(), Path.of("planned"), ConversionSettings.defaults(),
            OverwritePolicy.OVERWRITE, List.of(), List.of());

    private static ModeResult result(Mode mode, double serialSeconds, double... seconds) {
        List<Long> walls = java.util.Arrays.stream(seconds).mapToObj(s -> (long) (s * 1e9)).toList();
        BatchReport report = new BatchReport(mode, false, List.of(), Path.of("out"), ConversionSettings.defaults(),
                OverwritePolicy.OVERWRITE, 10, 0, 0, 0, 1000, 1000, 10_000_000L, walls.get(walls.size() - 1),
                StageTimings.NONE, List.of(), null, 0);
        return new ModeResult(mode, report, mode.needsEngines() ? TWO_ENGINES : List.of(), walls,
                (long) (serialSeconds * 1e9), null);
    }

    private static String table(BenchOutput output) {
        StringWriter text = new StringWriter();
        output.printTable(new PrintWriter(text));
        return text.toString();
    }

    @Test
    void aSpeedupAboveWhatTheSlotsCanGiveIsFlaggedNotReported() {
        RunOutcome outcome = new RunOutcome(List.of(result(Mode.SERIAL, 4.0, 4.0, 4.2, 3.9),
                result(Mode.BALANCED, 4.0, 1.5, 1.4, 1.6)), List.of(), List.of(), false);

        BenchOutput output = new BenchOutput(PLAN, outcome, 3, 1.0, null, 2, TaskGrouping.AUTO);

        BenchOutput.ModeRow balanced = BenchOutput.ModeRow.of(outcome.results().get(1), 2);
        assertThat(balanced.speedup()).isCloseTo(4.0 / 1.5, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(balanced.implausible()).isTrue();
        assertThat(BenchOutput.ModeRow.of(outcome.results().get(0), 2).implausible()).isFalse();
        assertThat(table(output)).contains("2.67!")
                .contains("! balanced: a speedup of 2.67 is above the 2 that 2 slot(s) can give here");
    }

    @Test
    void aSpeedupWithinTheSlotsIsAResultWithItsFastestAndSlowestRun() {
        RunOutcome outcome = new RunOutcome(List.of(result(Mode.SERIAL, 4.0, 4.0, 4.2, 3.9),
                result(Mode.BALANCED, 4.0, 2.1, 2.4, 2.2)), List.of(), List.of(), false);

        BenchOutput.ModeRow balanced = BenchOutput.ModeRow.of(outcome.results().get(1), 2);

        assertThat(balanced.implausible()).isFalse();
        assertThat(balanced.wallSeconds()).isEqualTo(2.2);
        assertThat(balanced.minWallSeconds()).isEqualTo(2.1);
        assertThat(balanced.maxWallSeconds()).isEqualTo(2.4);
        assertThat(table(new BenchOutput(PLAN, outcome, 3, 1.0, null, 2, TaskGrouping.AUTO))).contains("2.10-2.40")
                .doesNotContain("!");
    }

    @Test
    void toolsAreComparedWithGreylabsSerialTimeAndOutputBytes() {
        StringWriter text = new StringWriter();

        ToolComparison.print(new PrintWriter(text), List.of(
                new ToolComparison.ToolRun("OpenCV", "python3", 6.0, 2_000, null),
                new ToolComparison.ToolRun("libvips", "vips", 0, 0, "exit 1: cannot read")), 3.0, 1_800, true);

        assertThat(text.toString()).contains("OpenCV          6.00 s  Greylab serial is 2.00 x as fast; output 0.90 x")
                .contains("libvips      did not finish: exit 1: cannot read");
    }
}
