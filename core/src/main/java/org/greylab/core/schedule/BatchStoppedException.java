package org.greylab.core.schedule;

import java.util.List;
import org.greylab.core.job.FileResult;

/**
 * A batch that stopped before its end for a reason of the whole batch (the output disk is full, the output folder is
 * gone): the rows of the images done so far, and the reason in words. The images without a row are not done.
 */
public final class BatchStoppedException extends RuntimeException {

    private final transient List<FileResult> done;

    public BatchStoppedException(String reason, List<FileResult> done, Throwable cause) {
        super(reason, cause);
        this.done = List.copyOf(done);
    }

    /** The rows of the images finished before the stop. */
    public List<FileResult> done() {
        return done;
    }
}
