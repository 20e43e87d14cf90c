package org.greylab.app.run;

import java.util.Locale;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.greylab.app.fx.RunSubscriber;
import org.greylab.core.run.RunEvent;
import org.greylab.core.schedule.ProgressEvent;

/**
 * The run panel's progress line: the bar over the whole run (every mode of a Compare), images done in the mode
 * running and in all, its rate, the elapsed and the remaining time. Written on the FX thread only.
 */
public final class RunProgress implements RunSubscriber {

    private final ReadOnlyDoubleWrapper fraction = new ReadOnlyDoubleWrapper(this, "fraction", 0);
    private final ReadOnlyStringWrapper doneText = new ReadOnlyStringWrapper(this, "doneText", "");
    private final ReadOnlyStringWrapper rateText = new ReadOnlyStringWrapper(this, "rateText", "");
    private final ReadOnlyStringWrapper elapsedText = new ReadOnlyStringWrapper(this, "elapsedText", "");
    private final ReadOnlyStringWrapper remainingText = new ReadOnlyStringWrapper(this, "remainingText", "");
    private int totalImages;
    private int overallDone;
    private int stepImages;
    private int stepDone;
    private int steps;
    private long runStartNanos;
    private long stepStartNanos;
    private boolean running;

    /** 0..1 over the whole run (all three modes of a comparison); -1 while planning. */
    public ReadOnlyDoubleProperty fractionProperty() {
        return fraction.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty doneTextProperty() {
        return doneText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty rateTextProperty() {
        return rateText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty elapsedTextProperty() {
        return elapsedText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty remainingTextProperty() {
        return remainingText.getReadOnlyProperty();
    }

    int overallDone() {
        return overallDone;
    }

    int totalImages() {
        return totalImages;
    }

    /** A run was asked for: planning starts now. */
    void planning() {
        running = true;
        fraction.set(-1);
        doneText.set("");
        rateText.set("");
        remainingText.set("");
        elapsedText.set("0:00");
        overallDone = 0;
        totalImages = 0;
        runStartNanos = System.nanoTime();
        stepStartNanos = runStartNanos;
    }

    /** The run ended (done, cancelled or failed): the clock stops; {@code complete} fills the bar. */
    void stopped(boolean complete) {
        running = false;
        fraction.set(complete && totalImages > 0 ? 1 : 0);
        remainingText.set("");
        tickTexts();
    }

    @Override
    public void onRunEvents(java.util.List<RunEvent> events) {
        for (RunEvent event : events) {
            if (event instanceof RunEvent.RunStarted s) {
                steps = s.modes().size() * s.repeat();
                totalImages = s.plan().jobs().size() * steps;
            } else if (event instanceof RunEvent.ModeStarted st) {
                stepImages = st.images();
                stepDone = 0;
                stepStartNanos = System.nanoTime();
            } else if (event instanceof RunEvent.Progress p && p.event() instanceof ProgressEvent.ImageFinished) {
                stepDone++;
                overallDone++;
            }
        }
        if (totalImages > 0) {
            fraction.set((double) overallDone / totalImages);
            doneText.set(stepDone + " / " + stepImages + " images" + (steps > 1 ? " · " + overallDone + " / "
                    + totalImages + " in all" : ""));
        }
    }

    @Override
    public void onClockTick(long nowMicros) {
        tickTexts();
    }

    private void tickTexts() {
        elapsedText.set(clockText((System.nanoTime() - runStartNanos) / 1e9));
        double stepElapsed = (System.nanoTime() - stepStartNanos) / 1e9;
        double rate = stepDone == 0 || stepElapsed <= 0 ? 0 : stepDone / stepElapsed;
        rateText.set(rate == 0 ? "" : String.format(Locale.ROOT, "%.1f images/s", rate));
        if (running && rate > 0) {
            remainingText.set("about " + clockText((totalImages - overallDone) / rate) + " left");
        }
    }

    static String clockText(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
