package org.greylab.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.greylab.core.image.ConversionSettings;
import org.greylab.core.image.GreyscaleKernel;
import org.greylab.core.image.OutputFormat;
import org.greylab.core.job.BatchPlan;
import org.greylab.core.job.BatchPlanner;
import org.greylab.core.job.BatchSetupException;
import org.greylab.core.job.FileResult;
import org.greylab.core.job.FileStatus;
import org.greylab.core.job.ImagePipeline;
import org.greylab.core.job.OverwritePolicy;
import org.greylab.core.progress.ProgressListener;
import org.greylab.core.schedule.BalancedStrategy;
import org.greylab.core.schedule.DispatchOptions;
import org.greylab.core.schedule.EngineInfo;
import org.greylab.core.schedule.RunSummary;
import org.greylab.core.schedule.Strategy;
import org.greylab.core.stats.OutputComparison;
import org.greylab.engine.client.HazelcastEngineCluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code greylab bench}: runs serial, direct and balanced on the same images, checks they wrote identical outputs,
 * and prints wall time, throughput, speedup and efficiency side by side, with each engine's share of the work.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Runs each mode on the same images (outputs to a temporary folder, deleted after), checks that all"
                    + " modes wrote identical outputs (names and decoded pixels), and prints a table: wall time,"
                    + " images/s, MP/s, speedup over serial, efficiency (speedup / slots), and per engine its images,"
                    + " busy and idle time and share of the work. Cluster start-up is reported apart and not counted.",
            "With engines, it first lets them warm up (not counted), and last measures the dispatch overhead per"
                    + " task on 200 small generated images: client round trip minus engine compute, one task at a"
                    + " time and with every slot busy (JSON: dispatchOverheadMillis, dispatchOverheadUnderLoadMillis,"
                    + " dispatchOverheadFirstPassMillis)."},
        footer = {"", "Exit status: 0 identical outputs, 1 outputs differ or images failed, 2 usage or set-up error."})
public final class BenchCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(BenchCommand.class);
    /** How long past its budget an engine's warm-up may take before the bench goes on without it. */
    private static final long WARM_UP_GRACE_MILLIS = 10_000;
    /** Small images the dispatch overhead is measured on. */
    private static final int OVERHEAD_IMAGES = 200;
    /**
     * Passes of each kind (every slot busy, then one task at a time): each kind repeats while its last three passes
     * improve on the three before them, from {@value #OVERHEAD_MIN_PASSES} up to {@value #OVERHEAD_MAX_PASSES}.
     */
    private static final int OVERHEAD_WINDOW = 3;
    private static final int OVERHEAD_MIN_PASSES = 2 * OVERHEAD_WINDOW;
    private static final int OVERHEAD_MAX_PASSES = 12;
    /** Passes that improve on the ones before them by more than this mean the JIT is still at work. */
    private static final double OVERHEAD_STILL_IMPROVING = 0.10;

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

    /**
     * True once the median of the last three passes is no longer more than a tenth below the median of the three
     * before them. Medians of three, not single passes: on a busy machine one slow pass would otherwise end the
     * probe while the JIT is still compiling the dispatch path, and one fast pass would prolong it.
     */
    static boolean settled(List<Double> medians) {
        int n = medians.size();
        if (n < OVERHEAD_MIN_PASSES) {
            return false;
        }
        double before = median(medians.subList(n - 2 * OVERHEAD_WINDOW, n - OVERHEAD_WINDOW));
        return lastThreeMedian(medians) >= (1 - OVERHEAD_STILL_IMPROVING) * before;
    }

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "INPUT", description = "Folders and image files to convert.")
    List<Path> inputs = new ArrayList<>();

    @Mixin
    EngineOptions engineOptions = new EngineOptions();

    @Option(names = "--modes", paramLabel = "MODE[,MODE...]", split = ",", defaultValue = "serial,direct,balanced",
            converter = Choices.ModeConverter.class,
            description = "Modes to run, in this order (default: ${DEFAULT-VALUE}).")
    List<Choices.Mode> modes = new ArrayList<>();

    @Option(names = "--repeat", paramLabel = "R", defaultValue = "1",
            description = "Run every mode R times, interleaved, and report the median (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "keep",
            converter = Choices.FormatConverter.class,
            description = "keep, png, jpeg or tiff, as for convert (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
    Path json;

    @Option(names = "--csv", paramLabel = "FILE", description = "Also write the table as CSV.")
    Path csv;

    @Option(names = {"-v", "--verbose"}, description = "Show Greylab's debug log on the terminal.")
    boolean verbose;

    @Option(names = "--log", paramLabel = "FILE", description = "Also write a detailed log to FILE.")
    Path logFile;

    /** One mode's figures: the JSON's {@code modes[]} entry and a row of the table. */
    record ModeResult(String mode, int engines, int slots, double wallSeconds, List<Double> allWallSeconds,
                      int images, int failed, double megapixels, double imagesPerSecond, double megapixelsPerSecond,
                      Double speedup, Double efficiency, List<EngineRow> perEngine) {
    }

    /** One engine's part of a mode's (last) run. */
    record EngineRow(int engine, int images, double busySeconds, double idleSeconds, double shareOfImages,
                     double shareOfPixels, double shareOfBusy) {
    }

    @Override
    public Integer call() throws IOException {
        LoggingSetup.configure(verbose, logFile);
        try {
            return bench(spec.commandLine().getOut(), spec.commandLine().getErr());
        } finally {
            LoggingSetup.close();
        }
    }

    private int bench(PrintWriter out, PrintWriter err) throws IOException {
        if (repeat < 1 || repeat > 100) {
            throw new ParameterException(spec.commandLine(), "--repeat must be between 1 and 100, not " + repeat);
        }
        if (modes.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--modes names no mode: give serial, direct or balanced");
        }
        boolean distributed = modes.stream().anyMatch(m -> m != Choices.Mode.SERIAL);
        if (distributed) {
            engineOptions.validate(spec);
        }
        ConversionSettings settings = ConversionSettings.defaults().withFormat(format);
        Path scratch = Files.createTempDirectory("greylab-bench-");
        HazelcastEngineCluster cluster = null;
        try {
            BatchPlan first;
            try {
                first = new BatchPlanner().plan(inputs, scratch.resolve(Choices.word(modes.get(0))), settings,
                        OverwritePolicy.OVERWRITE, true);
            } catch (BatchSetupException e) {
                LOG.debug("bench set-up failed", e);
                err.println("greylab: " + e.getMessage());
                err.flush();
                return 2;
            }
            // one scan of the inputs; every mode writes the same planned names into a folder of its own
            Map<Choices.Mode, BatchPlan> plans = new LinkedHashMap<>();
            for (Choices.Mode mode : modes) {
                plans.put(mode, first.withOutputRoot(scratch.resolve(Choices.word(mode))));
            }
            if (first.jobs().isEmpty()) {
                err.println("greylab: no images to measure in " + inputs);
                err.flush();
                return 2;
            }
            double clusterStart = 0;
            if (distributed) {
                long t0 = System.nanoTime();
                cluster = engineOptions.openOrExplain(out, err);
                if (cluster == null) {
                    return 2;
                }
                clusterStart = (System.nanoTime() - t0) / 1e9;
                warmUp(cluster, out);
            }
            out.printf(Locale.ROOT, "Measuring %d image(s), %s, in %s; %d run(s) of each mode%n", first.jobs().size(),
                    BatchPlanner.humanBytes(first.totalInputBytes()), String.join(", ", modeWords()), repeat);
            out.flush();

            Map<Choices.Mode, List<Double>> walls = new LinkedHashMap<>();
            Map<Choices.Mode, List<FileResult>> lastResults = new LinkedHashMap<>();
            Map<Choices.Mode, Long> lastWall = new LinkedHashMap<>();
            for (int r = 0; r < repeat; r++) {
                for (Choices.Mode mode : modes) {
                    BatchPlan plan = plans.get(mode);
                    clean(plan.outputRoot());
                    BatchPlanner.prepareOutputFolder(plan);
                    Strategy strategy = ConvertCommand.strategyFor(mode, cluster, engineOptions);
                    long t0 = System.nanoTime();
                    List<FileResult> results;
                    try {
                        results = strategy.run(plan, ProgressListener.NONE);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        err.println("greylab: bench cancelled");
                        err.flush();
                        return 130;
                    }
                    long wall = System.nanoTime() - t0;
                    walls.computeIfAbsent(mode, m -> new ArrayList<>()).add(wall / 1e9);
                    lastResults.put(mode, results);
                    lastWall.put(mode, wall);
                    out.printf(Locale.ROOT, "  %-8s run %d: %.2f s%n", Choices.word(mode), r + 1, wall / 1e9);
                    out.flush();
                }
            }

            // every mode against the first one: names and decoded pixels
            boolean identical = true;
            boolean sameBytes = true;
            List<String> differences = new ArrayList<>();
            Choices.Mode reference = modes.get(0);
            for (Choices.Mode mode : modes.subList(1, modes.size())) {
                OutputComparison.Result c = OutputComparison.compare(plans.get(reference).outputRoot(),
                        plans.get(mode).outputRoot());
                identical &= c.identical();
                sameBytes &= c.identicalBytes();
                c.differences().forEach(d -> differences.add(Choices.word(mode) + " vs "
                        + Choices.word(reference) + ": " + d));
            }

            Overhead overhead = cluster == null ? null : overhead(cluster, settings, scratch);

            List<EngineInfo> engineInfos = cluster == null ? List.of() : cluster.engines();
            Double serialWall = walls.containsKey(Choices.Mode.SERIAL) ? median(walls.get(Choices.Mode.SERIAL)) : null;
            List<ModeResult> rows = new ArrayList<>();
            for (Choices.Mode mode : modes) {
                rows.add(row(mode, walls.get(mode), lastResults.get(mode), lastWall.get(mode), serialWall,
                        engineInfos));
            }
            printTable(out, first, rows, clusterStart, identical, sameBytes, differences, overhead);
            if (json != null) {
                writeJson(json, first, rows, clusterStart, identical, sameBytes, differences, overhead);
                out.println("JSON: " + json.toAbsolutePath().normalize());
            }
            if (csv != null) {
                writeCsv(csv, rows);
                out.println("CSV: " + csv.toAbsolutePath().normalize());
            }
            out.flush();
            boolean anyFailed = rows.stream().anyMatch(r -> r.failed() > 0);
            return identical && !anyFailed ? 0 : 1;
        } catch (BatchSetupException e) {
            err.println("greylab: " + e.getMessage());
            err.flush();
            return 2;
        } finally {
            if (cluster != null) {
                cluster.close();
            }
            clean(scratch);
            Files.deleteIfExists(scratch);
        }
    }

    /**
     * Lets the engines' JIT compile the kernel before anything is measured: a fresh engine would convert its first
     * images interpreted, and the first run's timing would say more about the JVM than about the mode.
     */
    private static void warmUp(HazelcastEngineCluster cluster, PrintWriter out) {
        long t0 = System.nanoTime();
        try {
            cluster.warmUp(HazelcastEngineCluster.DEFAULT_WARM_UP)
                    .get(HazelcastEngineCluster.DEFAULT_WARM_UP.toMillis() + WARM_UP_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("engines not warmed up", e);
        } catch (InterruptedException e) {
            // the first run notices and reports the cancel
            Thread.currentThread().interrupt();
            return;
        }
        out.printf(Locale.ROOT, "Engines warmed up in %.2f s (their JIT compiled the kernel and the dispatch path;"
                + " not counted)%n", (System.nanoTime() - t0) / 1e9);
        out.flush();
    }

    /**
     * Dispatch overhead per task, on a folder of small images (so that moving bytes does not hide it): (client
     * received - client submitted) - (engine finished - engine started), what the client, the wire and Hazelcast's
     * threads on both sides cost beyond the engine's compute time. Balanced runs with no prefetch, so no task waits
     * in an engine's queue. One task at a time (a byte budget of one image) is the cost of dispatch itself; with
     * every slot busy on a machine that also runs the client, a task's threads also wait for a core that another
     * engine's conversion holds, and that figure is reported beside it. The loaded passes run first, then the
     * single ones, each kind repeated until its passes no longer improve ({@link #settled}): the JIT of both sides
     * keeps compiling the dispatch path over the first thousands of tasks.
     */
    private Overhead overhead(HazelcastEngineCluster cluster, ConversionSettings settings, Path scratch)
            throws IOException, BatchSetupException {
        Path inputs = SmallImages.write(scratch.resolve("overhead-in"), OVERHEAD_IMAGES);
        Path folder = scratch.resolve("overhead");
        try {
            BatchPlan plan = new BatchPlanner().plan(List.of(inputs), folder, settings, OverwritePolicy.OVERWRITE,
                    true);
            DispatchOptions noPrefetch = engineOptions.dispatchOptions().withPrefetch(0);
            Strategy loaded = new BalancedStrategy(cluster, new ImagePipeline(new GreyscaleKernel()), noPrefetch);
            Strategy single = new BalancedStrategy(cluster, new ImagePipeline(new GreyscaleKernel()),
                    noPrefetch.withMaxInFlightBytes(1));
            List<Double> loadedMedians = overheadPasses("every slot busy", loaded, plan, cluster);
            List<Double> singleMedians = overheadPasses("one task at a time", single, plan, cluster);
            return new Overhead(lastThreeMedian(singleMedians), lastThreeMedian(loadedMedians), loadedMedians.get(0),
                    loadedMedians.size() + singleMedians.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            clean(folder);
            clean(inputs);
        }
    }

    /** Passes over the small images until they stop improving: each one's median overhead, in milliseconds. */
    private static List<Double> overheadPasses(String label, Strategy strategy, BatchPlan plan,
                                               HazelcastEngineCluster cluster)
            throws IOException, BatchSetupException, InterruptedException {
        List<Double> medians = new ArrayList<>();
        while (medians.size() < OVERHEAD_MAX_PASSES && !settled(medians)) {
            medians.add(overheadPass(strategy, plan, cluster));
            LOG.debug("dispatch overhead, {}, pass {}: {} ms", label, medians.size(), medians.get(medians.size() - 1));
        }
        return medians;
    }

    private static double lastThreeMedian(List<Double> values) {
        return median(values.subList(Math.max(0, values.size() - OVERHEAD_WINDOW), values.size()));
    }

    /** One pass over the small images: the median overhead per task, in milliseconds. */
    private static double overheadPass(Strategy strategy, BatchPlan plan, HazelcastEngineCluster cluster)
            throws IOException, BatchSetupException, InterruptedException {
        clean(plan.outputRoot());
        BatchPlanner.prepareOutputFolder(plan);
        long t0 = System.nanoTime();
        List<FileResult> results = strategy.run(plan, ProgressListener.NONE);
        return RunSummary.of(results, System.nanoTime() - t0, cluster.engines()).overhead().medianMicros() / 1000.0;
    }

    private ModeResult row(Choices.Mode mode, List<Double> wallList, List<FileResult> results, long lastWallNanos,
                           Double serialWall, List<EngineInfo> engineInfos) {
        double wall = median(wallList);
        int images = (int) results.stream().filter(r -> r.status() == FileStatus.CONVERTED).count();
        int failed = (int) results.stream().filter(r -> r.status() == FileStatus.FAILED).count();
        double mp = results.stream().mapToLong(FileResult::pixels).sum() / 1e6;
        boolean serial = mode == Choices.Mode.SERIAL;
        int engines = serial ? 0 : engineInfos.size();
        int slots = serial ? 1 : EngineOptions.totalSlots(engineInfos);
        Double speedup = serialWall == null ? null : serialWall / wall;
        Double efficiency = speedup == null ? null : speedup / slots;
        List<EngineRow> perEngine = new ArrayList<>();
        if (!serial) {
            RunSummary summary = RunSummary.of(results, lastWallNanos, engineInfos);
            for (RunSummary.EngineSummary e : summary.engines()) {
                perEngine.add(new EngineRow(e.engineId(), e.images(), e.busyMicros() / 1e6, e.idleMicros() / 1e6,
                        e.shareOfImages(), e.shareOfPixels(), e.shareOfBusy()));
            }
        }
        return new ModeResult(Choices.word(mode), engines, slots, wall, wallList, images, failed, mp,
                images / wall, mp / wall, speedup, efficiency, perEngine);
    }

    private void printTable(PrintWriter out, BatchPlan plan, List<ModeResult> rows, double clusterStart,
                            boolean identical, boolean sameBytes, List<String> differences, Overhead overhead) {
        out.println();
        out.printf(Locale.ROOT, "%-9s %7s %5s %8s %9s %7s %8s %10s%n", "mode", "engines", "slots", "wall s",
                "images/s", "MP/s", "speedup", "efficiency");
        for (ModeResult r : rows) {
            out.printf(Locale.ROOT, "%-9s %7d %5d %8.2f %9.2f %7.2f %8s %10s%n", r.mode(), r.engines(), r.slots(),
                    r.wallSeconds(), r.imagesPerSecond(), r.megapixelsPerSecond(), fixed(r.speedup()),
                    fixed(r.efficiency()));
        }
        boolean anyEngines = rows.stream().anyMatch(r -> !r.perEngine().isEmpty());
        if (anyEngines) {
            out.println();
            out.printf(Locale.ROOT, "%-9s %6s %6s %7s %7s %8s %8s%n", "mode", "engine", "images", "busy s", "idle s",
                    "images%", "pixels%");
            for (ModeResult r : rows) {
                for (EngineRow e : r.perEngine()) {
                    out.printf(Locale.ROOT, "%-9s %6d %6d %7.2f %7.2f %7.0f%% %7.0f%%%n", r.mode(), e.engine(),
                            e.images(), e.busySeconds(), e.idleSeconds(), 100 * e.shareOfImages(),
                            100 * e.shareOfPixels());
                }
            }
        }
        out.println();
        if (clusterStart > 0) {
            out.printf(Locale.ROOT, "Cluster start-up: %.2f s (not counted in any mode's wall time)%n", clusterStart);
        }
        if (overhead != null) {
            out.printf(Locale.ROOT, "Dispatch overhead: %.2f ms per task, one task at a time; %.2f ms with every"
                            + " slot busy (%.2f ms on its first pass)%n", overhead.singleMillis(),
                    overhead.loadedMillis(), overhead.firstMillis());
            out.printf(Locale.ROOT, "  (client round trip minus engine compute; balanced, no prefetch, %d small"
                    + " images; medians of the last passes, %d passes of both kinds)%n", OVERHEAD_IMAGES,
                    overhead.passes());
        }
        if (rows.size() > 1) {
            out.println("Outputs identical in every mode: " + (identical
                    ? "yes (same names and pixels" + (sameBytes ? ", same bytes)" : "; bytes differ)")
                    : "NO"));
            differences.stream().limit(20).forEach(d -> out.println("  " + d));
        }
        rows.stream().filter(r -> r.failed() > 0).forEach(r -> out.printf(Locale.ROOT,
                "%s: %d image(s) failed (run greylab convert with --report to see why)%n", r.mode(), r.failed()));
    }

    private void writeJson(Path file, BatchPlan plan, List<ModeResult> rows, double clusterStart, boolean identical,
                           boolean sameBytes, List<String> differences, Overhead overhead) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", VersionProvider.version());
        root.put("images", plan.jobs().size());
        root.put("inputBytes", plan.totalInputBytes());
        root.put("repeat", repeat);
        root.put("identicalOutputs", identical);
        root.put("identicalBytes", sameBytes);
        root.put("differences", differences);
        root.put("clusterStartSeconds", clusterStart);
        root.put("dispatchOverheadMillis", overhead == null ? null : overhead.singleMillis());
        root.put("dispatchOverheadUnderLoadMillis", overhead == null ? null : overhead.loadedMillis());
        root.put("dispatchOverheadFirstPassMillis", overhead == null ? null : overhead.firstMillis());
        root.put("modes", rows);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
    }

    private static void writeCsv(Path file, List<ModeResult> rows) throws IOException {
        StringBuilder text = new StringBuilder(
                "mode,engines,slots,wallSeconds,imagesPerSecond,megapixelsPerSecond,speedup,efficiency,images,failed\n");
        for (ModeResult r : rows) {
            text.append(String.format(Locale.ROOT, "%s,%d,%d,%.4f,%.4f,%.4f,%s,%s,%d,%d%n", r.mode(), r.engines(),
                    r.slots(), r.wallSeconds(), r.imagesPerSecond(), r.megapixelsPerSecond(),
                    r.speedup() == null ? "" : String.format(Locale.ROOT, "%.4f", r.speedup()),
                    r.efficiency() == null ? "" : String.format(Locale.ROOT, "%.4f", r.efficiency()), r.images(),
                    r.failed()));
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, text);
    }

    private List<String> modeWords() {
        return modes.stream().map(Choices::word).toList();
    }

    private static String fixed(Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.2f", value);
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** Deletes everything under {@code folder} (the bench's own scratch space), keeping the folder. */
    private static void clean(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(folder)) {
                    Files.delete(p);
                }
            }
        }
    }
}
