package org.greylab.core.run;

/** Receives a run's events, on the thread that runs it or on the strategies' threads. */
@FunctionalInterface
public interface RunListener {

    void onEvent(RunEvent event);
}
