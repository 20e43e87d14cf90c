package org.greylab.app.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.greylab.core.schedule.ProgressEvent;
import org.greylab.core.schedule.ProgressListener;

/**
 * A progress bar on the terminal's error stream (so the summary on standard output stays clean), showing the
 * image count, speed and the file being worked on.
 */
final class BarProgress implements ProgressListener, AutoCloseable {

    private ProgressBar bar;
    private int failed;
    /** Images finished per engine id, shown on the bar in distributed modes. */
    private final java.util.SortedMap<Integer, Integer> perEngine = new java.util.TreeMap<>();

    @Override
    public synchronized void onEvent(ProgressEvent event) {
        if (event instanceof ProgressEvent.BatchStarted started) {
            bar = new ProgressBarBuilder()
                    .setTaskName("Converting")
                    .setInitialMax(started.images())
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                    .setUnit(" img", 1)
                    .showSpeed()
                    .setUpdateIntervalMillis(200)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err))
                    .build();
        } else if (bar == null) {
            return;
        } else if (event instanceof ProgressEvent.ImageStarted started) {
            bar.setExtraMessage(engines() + " " + started.job().relativePath()
                    + (failed > 0 ? " (" + failed + " failed)" : ""));
        } else if (event instanceof ProgressEvent.ImageFinished finished) {
            if (finished.result().status() == org.greylab.core.job.FileStatus.FAILED) {
                failed++;
            }
            if (finished.result().trace().ranOnEngine()) {
                perEngine.merge(finished.result().trace().engineId(), 1, Integer::sum);
            }
            bar.step();
        } else if (event instanceof ProgressEvent.BatchFinished) {
            bar.setExtraMessage(engines() + (failed > 0 ? " " + failed + " failed" : ""));
            close();
        }
    }

    /** " [e0 5 | e1 4]": how many images each engine has finished. */
    private String engines() {
        if (perEngine.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder(" [");
        perEngine.forEach((id, n) -> text.append(text.length() > 2 ? " | " : "").append('e').append(id)
                .append(' ').append(n));
        return text.append(']').toString();
    }

    @Override
    public synchronized void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
