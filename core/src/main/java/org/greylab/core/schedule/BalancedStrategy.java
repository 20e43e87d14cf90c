package org.greylab.core.schedule;

import org.greylab.core.job.ImagePipeline;

/**
 * Balanced mode, like ipyparallel's {@code load_balanced_view().map_sync}: each image goes, in plan order, to the
 * engine {@link LeastLoadPicker} picks (lowest in-flight / slots, ties to the least recently used, never above
 * {@code slots + prefetch}). An engine that joins mid-batch gets work at once; the images a dead engine held go to
 * the others first, never back to it.
 */
public final class BalancedStrategy extends DistributedStrategy {

    public BalancedStrategy(EngineCluster cluster, ImagePipeline pipeline, DispatchOptions options) {
        super(cluster, pipeline, options);
    }

    public BalancedStrategy(EngineCluster cluster, ImagePipeline pipeline) {
        this(cluster, pipeline, DispatchOptions.defaults());
    }

    @Override
    public Mode mode() {
        return Mode.BALANCED;
    }

    @Override
    Placement placement(DispatchOptions options) {
        return new BalancedPlacement(options.prefetch());
    }
}
