package org.greylab.core.schedule;

import java.util.List;
import java.util.Objects;
import org.greylab.core.job.BatchPlan;
import org.greylab.core.job.FileResult;
import org.greylab.core.job.ImagePipeline;

/**
 * What direct and balanced share: a run on the engines of a cluster ({@link DistributedRun}) around the
 * {@link Placement} that makes each of them what it is.
 */
abstract sealed class DistributedStrategy implements Strategy permits DirectStrategy, BalancedStrategy {

    private final EngineCluster cluster;
    private final ImagePipeline pipeline;
    private final DispatchOptions options;

    DistributedStrategy(EngineCluster cluster, ImagePipeline pipeline, DispatchOptions options) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.options = Objects.requireNonNull(options, "options");
    }

    /** Where this mode's images go; a new one for each run. */
    abstract Placement placement(DispatchOptions options);

    @Override
    public final List<FileResult> run(BatchPlan plan, ProgressListener listener) throws InterruptedException {
        return new DistributedRun(mode(), cluster, pipeline, options, placement(options), plan, listener).run();
    }
}
