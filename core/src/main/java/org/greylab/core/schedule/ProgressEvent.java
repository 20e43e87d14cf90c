package org.greylab.core.schedule;

import java.util.Map;
import org.greylab.core.job.FileResult;
import org.greylab.core.job.ImageJob;

/**
 * One thing that happened in a batch. One stream of these feeds the CLI's bar, the window and the report, so they
 * never disagree.
 */
public sealed interface ProgressEvent {

    /** The batch starts: {@code images} will be dispatched, {@code skipped} were skipped at planning. */
    record BatchStarted(Mode mode, int images, int skipped) implements ProgressEvent {
    }

    /**
     * Each engine's share of the batch, fixed before anything is sent (direct mode's blocks, by engine id). Only
     * direct sends it; a lost engine's unfinished images then show as re-queued or re-started elsewhere.
     */
    record SharesPlanned(Map<Integer, Integer> imagesByEngine) implements ProgressEvent {
        public SharesPlanned {
            imagesByEngine = Map.copyOf(imagesByEngine);
        }
    }

    /** An image was sent to an engine (or started in the serial thread, engineId -1). */
    record ImageStarted(ImageJob job, int engineId, int attempt) implements ProgressEvent {
    }

    /** An image is done: converted, or failed with its reason. */
    record ImageFinished(ImageJob job, FileResult result) implements ProgressEvent {
    }

    /** An image whose engine died is queued again. */
    record ImageRequeued(ImageJob job, int fromEngineId, String why) implements ProgressEvent {
    }

    record EngineJoined(EngineInfo engine) implements ProgressEvent {
    }

    record EngineGone(EngineInfo engine) implements ProgressEvent {
    }

    /**
     * An engine did not answer {@code image} by its deadline: its images went to the others, and it gets no more
     * until it answers again (then {@link EngineJoined} follows).
     */
    record EngineStalled(EngineInfo engine, String image) implements ProgressEvent {
    }

    /** The batch ended (all done, or cancelled). */
    record BatchFinished(boolean cancelled, long wallNanos) implements ProgressEvent {
    }
}
