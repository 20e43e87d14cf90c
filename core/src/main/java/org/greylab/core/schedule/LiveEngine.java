package org.greylab.core.schedule;

import java.util.LinkedHashSet;
import java.util.Set;

/** What the dispatcher knows of one live engine. */
final class LiveEngine {
    final EngineInfo info;
    final int capacity;
    /** Dispatches sent and not yet answered. */
    final Set<Dispatch> inFlight = new LinkedHashSet<>();
    long lastUsed;
    /** Engine time per input byte, from its answers so far (a moving average); negative before the first. */
    double nanosPerByte = -1;

    LiveEngine(EngineInfo info, int prefetch) {
        this.info = info;
        this.capacity = LeastLoadPicker.highWaterMark(info.slots(), prefetch);
    }

    int id() {
        return info.id();
    }

    int slots() {
        return Math.max(1, info.slots());
    }

    boolean hasRoom() {
        return inFlight.size() < capacity;
    }

    LeastLoadPicker.EngineLoad load() {
        return new LeastLoadPicker.EngineLoad(id(), inFlight.size(), slots(), lastUsed);
    }
}
