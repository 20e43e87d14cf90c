package org.greylab.app.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.greylab.app.fx.RunSubscriber;
import org.greylab.core.run.RunEvent;

/**
 * What a run did, in words, a sentence per step: each mode's counts and time, each comparison's verdict, each mode
 * that could not run and why. Written on the FX thread only.
 */
public final class RunMessages implements RunSubscriber {

    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
    private final List<String> notes = new ArrayList<>();
    private boolean identical = true;

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** Whether every comparison of the last run found the outputs identical. */
    public boolean identical() {
        return identical;
    }

    void clear() {
        notes.clear();
        identical = true;
        message.set("");
    }

    void note(String text) {
        notes.add(text);
        message.set(String.join(" ", notes));
    }

    /** Replaces everything said so far (a cancel says what is left). */
    void replace(String text) {
        notes.clear();
        note(text);
    }

    @Override
    public void onRunEvents(List<RunEvent> events) {
        for (RunEvent event : events) {
            if (event instanceof RunEvent.ModeFinished f) {
                note(String.format(Locale.ROOT, "%s: %d converted, %d failed in %.2f s.", f.mode().label(),
                        f.result().converted(), f.result().failed(), f.result().wallSeconds()));
                String stop = f.result().report().stopReason();
                if (stop != null) {
                    note(f.mode().label() + " stopped: " + stop + "; " + f.result().report().notRun()
                            + " image(s) not done. Make room and run again to finish.");
                }
            } else if (event instanceof RunEvent.Compared c) {
                identical &= c.result().identical();
                List<String> diffs = c.result().differences();
                note(c.result().identical() ? c.mode().label() + " outputs identical to " + c.reference().word() + "."
                        : c.mode().label() + " outputs DIFFER from " + c.reference().word() + ": "
                        + String.join("; ", diffs.subList(0, Math.min(3, diffs.size()))) + ".");
            } else if (event instanceof RunEvent.ModeSkipped s) {
                note(s.mode().label() + " did not run: " + s.why() + ". Start local engines or connect to lab"
                        + " engines in the Engines panel.");
            }
        }
    }
}
