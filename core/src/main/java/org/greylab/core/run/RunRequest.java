package org.greylab.core.run;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import org.greylab.core.job.BatchJournal;
import org.greylab.core.job.BatchPlan;
import org.greylab.core.schedule.Mode;
import org.greylab.core.schedule.TaskGrouping;

/**
 * What to run: one plan, in one mode or in several one after the other (a Compare), each mode {@code repeat}
 * times, interleaved.
 *
 * @param plan    the images and their output names, fixed for every mode
 * @param modes   the modes, in the order they run; a Compare is several
 * @param repeat  runs of each mode (1 to 100); speedup and throughput use the median wall time
 * @param outputs where the modes write
 * @param journal what the mode writing the plan's own output folder records there as it goes
 *                ({@link BatchJournal#NONE} for nothing); modes writing temporary folders record nothing
 * @param grouping how many images a task to an engine carries in this run; null for the service's own choice
 */
public record RunRequest(BatchPlan plan, List<Mode> modes, int repeat, Outputs outputs, BatchJournal journal,
                         TaskGrouping grouping) {

    /** Where the modes of a run write. */
    public enum Outputs {
        /**
         * The first mode writes into the plan's output folder; every other mode writes into a temporary folder,
         * is compared with the first, and its folder is deleted (the window's Compare, {@code greylab convert}).
         */
        FIRST_INTO_PLAN,
        /** Every mode writes into a temporary folder of its own, deleted after the comparison (the bench). */
        ALL_TEMPORARY
    }

    public static final int MAX_REPEAT = 100;

    public RunRequest {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(outputs, "outputs");
        Objects.requireNonNull(journal, "journal");
        modes = List.copyOf(modes);
        if (modes.isEmpty()) {
            throw new IllegalArgumentException("a run needs at least one mode");
        }
        if (new HashSet<>(modes).size() != modes.size()) {
            throw new IllegalArgumentException("each mode runs once in a run, not " + modes);
        }
        if (repeat < 1 || repeat > MAX_REPEAT) {
            throw new IllegalArgumentException("repeat must be between 1 and " + MAX_REPEAT + ", not " + repeat);
        }
        if (repeat > 1 && outputs == Outputs.FIRST_INTO_PLAN) {
            // a second run into the user's folder would meet the first run's outputs under the user's policy
            throw new IllegalArgumentException("repeated runs write temporary folders only");
        }
    }

    /** A run with the service's own grouping. */
    public RunRequest(BatchPlan plan, List<Mode> modes, int repeat, Outputs outputs, BatchJournal journal) {
        this(plan, modes, repeat, outputs, journal, null);
    }

    /** A run without a journal. */
    public RunRequest(BatchPlan plan, List<Mode> modes, int repeat, Outputs outputs) {
        this(plan, modes, repeat, outputs, BatchJournal.NONE);
    }

    /** The same run, recording what it writes into the plan's folder in {@code batchJournal}. */
    public RunRequest withJournal(BatchJournal batchJournal) {
        return new RunRequest(plan, modes, repeat, outputs, batchJournal, grouping);
    }

    /** The same run, its tasks carrying images as {@code taskGrouping} says (the window's choice). */
    public RunRequest withGrouping(TaskGrouping taskGrouping) {
        return new RunRequest(plan, modes, repeat, outputs, journal, taskGrouping);
    }

    /** One mode into the plan's output folder. */
    public static RunRequest of(BatchPlan plan, Mode mode) {
        return new RunRequest(plan, List.of(mode), 1, Outputs.FIRST_INTO_PLAN);
    }

    /** Several modes on one plan: the first into the plan's folder, the others compared with it. */
    public static RunRequest compare(BatchPlan plan, List<Mode> modes) {
        return new RunRequest(plan, modes, 1, Outputs.FIRST_INTO_PLAN);
    }

    /** Several modes, each {@code repeat} times, all into temporary folders: a measurement. */
    public static RunRequest bench(BatchPlan plan, List<Mode> modes, int repeat) {
        return new RunRequest(plan, modes, repeat, Outputs.ALL_TEMPORARY);
    }
}
