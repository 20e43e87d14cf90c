package org.greylab.core.schedule;

import java.util.List;
import java.util.Objects;
import org.greylab.core.job.BatchPlan;
import org.greylab.core.job.FileResult;
import org.greylab.core.job.ImagePipeline;

/**
 * Direct mode, like ipyparallel's {@code rc[:].map_sync}: the images are split up front into one contiguous block
 * per engine ({@link DirectSplit}), and each engine only ever gets images of its own block, at most
 * {@code slots + prefetch} at a time. Unlike DirectView, a dead engine's unfinished block is split over the engines
 * left instead of failing the batch.
 */
public final class DirectStrategy implements Strategy {

    private final EngineCluster cluster;
    private final ImagePipeline pipeline;
    private final DispatchOptions options;

    public DirectStrategy(EngineCluster cluster, ImagePipeline pipeline, DispatchOptions options) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.options = Objects.requireNonNull(options, "options");
    }

    public DirectStrategy(EngineCluster cluster, ImagePipeline pipeline) {
        this(cluster, pipeline, DispatchOptions.defaults());
    }

    @Override
    public Mode mode() {
        return Mode.DIRECT;
    }

    @Override
    public List<FileResult> run(BatchPlan plan, ProgressListener listener) throws InterruptedException {
        return new DistributedRun(mode(), cluster, pipeline, options, new DirectPlacement(), plan, listener).run();
    }
}
