package org.greylab.core.job;

import java.nio.file.Path;
import java.util.List;
import org.greylab.core.image.ConversionSettings;

/**
 * A batch ready to run: the images in their stable order with their output names fixed, and the files that were
 * skipped while scanning and planning (hidden files, non-images, outputs already there under policy SKIP).
 */
public record BatchPlan(List<Path> inputRoots, Path outputRoot, ConversionSettings settings, OverwritePolicy policy,
                        List<ImageJob> jobs, List<FileResult> skipped) {

    public BatchPlan {
        inputRoots = List.copyOf(inputRoots);
        jobs = List.copyOf(jobs);
        skipped = List.copyOf(skipped);
    }

    /**
     * The same images under the same planned names, written under {@code otherRoot} instead: for runs of one batch
     * into fresh folders (the bench, the window's Compare), without scanning the inputs again.
     */
    public BatchPlan withOutputRoot(Path otherRoot) {
        return new BatchPlan(inputRoots, otherRoot, settings, policy, jobs, skipped);
    }

    /** The same batch converted with other settings (the run service fixes the batch's JPEG decoder this way). */
    public BatchPlan withSettings(ConversionSettings otherSettings) {
        return new BatchPlan(inputRoots, outputRoot, otherSettings, policy, jobs, skipped);
    }

    /** The same batch with only {@code otherJobs} to convert (a selection of its own, renumbered by the caller). */
    public BatchPlan withJobs(List<ImageJob> otherJobs) {
        return new BatchPlan(inputRoots, outputRoot, settings, policy, otherJobs, skipped);
    }

    public long totalInputBytes() {
        return jobs.stream().mapToLong(ImageJob::sizeBytes).sum();
    }
}
