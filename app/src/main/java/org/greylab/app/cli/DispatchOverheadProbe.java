package org.greylab.app.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.greylab.core.image.ConversionSettings;
import org.greylab.core.image.GreyscaleKernel;
import org.greylab.core.job.BatchPlan;
import org.greylab.core.job.BatchPlanner;
import org.greylab.core.job.BatchSetupException;
import org.greylab.core.job.FileResult;
import org.greylab.core.job.ImagePipeline;
import org.greylab.core.job.OverwritePolicy;
import org.greylab.core.run.OutputFolders;
import org.greylab.core.schedule.DispatchOptions;
import org.greylab.core.schedule.EngineCluster;
import org.greylab.core.schedule.Mode;
import org.greylab.core.schedule.ProgressListener;
import org.greylab.core.schedule.RunSummary;
import org.greylab.core.schedule.Strategy;
import org.greylab.core.schedule.TaskGrouping;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatch overhead per task, on a folder of small images (so that moving bytes does not hide it): (client
 * received - client submitted) - (engine finished - engine started), what the client, the wire and Hazelcast's
 * threads on both sides cost beyond the engine's compute time. Balanced runs with no prefetch, so no task waits in
 * an engine's queue. One task at a time (a byte budget of one image) is the cost of dispatch itself; with every slot
 * busy on a machine that also runs the client, a task's threads also wait for a core that another engine's
 * conversion holds, and that figure is reported beside it. The loaded passes run first, then the single ones, each
 * kind repeated until its passes no longer improve ({@link #settled}): the JIT of both sides keeps compiling the
 * dispatch path over the first thousands of tasks.
 */
final class DispatchOverheadProbe {

    private static final Logger LOG = LoggerFactory.getLogger(DispatchOverheadProbe.class);
    /** Small images the dispatch overhead is measured on. */
    static final int IMAGES = 200;
    /**
     * Passes of each kind (every slot busy, then one task at a time): each kind repeats while its last three passes
     * improve on the three before them, from {@value #MIN_PASSES} up to {@value #MAX_PASSES}.
     */
    private static final int WINDOW = 3;
    private static final int MIN_PASSES = 2 * WINDOW;
    private static final int MAX_PASSES = 12;
    /** Passes that improve on the ones before them by more than this mean the JIT is still at work. */
    private static final double STILL_IMPROVING = 0.10;

    /**
     * The dispatch overhead's median per task.
     *
     * @param singleMillis one task at a time (the median of the last three such passes)
     * @param loadedMillis every slot busy (the median of the last three loaded passes)
     * @param firstMillis  the first loaded pass, before the JIT had compiled the dispatch path
     * @param passes       how many passes of both kinds ran before each settled (or reached the limit)
     */
    record Overhead(double singleMillis, double loadedMillis, double firstMillis, int passes) {
    }

    private final EngineCluster cluster;
    private final DispatchOptions dispatch;

    DispatchOverheadProbe(EngineCluster cluster, DispatchOptions dispatch) {
        this.cluster = cluster;
        this.dispatch = dispatch;
    }

    /**
     * True once the median of the last three passes is no longer more than a tenth below the median of the three
     * before them. Medians of three, not single passes: on a busy machine one slow pass would otherwise end the
     * probe while the JIT is still compiling the dispatch path, and one fast pass would prolong it.
     */
    static boolean settled(List<Double> medians) {
        int n = medians.size();
        if (n < MIN_PASSES) {
            return false;
        }
        double before = median(medians.subList(n - 2 * WINDOW, n - WINDOW));
        return lastThreeMedian(medians) >= (1 - STILL_IMPROVING) * before;
    }

    /** Measures on {@value #IMAGES} generated images under {@code scratch}; null when cancelled. */
    Overhead measure(ConversionSettings settings, Path scratch) throws IOException, BatchSetupException {
        Path inputs = SmallImages.write(scratch.resolve("overhead-in"), IMAGES);
        Path folder = scratch.resolve("overhead");
        try {
            BatchPlan plan = new BatchPlanner().plan(List.of(inputs), folder, settings, OverwritePolicy.OVERWRITE,
                    true);
            // one image a task: the cost of one task, whatever --group says (the modes' own lines give it per image)
            DispatchOptions noPrefetch = dispatch.withPrefetch(0).withGrouping(TaskGrouping.OFF);
            // one pipeline per kind of pass: each keeps its own record of the files it wrote
            Strategy loaded = Mode.BALANCED.strategy(cluster, new ImagePipeline(new GreyscaleKernel()), noPrefetch);
            Strategy single = Mode.BALANCED.strategy(cluster, new ImagePipeline(new GreyscaleKernel()),
                    noPrefetch.withMaxInFlightBytes(1));
            List<Double> loadedMedians = passes("every slot busy", loaded, plan);
            List<Double> singleMedians = passes("one task at a time", single, plan);
            return new Overhead(lastThreeMedian(singleMedians), lastThreeMedian(loadedMedians), loadedMedians.get(0),
                    loadedMedians.size() + singleMedians.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Passes over the small images until they stop improving: each one's median overhead, in milliseconds. */
    private List<Double> passes(String label, Strategy strategy, BatchPlan plan)
            throws IOException, BatchSetupException, InterruptedException {
        List<Double> medians = new ArrayList<>();
        while (medians.size() < MAX_PASSES && !settled(medians)) {
            medians.add(pass(strategy, plan));
            LOG.debug("dispatch overhead, {}, pass {}: {} ms", label, medians.size(), medians.get(medians.size() - 1));
        }
        return medians;
    }

    /** One pass over the small images: the median overhead per task, in milliseconds. */
    private double pass(Strategy strategy, BatchPlan plan)
            throws IOException, BatchSetupException, InterruptedException {
        OutputFolders.empty(plan.outputRoot());
        BatchPlanner.prepareOutputFolder(plan);
        long t0 = System.nanoTime();
        List<FileResult> results = strategy.run(plan, ProgressListener.NONE);
        return RunSummary.of(results, System.nanoTime() - t0, cluster.engines()).overhead().medianMicros() / 1000.0;
    }

    private static double lastThreeMedian(List<Double> values) {
        return median(values.subList(Math.max(0, values.size() - WINDOW), values.size()));
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
