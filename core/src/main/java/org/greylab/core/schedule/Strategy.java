package org.greylab.core.schedule;

import java.util.List;
import org.greylab.core.job.BatchPlan;
import org.greylab.core.job.FileResult;

/** A way to run a planned batch: serial, direct or balanced. */
public interface Strategy {

    /** The mode this strategy runs. */
    Mode mode();

    /**
     * Converts every job of the plan and writes its output; returns one result per job, in plan order. Returns
     * early, without partial files, when the calling thread is interrupted (cancel).
     */
    List<FileResult> run(BatchPlan plan, ProgressListener listener) throws InterruptedException;
}
