package org.greylab.core.schedule;

import org.greylab.core.image.ConversionResult;
import org.greylab.core.image.Stage;

/**
 * What an engine sent back for one task. A kernel failure (a damaged file) is a normal outcome with
 * {@code result == null}; an engine that died makes the task's future fail with {@link EngineGoneException}.
 *
 * @param startedMicros  epoch microseconds on the engine when the kernel started
 * @param finishedMicros epoch microseconds on the engine when it finished
 */
public record TaskOutcome(ConversionResult result, Stage failedStage, String failureReason, int engineId,
                          long startedMicros, long finishedMicros) {

    public boolean succeeded() {
        return result != null;
    }
}
