package org.greylab.core.schedule;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.greylab.core.job.BatchPlan;
import org.greylab.core.job.FileResult;
import org.greylab.core.job.FileStatus;
import org.greylab.core.schedule.ProgressListener;
import org.greylab.core.testing.Samples;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Not a test: a measurement of the strategies' own cost on the in-process engines (no network), run by hand.
 * Args: COPIES SAMPLE_NAME[,NAME...] [ENGINES] [SLOTS] [PREFETCH]. Copies the named samples COPIES times into a temporary
 * folder, converts it with direct and balanced, logs wall time, the run summary and the heap.
 */
public final class StrategyMeasurement {

    private static final Logger LOG = LoggerFactory.getLogger(StrategyMeasurement.class);

    private StrategyMeasurement() {
    }

    public static void main(String[] args) throws Exception {
        int copies = Integer.parseInt(args[0]);
        String[] names = args[1].split(",");
        int engines = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int slots = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        DispatchOptions options = DispatchOptions.defaults()
                .withPrefetch(args.length > 4 ? Integer.parseInt(args[4]) : DispatchOptions.DEFAULT_PREFETCH);
        Path work = Files.createTempDirectory("greylab-measure");
        Path input = Files.createDirectories(work.resolve("in"));
        List<Path> sources = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < copies; i++) {
            Path sample = Samples.file(names[i % names.length]);
            Path copy = input.resolve(String.format("img-%05d-%s", i, sample.getFileName()));
            Files.copy(sample, copy);
            sources.add(copy);
            bytes += Files.size(copy);
        }
        LOG.info("{} images, {} MB of input, heap max {} MB", copies, bytes >> 20,
                Runtime.getRuntime().maxMemory() >> 20);
        int[] slotList = new int[engines];
        java.util.Arrays.fill(slotList, slots);
        for (Mode mode : List.of(Mode.BALANCED, Mode.DIRECT, Mode.BALANCED)) {
            Path out = work.resolve("out-" + mode + "-" + System.nanoTime());
            BatchPlan plan = SampleImages.plan(sources, out);
            try (ThreadPoolEngineCluster cluster = ThreadPoolEngineCluster.withEngines(slotList)) {
                Strategy s = mode.strategy(cluster, SampleImages.PIPELINE, options);
                long t0 = System.nanoTime();
                List<FileResult> results = s.run(plan, ProgressListener.NONE);
                long wall = System.nanoTime() - t0;
                RunSummary summary = RunSummary.of(results, wall, cluster.engines());
                long converted = results.stream().filter(r -> r.status() == FileStatus.CONVERTED).count();
                System.gc();
                LOG.info("{}: {} converted in {} ms ({} img/s); overhead per task mean {} µs, median {} µs, "
                                + "max {} µs; heap used after {} MB", mode, converted, wall / 1_000_000,
                        String.format("%.0f", converted * 1e9 / wall),
                        String.format("%.0f", summary.overhead().meanMicros()), summary.overhead().medianMicros(),
                        summary.overhead().maxMicros(),
                        (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
                for (RunSummary.EngineSummary e : summary.engines()) {
                    LOG.info("  engine {}: {} images, busy {} ms, idle {} ms, share {}", e.engineId(), e.images(),
                            e.busyMicros() / 1000, e.idleMicros() / 1000,
                            String.format("%.2f", e.shareOfImages()));
                }
            }
        }
    }
}
