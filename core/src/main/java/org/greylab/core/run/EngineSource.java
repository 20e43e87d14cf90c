package org.greylab.core.run;

import java.util.Optional;
import org.greylab.core.schedule.EngineCluster;

/**
 * Where a run's engines come from, asked once per distributed mode just before it runs: the CLI hands over the
 * cluster it opened, the window the one its Engines panel holds (waiting while it starts). The run service never
 * starts or closes a cluster itself.
 */
@FunctionalInterface
public interface EngineSource {

    /** No engines at all: only serial runs. */
    EngineSource NONE = Optional::empty;

    /** The engines to run on; empty (or a cluster without engines) when there are none, and the mode is skipped. */
    Optional<EngineCluster> engines() throws InterruptedException;

    /** Always this cluster. */
    static EngineSource of(EngineCluster cluster) {
        return () -> Optional.ofNullable(cluster);
    }
}
