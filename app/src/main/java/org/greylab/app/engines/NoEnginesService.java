package org.greylab.app.engines;

import java.util.Optional;
import org.greylab.core.schedule.EngineCluster;

/** A build without engines: only serial runs; every engine action says so in words. */
public final class NoEnginesService implements ClusterService {

    private static final String WHY = "This build has no engines: only the serial mode can run.";

    @Override
    public boolean available() {
        return false;
    }

    @Override
    public EngineCluster startLocal(int engines) throws ClusterException {
        throw new ClusterException(WHY, null);
    }

    @Override
    public EngineCluster connect(String addresses, String clusterName) throws ClusterException {
        throw new ClusterException(WHY, null);
    }

    @Override
    public void disconnect() {
    }

    @Override
    public Optional<EngineCluster> current() {
        return Optional.empty();
    }

    @Override
    public Optional<EngineCluster> awaitCluster(java.time.Duration max) {
        return Optional.empty();
    }

    @Override
    public boolean holdsLocalEngines() {
        return false;
    }
}
