package org.greylab.core.run;

import java.util.List;
import org.greylab.core.job.BatchPlan;
import org.greylab.core.schedule.EngineInfo;
import org.greylab.core.schedule.Mode;
import org.greylab.core.schedule.ProgressEvent;
import org.greylab.core.stats.OutputComparison;

/**
 * What happens in a run, in order: the one stream the CLI's progress and summary, the bench's table and every view
 * of the window read, so they cannot disagree. Times are epoch microseconds on the client's clock.
 */
public sealed interface RunEvent {

    /** The run starts: {@code modes} will run {@code repeat} times each on {@code plan}. */
    record RunStarted(BatchPlan plan, List<Mode> modes, int repeat, long micros) implements RunEvent {
        public RunStarted {
            modes = List.copyOf(modes);
        }
    }

    /**
     * One mode starts one of its runs.
     *
     * @param step    which of the run's modes (0-based), of {@code steps}
     * @param round   which of its repeats (0-based), of {@code rounds}
     * @param engines the engines it runs on; empty for serial
     * @param images  the images it will convert
     */
    record ModeStarted(Mode mode, int step, int steps, int round, int rounds, List<EngineInfo> engines, int images,
                       long micros) implements RunEvent {
        public ModeStarted {
            engines = List.copyOf(engines);
        }
    }

    /** One event of the mode that is running. */
    record Progress(Mode mode, ProgressEvent event, long micros) implements RunEvent {
    }

    /** A mode's run ended; {@code result} holds its figures over the rounds so far (final on the last round). */
    record ModeFinished(int step, int round, ModeResult result, long micros) implements RunEvent {
        public Mode mode() {
            return result.mode();
        }
    }

    /** A distributed mode could not run: no engine was there for it. The run goes on with the next mode. */
    record ModeSkipped(Mode mode, String why) implements RunEvent {
    }

    /** A mode's outputs (last round) against the first mode's. */
    record Compared(Mode mode, Mode reference, OutputComparison.Result result) implements RunEvent {
    }

    /** The run is over: finished, cancelled or stopped by an error (the outcome says which). */
    record RunEnded(RunOutcome outcome, long micros) implements RunEvent {
    }
}
