package org.greylab.app.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.greylab.core.job.FileResult;
import org.greylab.core.schedule.ProgressEvent;
import org.greylab.core.schedule.ProgressListener;

/** Progress as plain lines, one per finished image: for logs, pipes and CI, where a bar would be noise. */
final class LineProgress implements ProgressListener {

    private final PrintWriter out;
    private int total;
    private int done;

    LineProgress(PrintWriter out) {
        this.out = out;
    }

    @Override
    public synchronized void onEvent(ProgressEvent event) {
        if (event instanceof ProgressEvent.BatchStarted started) {
            total = started.images();
        } else if (event instanceof ProgressEvent.ImageFinished finished) {
            done++;
            out.println(line(done, total, finished.result()));
            out.flush();
        } else if (event instanceof ProgressEvent.ImageRequeued requeued) {
            out.println("  re-queued " + requeued.job().relativePath() + ": " + requeued.why());
            out.flush();
        }
    }

    static String line(int done, int total, FileResult row) {
        int width = String.valueOf(total).length();
        String counter = String.format(Locale.ROOT, "[%" + width + "d/%d]", done, total);
        long ms = row.timings().totalNanos() / 1_000_000;
        return switch (row.status()) {
            case CONVERTED -> counter + " converted " + row.input()
                    + (row.input().equals(row.output()) ? "" : " -> " + row.output())
                    + String.format(Locale.ROOT, " (%d ms%s)", ms, row.trace().ranOnEngine()
                            ? ", engine " + row.trace().engineId() : "")
                    + (row.warnings().isEmpty() ? "" : "; warning: " + String.join("; ", row.warnings()));
            case FAILED -> counter + " FAILED    " + row.input() + ": " + Summary.problem(row)
                    + (row.trace().ranOnEngine() ? " (engine " + row.trace().engineId() + ")" : "");
            case SKIPPED -> counter + " skipped   " + row.input() + ": " + row.reason();
        };
    }
}
