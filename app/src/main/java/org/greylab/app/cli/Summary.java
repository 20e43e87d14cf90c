package org.greylab.app.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import org.greylab.core.image.StageTimings;
import org.greylab.core.job.BatchPlan;
import org.greylab.core.job.BatchPlanner;
import org.greylab.core.job.FileResult;
import org.greylab.core.job.ImageJob;
import org.greylab.core.schedule.Mode;
import org.greylab.core.stats.BatchReport;

/** The words the CLI prints: the end-of-batch summary and the dry-run listing. */
final class Summary {

    /** Longest list of skipped files printed; the JSON report has them all. */
    static final int MAX_SKIPPED_LISTED = 20;
    /** Longest list of failures printed; the JSON report has them all. */
    static final int MAX_FAILED_LISTED = 100;

    private Summary() {
    }

    /** "decode: reason" for a failed row. */
    static String problem(FileResult row) {
        return (row.stage() == null ? "" : row.stage().label() + ": ") + row.reason();
    }

    static void print(BatchReport report, PrintWriter out, boolean reportWritten) {
        out.println();
        out.printf(Locale.ROOT, "%s: %d converted, %d skipped, %d failed%s in %.2f s (%s mode)%n",
                report.stopReason() != null ? "Stopped" : report.cancelled() ? "Cancelled" : "Done",
                report.converted(), report.skipped(), report.failed(),
                report.notRun() > 0 ? ", " + report.notRun() + " not done" : "", report.wallSeconds(), report.mode());
        out.printf(Locale.ROOT, "  %.2f images/s, %.1f MP/s; %.1f megapixels; converted images %s in, %s out%n",
                report.imagesPerSecond(), report.megapixelsPerSecond(), report.megapixels(),
                BatchPlanner.humanBytes(report.bytesIn()), BatchPlanner.humanBytes(report.bytesOut()));
        StageTimings t = report.stageTotals();
        out.printf(Locale.ROOT, "  time per stage, summed: read %.2f s, decode %.2f s, convert %.2f s, "
                        + "encode %.2f s, write %.2f s%n", t.readNanos() / 1e9, t.decodeNanos() / 1e9,
                t.convertNanos() / 1e9, t.encodeNanos() / 1e9, t.writeNanos() / 1e9);
        if (report.earlier() > 0) {
            out.printf(Locale.ROOT, "  resumed: %d of the converted images were converted by the run this one"
                    + " resumed; the figures above are this run's%n", report.earlier());
        }
        out.println("  output folder: " + report.outputFolder());
        listRows(out, "Skipped", report.skippedFiles(), MAX_SKIPPED_LISTED, reportWritten, FileResult::reason);
        List<FileResult> warned = report.warned();
        listRows(out, "Warnings", warned, MAX_FAILED_LISTED, reportWritten, r -> String.join("; ", r.warnings()));
        listRows(out, "Failed", report.errors(), MAX_FAILED_LISTED, reportWritten, Summary::problem);
        if (report.stopReason() != null) {
            out.println("Stopped: " + report.stopReason() + ". The " + report.notRun() + " image(s) not done were"
                    + " not written; make room (or restore the folder) and run the same command again with --resume to"
                    + " finish (outputs already written are kept).");
        } else if (report.cancelled()) {
            out.println("No partial files were left behind; run the same command again with --resume to finish"
                    + " (outputs already written are kept).");
        }
        out.flush();
    }

    private static void listRows(PrintWriter out, String title, List<FileResult> rows, int max, boolean reportWritten,
                                 java.util.function.Function<FileResult, String> why) {
        if (rows.isEmpty()) {
            return;
        }
        out.println(title + " (" + rows.size() + "):");
        rows.stream().limit(max).forEach(row -> out.println("  " + row.input() + ": " + why.apply(row)));
        if (rows.size() > max) {
            out.println("  ... and " + (rows.size() - max) + " more"
                    + (reportWritten ? " (all listed in the report)" : " (use --report FILE.json to list them all)"));
        }
    }

    static void printDryRun(BatchPlan plan, Mode mode, PrintWriter out) {
        boolean exists = java.nio.file.Files.isDirectory(plan.outputRoot());
        out.printf(Locale.ROOT, "Dry run (%s mode): nothing is written.%n", mode);
        out.printf(Locale.ROOT, "Would convert %d image(s), %s, into %s%s%n", plan.jobs().size(),
                BatchPlanner.humanBytes(plan.totalInputBytes()), plan.outputRoot(),
                exists ? "" : " (the folder would be created)");
        for (ImageJob job : plan.jobs()) {
            out.println("  " + job.relativePath() + " -> " + job.outputPath());
        }
        if (!plan.skipped().isEmpty()) {
            out.println("Would skip " + plan.skipped().size() + ":");
            for (FileResult row : plan.skipped()) {
                out.println("  " + row.input() + ": " + row.reason());
            }
        }
        out.flush();
    }
}
