package org.greylab.core.schedule;

import java.util.Locale;

/** What an engine is doing, as the window's engine rows and {@code greylab engines} show it. */
public enum EngineState {
    /** Launched, not a member yet. */
    STARTING,
    /** A member with nothing of this client's in flight. */
    IDLE,
    /** Converting this client's images. */
    BUSY,
    /** Did not finish a task by its deadline: its images went to the others; no work until it answers again. */
    STALLED,
    /** Left the cluster (stopped, killed or cut off); its images went to the others. */
    GONE,
    /** A member this client does not use: another Greylab version, or not a Greylab engine. */
    REFUSED;

    /** "idle": the word shown in tables. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return word();
    }
}
