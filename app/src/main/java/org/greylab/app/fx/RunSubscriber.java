package org.greylab.app.fx;

import java.util.List;
import org.greylab.core.run.RunEvent;

/**
 * A view model that shows part of a run: it reads the run service's events, in order, a batch at a time, on the FX
 * thread, and the clock's ticks while a run goes (so running bars grow and rates move between events).
 */
public interface RunSubscriber {

    void onRunEvents(List<RunEvent> events);

    /** The run's clock, about four times a second while it runs; {@code nowMicros} is epoch microseconds. */
    default void onClockTick(long nowMicros) {
    }
}
