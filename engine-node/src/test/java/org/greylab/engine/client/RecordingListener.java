package org.greylab.engine.client;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.greylab.core.schedule.EngineInfo;
import org.greylab.core.schedule.EngineListener;

/** Keeps every engine a cluster reports joined or gone, for tests to assert on. */
final class RecordingListener implements EngineListener {
    final List<EngineInfo> joined = new CopyOnWriteArrayList<>();
    final List<EngineInfo> gone = new CopyOnWriteArrayList<>();

    @Override
    public void engineJoined(EngineInfo engine) {
        joined.add(engine);
    }

    @Override
    public void engineGone(EngineInfo engine) {
        gone.add(engine);
    }
}
