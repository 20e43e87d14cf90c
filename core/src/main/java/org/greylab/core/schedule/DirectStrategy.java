package org.greylab.core.schedule;

import org.greylab.core.job.ImagePipeline;

/**
 * Direct mode, like ipyparallel's {@code rc[:].map_sync}: the images are split up front into one contiguous block
 * per engine ({@link DirectSplit}), and each engine only ever gets images of its own block, at most
 * {@code slots + prefetch} at a time. Unlike DirectView, a dead engine's unfinished block is split over the engines
 * left instead of failing the batch.
 */
public final class DirectStrategy extends DistributedStrategy {

    public DirectStrategy(EngineCluster cluster, ImagePipeline pipeline, DispatchOptions options) {
        super(cluster, pipeline, options);
    }

    public DirectStrategy(EngineCluster cluster, ImagePipeline pipeline) {
        this(cluster, pipeline, DispatchOptions.defaults());
    }

    @Override
    public Mode mode() {
        return Mode.DIRECT;
    }

    @Override
    Placement placement(DispatchOptions options) {
        return new DirectPlacement();
    }
}
