package org.greylab.core.schedule;

import java.util.List;
import java.util.Objects;
import org.greylab.core.job.BatchPlan;
import org.greylab.core.job.FileResult;
import org.greylab.core.job.ImagePipeline;

/**
 * Balanced mode, like ipyparallel's {@code load_balanced_view().map_sync}: each image goes, in plan order, to the
 * engine {@link LeastLoadPicker} picks (lowest in-flight / slots, ties to the least recently used, never above
 * {@code slots + prefetch}). An engine that joins mid-batch gets work at once; the images a dead engine held go to
 * the others first, never back to it.
 */
public final class BalancedStrategy implements Strategy {

    private final EngineCluster cluster;
    private final ImagePipeline pipeline;
    private final DispatchOptions options;

    public BalancedStrategy(EngineCluster cluster, ImagePipeline pipeline, DispatchOptions options) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.options = Objects.requireNonNull(options, "options");
    }

    public BalancedStrategy(EngineCluster cluster, ImagePipeline pipeline) {
        this(cluster, pipeline, DispatchOptions.defaults());
    }

    @Override
    public Mode mode() {
        return Mode.BALANCED;
    }

    @Override
    public List<FileResult> run(BatchPlan plan, ProgressListener listener) throws InterruptedException {
        return new DistributedRun(mode(), cluster, pipeline, options, new BalancedPlacement(options.prefetch()), plan,
                listener).run();
    }
}
