package org.greylab.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.greylab.core.image.Stage;
import org.greylab.core.image.StageTimings;
import org.greylab.core.job.FileResult;
import org.greylab.core.job.TaskTrace;
import org.junit.jupiter.api.Test;

class LineProgressTest {

    @Test
    void aFailedImageSaysWhichEngineFailedItAsAConvertedOneSaysWhichConvertedIt() {
        TaskTrace onEngine1 = new TaskTrace(1, 1, 0, 0, 0, 0, 0, 0);
        FileResult failed = FileResult.failed("cut.jpg", Stage.DECODE, "the file is truncated or damaged", 3000,
                StageTimings.NONE, onEngine1);
        FileResult failedInThisProcess = FileResult.failed("cut.jpg", Stage.DECODE, "the file is truncated or damaged",
                3000, StageTimings.NONE, TaskTrace.NONE);

        assertThat(LineProgress.line(3, 4, failed))
                .isEqualTo("[3/4] FAILED    cut.jpg: decode: the file is truncated or damaged (engine 1)");
        assertThat(LineProgress.line(3, 4, failedInThisProcess))
                .isEqualTo("[3/4] FAILED    cut.jpg: decode: the file is truncated or damaged");
    }
}
