package org.greylab.core.job;

import java.util.List;
import org.greylab.core.image.Stage;
import org.greylab.core.image.StageTimings;

/**
 * What became of one input file: a report row.
 *
 * @param input      path relative to its input root (see {@link ImageJob#relativePath()})
 * @param output     path relative to the output folder, or null when nothing was written
 * @param status     converted, skipped or failed
 * @param stage      where it failed, or null
 * @param reason     why it was skipped or failed, in words; null when converted
 * @param warnings   things the user should know about a converted file
 * @param bytesIn    input size
 * @param bytesOut   output size (0 unless converted)
 * @param pixels     pixel count of the output (0 unless converted)
 * @param timings    per-stage nanoseconds
 * @param trace      where and when it ran
 */
public record FileResult(String input, String output, FileStatus status, Stage stage, String reason,
                         List<String> warnings, long bytesIn, long bytesOut, long pixels, StageTimings timings,
                         TaskTrace trace) {

    public FileResult {
        warnings = List.copyOf(warnings);
    }

    public static FileResult skipped(String input, String reason, long bytesIn) {
        return new FileResult(input, null, FileStatus.SKIPPED, null, reason, List.of(), bytesIn, 0, 0,
                StageTimings.NONE, TaskTrace.NONE);
    }

    public static FileResult failed(String input, Stage stage, String reason, long bytesIn, StageTimings timings,
                                    TaskTrace trace) {
        return new FileResult(input, null, FileStatus.FAILED, stage, reason, List.of(), bytesIn, 0, 0, timings,
                trace);
    }
}
