package org.greylab.core.schedule;

/** Hears engines come and go. Called on a cluster thread: hand work elsewhere quickly. */
public interface EngineListener {
    void engineJoined(EngineInfo engine);

    void engineGone(EngineInfo engine);
}
