package org.greylab.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.greylab.core.image.ConversionSettings;
import org.greylab.core.image.Decoders;
import org.greylab.core.image.GreyFormula;
import org.greylab.core.image.GreyscaleKernel;
import org.greylab.core.image.KernelWarmUp;
import org.greylab.core.image.OutputFormat;
import org.greylab.core.job.BatchPlan;
import org.greylab.core.job.BatchPlanner;
import org.greylab.core.job.BatchSetupException;
import org.greylab.core.job.OverwritePolicy;
import org.greylab.core.run.EngineSource;
import org.greylab.core.run.OutputFolders;
import org.greylab.core.run.RunEvent;
import org.greylab.core.run.RunOutcome;
import org.greylab.core.run.RunRequest;
import org.greylab.core.run.RunService;
import org.greylab.core.schedule.Mode;
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
            "Modes run interleaved (serial, direct, balanced, then again), after the engines and then this process"
                    + " have warmed up (not counted), so no mode starts cold. A speedup above the slots (for local"
                    + " engines: above this machine's cores) cannot be real: it is flagged, not reported as a"
                    + " result (JSON: implausible).",
            "With engines, it last measures the dispatch overhead per task on 200 small generated images: client"
                    + " round trip minus engine compute, one task at a time and with every slot busy (JSON:"
                    + " dispatchOverheadMillis, dispatchOverheadUnderLoadMillis, dispatchOverheadFirstPassMillis)."},
        footer = {"", "Exit status: 0 identical outputs, 1 outputs differ or images failed, 2 usage or set-up error."})
public final class BenchCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(BenchCommand.class);

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "INPUT", description = "Folders and image files to convert.")
    List<Path> inputs = new ArrayList<>();

    @Mixin
    EngineOptions engineOptions = new EngineOptions();

    @Option(names = "--modes", paramLabel = "MODE[,MODE...]", split = ",", defaultValue = "serial,direct,balanced",
            description = "Modes to run, in this order (default: ${DEFAULT-VALUE}).")
    List<Mode> modes = new ArrayList<>();

    @Option(names = "--repeat", paramLabel = "R", defaultValue = "3",
            description = "Run every mode R times, interleaved, and report the median with the fastest and slowest"
                    + " run (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--compare-tools", description = "Also convert the same images with whichever of libvips,"
            + " OpenCV (python3 with cv2) and ImageMagick are installed, one thread each, to grey PNG, and print"
            + " Greylab's serial time against each.")
    boolean compareTools;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "keep",
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

    @Override
    public Integer call() throws IOException {
        LoggingSetup.configure(verbose, logFile);
        try (CancelOnSignal signal = new CancelOnSignal()) {
            return bench(spec.commandLine().getOut(), spec.commandLine().getErr(), signal);
        } finally {
            LoggingSetup.close();
        }
    }

    private void validate() {
        if (repeat < 1 || repeat > RunRequest.MAX_REPEAT) {
            throw new ParameterException(spec.commandLine(), "--repeat must be between 1 and "
                    + RunRequest.MAX_REPEAT + ", not " + repeat);
        }
        if (modes.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--modes names no mode: give serial, direct or balanced");
        }
        if (modes.stream().distinct().count() != modes.size()) {
            throw new ParameterException(spec.commandLine(), "--modes names a mode twice: " + modes
                    + " (use --repeat to run each mode several times)");
        }
        if (modes.stream().anyMatch(Mode::needsEngines)) {
            engineOptions.validate(spec);
        }
    }

    private int bench(PrintWriter out, PrintWriter err, CancelOnSignal signal) throws IOException {
        validate();
        ConversionSettings settings = new ConversionSettings(format, GreyFormula.SKIMAGE,
                ConversionSettings.DEFAULT_JPEG_QUALITY, ConversionSettings.DEFAULT_PNG_COMPRESSION,
                ConversionSettings.DEFAULT_PNG_FILTER, ConversionSettings.DEFAULT_MAX_PIXELS, Decoders.allowed());
        Path scratch = Files.createTempDirectory("greylab-bench-");
        HazelcastEngineCluster cluster = null;
        try {
            // the plan's own folder is never written: every mode writes a temporary folder of its own
            BatchPlan plan = new BatchPlanner().plan(inputs, scratch.resolve("planned"), settings,
                    OverwritePolicy.OVERWRITE, true);
            if (plan.jobs().isEmpty()) {
                err.println("greylab: no images to measure in " + inputs);
                err.flush();
                return 2;
            }
            double clusterStart = 0;
            if (modes.stream().anyMatch(Mode::needsEngines)) {
                long t0 = System.nanoTime();
                cluster = engineOptions.openOrExplain(out, err);
                if (cluster == null) {
                    return 2;
                }
                signal.holdEngines(cluster);
                clusterStart = (System.nanoTime() - t0) / 1e9;
                warmUp(cluster, out);
            }
            if (modes.contains(Mode.SERIAL)) {
                warmUpHere(out);
            }
            out.printf(Locale.ROOT, "Measuring %d image(s), %s, in %s; %d run(s) of each mode%n", plan.jobs().size(),
                    BatchPlanner.humanBytes(plan.totalInputBytes()),
                    String.join(", ", modes.stream().map(Mode::word).toList()), repeat);
            out.flush();
            RunService service = new RunService(new GreyscaleKernel(), EngineSource.of(cluster),
                    engineOptions.dispatchOptions(), scratch);
            HazelcastEngineCluster engines = cluster;
            // the batch's settings once its decoders are fixed (what every party has): the overhead probe's tasks
            // go to the same engines and must not ask them for a decoder one of them lacks
            AtomicReference<ConversionSettings> batchSettings = new AtomicReference<>(settings);
            RunOutcome outcome = service.run(RunRequest.bench(plan, modes, repeat), event -> {
                if (event instanceof RunEvent.RunStarted s) {
                    batchSettings.set(s.plan().settings());
                    BenchOutput.decodersLines(s.plan().settings().decoders(), engines).forEach(out::println);
                    out.flush();
                }
                if (event instanceof RunEvent.ModeFinished f && !f.result().report().cancelled()) {
                    List<Long> walls = f.result().wallNanos();
                    out.printf(Locale.ROOT, "  %-8s run %d: %.2f s%n", f.mode().word(), f.round() + 1,
                            walls.get(walls.size() - 1) / 1e9);
                    out.flush();
                }
            });
            if (outcome.cancelled()) {
                err.println("greylab: bench cancelled");
                err.flush();
                return ConvertCommand.EXIT_CANCELLED;
            }
            DispatchOverheadProbe.Overhead overhead = null;
            if (cluster != null) {
                out.printf(Locale.ROOT, "Measuring the dispatch overhead on %d small images (up to half a minute)...%n",
                        DispatchOverheadProbe.IMAGES);
                out.flush();
                overhead = new DispatchOverheadProbe(cluster, engineOptions.dispatchOptions())
                        .measure(batchSettings.get(), scratch);
            }
            BenchOutput output = new BenchOutput(plan, outcome, repeat, clusterStart, overhead,
                    speedupLimit(cluster), engineOptions.group);
            output.printTable(out);
            if (compareTools) {
                Double serial = outcome.result(Mode.SERIAL).map(r -> r.wallSeconds()).orElse(null);
                long serialBytes = outcome.result(Mode.SERIAL).map(r -> r.report().bytesOut()).orElse(0L);
                ToolComparison.print(out, new ToolComparison(plan, scratch).run(), serial, serialBytes,
                        format == OutputFormat.PNG);
            }
            if (json != null) {
                output.writeJson(json, VersionProvider.version());
                out.println("JSON: " + json.toAbsolutePath().normalize());
            }
            if (csv != null) {
                output.writeCsv(csv);
                out.println("CSV: " + csv.toAbsolutePath().normalize());
            }
            out.flush();
            return outcome.identicalOutputs() && outcome.failed() == 0 ? 0 : 1;
        } catch (BatchSetupException e) {
            LOG.debug("bench set-up failed", e);
            err.println("greylab: " + e.getMessage());
            err.flush();
            return 2;
        } finally {
            if (cluster != null) {
                cluster.close();
            }
            OutputFolders.deleteTree(scratch);
        }
    }

    /**
     * Lets the engines' JIT compile the kernel before anything is measured: a fresh engine would convert its first
     * images interpreted, and the first run's timing would say more about the JVM than about the mode.
     */
    private static void warmUp(HazelcastEngineCluster cluster, PrintWriter out) {
        long t0 = System.nanoTime();
        try {
            EngineOptions.awaitWarmUp(cluster);
        } catch (InterruptedException e) {
            // the run notices and reports the cancel
            Thread.currentThread().interrupt();
            return;
        }
        out.printf(Locale.ROOT, "Engines warmed up in %.2f s (their JIT compiled the kernel and the dispatch path;"
                + " not counted)%n", (System.nanoTime() - t0) / 1e9);
        out.flush();
    }

    /**
     * Runs the engines' kernel warm-up in this process too, after theirs, so that serial (which runs here) starts
     * as warm as they do and never beside their warm-up: a cold serial run would flatter every other mode.
     */
    private static void warmUpHere(PrintWriter out) {
        long t0 = System.nanoTime();
        int conversions = KernelWarmUp.run(HazelcastEngineCluster.DEFAULT_WARM_UP);
        out.printf(Locale.ROOT, "This process warmed up in %.2f s (%d conversions: serial runs here, as warm as the"
                + " engines; not counted)%n", (System.nanoTime() - t0) / 1e9, conversions);
        out.flush();
    }

    /**
     * The most a distributed mode can be faster than serial here: its slots, and for local engines also this
     * machine's cores (they share them with this process). A bench above it measured something else.
     */
    private int speedupLimit(HazelcastEngineCluster cluster) {
        int slots = cluster == null ? 1 : EngineOptions.totalSlots(cluster.engines());
        return engineOptions.remote() ? slots : Math.min(slots, Runtime.getRuntime().availableProcessors());
    }
}
