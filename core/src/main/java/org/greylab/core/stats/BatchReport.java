package org.greylab.core.stats;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.greylab.core.image.ConversionSettings;
import org.greylab.core.image.StageTimings;
import org.greylab.core.job.BatchPlan;
import org.greylab.core.job.FileResult;
import org.greylab.core.job.FileStatus;
import org.greylab.core.job.NaturalOrder;
import org.greylab.core.job.OverwritePolicy;
import org.greylab.core.schedule.Mode;

/**
 * What a batch did, derived only from its rows and its measured wall time (nothing estimated): the counts, bytes
 * and pixels, throughput, per-stage time, and every file's row in natural order. The CLI prints it and writes it
 * as JSON; the window shows it.
 *
 * @param mode         the mode that ran it
 * @param cancelled    whether it was stopped before every image was done
 * @param inputRoots   the input roots
 * @param outputFolder the output folder
 * @param settings     the conversion settings
 * @param policy       the overwrite policy
 * @param converted    images written
 * @param skipped      files left out (not images, hidden, outputs already there, ...)
 * @param failed       images that could not be converted
 * @param notRun       planned images a cancel left undone
 * @param bytesIn      input bytes of the converted images
 * @param bytesOut     output bytes written
 * @param pixels       pixels converted (a grey output has its input's pixel count, so this is both in and out)
 * @param wallNanos    wall time of the run, planning excluded
 * @param stageTotals  each stage's time summed over all images (more than the wall time when images overlap)
 * @param files        every row: skipped rows from planning and one row per image run, in natural order
 * @param stopReason   why the batch stopped before its end for all its images (the output disk is full, ...);
 *                     null when it ran to its end or was cancelled
 * @param earlier      of the converted images, those an earlier, interrupted run of the same batch converted (a
 *                     resume's): counted in {@code converted}, not in the bytes, pixels or throughput of this run
 */
public record BatchReport(Mode mode, boolean cancelled, List<Path> inputRoots, Path outputFolder,
                          ConversionSettings settings, OverwritePolicy policy, int converted, int skipped,
                          int failed, int notRun, long bytesIn, long bytesOut, long pixels, long wallNanos,
                          StageTimings stageTotals, List<FileResult> files, String stopReason, int earlier) {

    public BatchReport {
        inputRoots = List.copyOf(inputRoots);
        files = List.copyOf(files);
    }

    /**
     * Builds the report of a run.
     *
     * @param results one row per image that ran (fewer than the plan's jobs after a cancel)
     */
    public static BatchReport of(BatchPlan plan, Mode mode, List<FileResult> results, long wallNanos,
                                 boolean cancelled) {
        return of(plan, mode, results, wallNanos, cancelled, null);
    }

    /**
     * The report of a run that stopped for {@code stopReason} (null: it did not), its images without a row not done.
     */
    public static BatchReport of(BatchPlan plan, Mode mode, List<FileResult> results, long wallNanos,
                                 boolean cancelled, String stopReason) {
        List<FileResult> rows = new ArrayList<>(plan.skipped().size() + results.size());
        rows.addAll(plan.skipped());
        rows.addAll(results);
        rows.sort(Comparator.comparing(FileResult::input, NaturalOrder.INSTANCE));
        int converted = 0;
        int skipped = 0;
        int failed = 0;
        long bytesIn = 0;
        long bytesOut = 0;
        long pixels = 0;
        long read = 0;
        long decode = 0;
        long convert = 0;
        long encode = 0;
        long write = 0;
        for (FileResult row : rows) {
            switch (row.status()) {
                case CONVERTED -> {
                    converted++;
                    bytesIn += row.bytesIn();
                    bytesOut += row.bytesOut();
                    pixels += row.pixels();
                }
                case SKIPPED -> skipped++;
                case FAILED -> failed++;
                default -> throw new IllegalStateException("unknown status " + row.status());
            }
            StageTimings t = row.timings();
            read += t.readNanos();
            decode += t.decodeNanos();
            convert += t.convertNanos();
            encode += t.encodeNanos();
            write += t.writeNanos();
        }
        int notRun = Math.max(0, plan.jobs().size() - results.size());
        return new BatchReport(mode, cancelled, plan.inputRoots(), plan.outputRoot(), plan.settings(),
                plan.policy(), converted, skipped, failed, notRun, bytesIn, bytesOut, pixels, wallNanos,
                new StageTimings(read, decode, convert, encode, write), rows, stopReason, 0);
    }

    /**
     * The report of the whole batch when this run resumed an interrupted one: {@code earlierRows}, the images the
     * earlier run settled (converted or failed), join this run's rows and counts.
     */
    public BatchReport withEarlier(List<FileResult> earlierRows) {
        List<FileResult> rows = new ArrayList<>(files);
        rows.addAll(earlierRows);
        rows.sort(Comparator.comparing(FileResult::input, NaturalOrder.INSTANCE));
        int earlierConverted = (int) earlierRows.stream().filter(r -> r.status() == FileStatus.CONVERTED).count();
        int earlierFailed = (int) earlierRows.stream().filter(r -> r.status() == FileStatus.FAILED).count();
        return new BatchReport(mode, cancelled, inputRoots, outputFolder, settings, policy,
                converted + earlierConverted, skipped, failed + earlierFailed, notRun, bytesIn, bytesOut, pixels,
                wallNanos, stageTotals, rows, stopReason, earlier + earlierConverted);
    }

    public double wallSeconds() {
        return wallNanos / 1e9;
    }

    public double megapixels() {
        return pixels / 1e6;
    }

    /** Converted images per second of wall time (0 when no time passed). */
    public double imagesPerSecond() {
        return wallNanos <= 0 ? 0 : (converted - earlier) / wallSeconds();
    }

    /** Converted megapixels per second of wall time (0 when no time passed). */
    public double megapixelsPerSecond() {
        return wallNanos <= 0 ? 0 : megapixels() / wallSeconds();
    }

    /** The failed rows, in natural order. */
    public List<FileResult> errors() {
        return files.stream().filter(r -> r.status() == FileStatus.FAILED).toList();
    }

    /** The skipped rows, in natural order. */
    public List<FileResult> skippedFiles() {
        return files.stream().filter(r -> r.status() == FileStatus.SKIPPED).toList();
    }

    /** Converted rows that carry warnings (first page of several, ...). */
    public List<FileResult> warned() {
        return files.stream().filter(r -> r.status() == FileStatus.CONVERTED && !r.warnings().isEmpty()).toList();
    }
}
