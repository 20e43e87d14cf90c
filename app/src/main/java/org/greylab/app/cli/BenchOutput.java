package org.greylab.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.greylab.core.image.Decoders;
import org.greylab.core.image.JpegDecoders;
import org.greylab.core.job.BatchPlan;
import org.greylab.core.run.ModeResult;
import org.greylab.core.run.RunOutcome;
import org.greylab.core.schedule.EngineCluster;
import org.greylab.core.schedule.RunSummary;
import org.greylab.core.schedule.TaskGrouping;

/** What {@code greylab bench} prints and writes: the table, the JSON and the CSV, from the run's figures. */
final class BenchOutput {

    /** One mode's figures: the JSON's {@code modes[]} entry and a row of the table. */
    record ModeRow(String mode, int engines, int slots, double wallSeconds, List<Double> allWallSeconds,
                   double minWallSeconds, double maxWallSeconds, int images, int failed, double megapixels,
                   double imagesPerSecond, double megapixelsPerSecond, Double speedup, Double efficiency,
                   boolean implausible, List<EngineRow> perEngine, TaskRow tasks) {

        /** {@code speedupLimit}: the most a distributed mode can gain here (its slots, or fewer cores). */
        static ModeRow of(ModeResult r, int speedupLimit) {
            List<EngineRow> perEngine = new ArrayList<>();
            if (r.summary() != null) {
                for (RunSummary.EngineSummary e : r.summary().engines()) {
                    perEngine.add(new EngineRow(e.engineId(), e.images(), e.busyMicros() / 1e6, e.idleMicros() / 1e6,
                            e.shareOfImages(), e.shareOfPixels(), e.shareOfBusy()));
                }
            }
            TaskRow tasks = null;
            if (r.summary() != null && r.summary().tasks().count() > 0) {
                RunSummary.Tasks t = r.summary().tasks();
                tasks = new TaskRow(t.count(), t.minImages(), t.maxImages(), t.meanImages(r.summary().images()),
                        r.summary().overhead().meanMicros() / 1000.0, t.overheadPerImageMicros() / 1000.0);
            }
            List<Double> walls = r.allWallSeconds();
            int limit = r.mode().needsEngines() ? speedupLimit : 1;
            // a hundredth of slack: two runs of one mode's median can differ by less than their clock's resolution
            boolean implausible = r.speedup() != null && r.speedup() > limit * 1.01;
            return new ModeRow(r.mode().word(), r.engineCount(), r.slots(), r.wallSeconds(), walls,
                    walls.stream().mapToDouble(Double::doubleValue).min().orElse(0),
                    walls.stream().mapToDouble(Double::doubleValue).max().orElse(0), r.converted(), r.failed(),
                    r.megapixels(), r.imagesPerSecond(), r.megapixelsPerSecond(), r.speedup(), r.efficiency(),
                    implausible, perEngine, tasks);
        }
    }

    /**
     * How a distributed mode's images travelled (its last run): tasks, images per task, and the dispatch overhead
     * (client round trip minus the engine's compute time) per task and spread over the images.
     */
    record TaskRow(int tasks, int minImages, int maxImages, double meanImages, double overheadPerTaskMillis,
                   double overheadPerImageMillis) {
    }

    /** One engine's part of a mode's (last) run. */
    record EngineRow(int engine, int images, double busySeconds, double idleSeconds, double shareOfImages,
                     double shareOfPixels, double shareOfBusy) {
    }

    /** One engine of the run in the JSON's {@code engines[]}. */
    record EngineEntry(int id, String name, String address, int slots, int cores, String version,
                       String jpegDecoder, String webpDecoder, String heifDecoder) {
    }

    private final BatchPlan plan;
    private final RunOutcome outcome;
    private final List<ModeRow> rows;
    private final int repeat;
    private final double clusterStartSeconds;
    private final DispatchOverheadProbe.Overhead overhead;
    private final int speedupLimit;
    private final TaskGrouping grouping;

    BenchOutput(BatchPlan plan, RunOutcome outcome, int repeat, double clusterStartSeconds,
                DispatchOverheadProbe.Overhead overhead, int speedupLimit, TaskGrouping grouping) {
        this.plan = plan;
        this.grouping = grouping;
        this.outcome = outcome;
        this.speedupLimit = speedupLimit;
        this.rows = outcome.results().stream().map(r -> ModeRow.of(r, speedupLimit)).toList();
        this.repeat = repeat;
        this.clusterStartSeconds = clusterStartSeconds;
        this.overhead = overhead;
    }

    void printTable(PrintWriter out) {
        out.println();
        out.printf(Locale.ROOT, "%-9s %7s %5s %8s %13s %9s %7s %8s %10s%n", "mode", "engines", "slots", "wall s",
                "min-max s", "images/s", "MP/s", "speedup", "efficiency");
        for (ModeRow r : rows) {
            out.printf(Locale.ROOT, "%-9s %7d %5d %8.2f %13s %9.2f %7.2f %8s %10s%n", r.mode(), r.engines(),
                    r.slots(), r.wallSeconds(), String.format(Locale.ROOT, "%.2f-%.2f", r.minWallSeconds(),
                            r.maxWallSeconds()), r.imagesPerSecond(), r.megapixelsPerSecond(),
                    fixed(r.speedup()) + (r.implausible() ? "!" : ""), fixed(r.efficiency()));
        }
        rows.stream().filter(ModeRow::implausible).forEach(r -> out.printf(Locale.ROOT,
                "! %s: a speedup of %.2f is above the %d that %d slot(s) can give here, so it is no result: serial"
                        + " or this mode was disturbed (another load, a cold JIT). Run the bench again.%n",
                r.mode(), r.speedup(), speedupLimit, r.slots()));
        if (rows.stream().anyMatch(r -> !r.perEngine().isEmpty())) {
            out.println();
            out.printf(Locale.ROOT, "%-9s %6s %6s %7s %7s %8s %8s%n", "mode", "engine", "images", "busy s", "idle s",
                    "images%", "pixels%");
            for (ModeRow r : rows) {
                for (EngineRow e : r.perEngine()) {
                    out.printf(Locale.ROOT, "%-9s %6d %6d %7.2f %7.2f %7.0f%% %7.0f%%%n", r.mode(), e.engine(),
                            e.images(), e.busySeconds(), e.idleSeconds(), 100 * e.shareOfImages(),
                            100 * e.shareOfPixels());
                }
            }
        }
        if (rows.stream().anyMatch(r -> r.tasks() != null)) {
            out.println();
            for (ModeRow r : rows) {
                TaskRow t = r.tasks();
                if (t != null) {
                    out.printf(Locale.ROOT, "%-9s %d images in %d tasks (%d-%d images a task, %.1f on average;"
                                    + " --group %s); time outside the conversion, queues included: %.2f ms a task,"
                                    + " %.2f ms an image%n", r.mode(),
                            r.images() + r.failed(), t.tasks(), t.minImages(), t.maxImages(), t.meanImages(),
                            grouping.word(), t.overheadPerTaskMillis(), t.overheadPerImageMillis());
                }
            }
        }
        out.println();
        if (clusterStartSeconds > 0) {
            out.printf(Locale.ROOT, "Cluster start-up: %.2f s (not counted in any mode's wall time)%n",
                    clusterStartSeconds);
        }
        if (overhead != null) {
            out.printf(Locale.ROOT, "Dispatch overhead: %.2f ms per task, one task at a time; %.2f ms with every"
                            + " slot busy (%.2f ms on its first pass)%n", overhead.singleMillis(),
                    overhead.loadedMillis(), overhead.firstMillis());
            out.printf(Locale.ROOT, "  (client round trip minus engine compute; balanced, no prefetch, one image a"
                    + " task, %d small images; medians of the last passes, %d passes of both kinds)%n", DispatchOverheadProbe.IMAGES,
                    overhead.passes());
        }
        if (rows.size() > 1) {
            out.println("Outputs identical in every mode: " + (outcome.identicalOutputs()
                    ? "yes (same names and pixels" + (outcome.identicalBytes() ? ", same bytes)" : "; bytes differ)")
                    : "NO"));
            outcome.differences().stream().limit(20).forEach(d -> out.println("  " + d));
        }
        rows.stream().filter(r -> r.failed() > 0).forEach(r -> out.printf(Locale.ROOT,
                "%s: %d image(s) failed (run greylab convert with --report to see why)%n", r.mode(), r.failed()));
    }

    /**
     * The header's lines on decoding: the batch's JPEG decoder, and what this process and each engine has; the
     * batch's WebP and HEIC/AVIF decoders.
     */
    static List<String> decodersLines(Decoders batch, EngineCluster cluster) {
        String engines = cluster == null ? "" : "; engines: " + cluster.engines().stream()
                .map(e -> e.id() + " " + e.decoders().jpeg().word()).collect(Collectors.joining(", "));
        return List.of("JPEG decoding: " + batch.jpeg().word() + " (this process: " + JpegDecoders.description()
                + engines + ")", "WebP decoding: " + batch.webpWord() + ", HEIC/AVIF: " + batch.heifWord()
                + " (the native decoders only where this process and every engine have them)");
    }

    void writeJson(Path file, String version) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", version);
        root.put("jpegDecoder", outcome.results().isEmpty() ? null
                : outcome.results().get(0).report().settings().jpegDecoding().word());
        root.put("clientJpegDecoder", JpegDecoders.description());
        root.put("webpDecoder", outcome.results().isEmpty() ? null
                : outcome.results().get(0).report().settings().decoders().webpWord());
        root.put("heifDecoder", outcome.results().isEmpty() ? null
                : outcome.results().get(0).report().settings().decoders().heifWord());
        root.put("engines", outcome.results().stream().filter(r -> !r.engines().isEmpty()).findFirst()
                .map(r -> r.engines().stream().map(e -> new EngineEntry(e.id(), e.name(), e.address(), e.slots(),
                        e.cores(), e.version(), e.decoders().jpeg().word(), e.decoders().webpWord(),
                        e.decoders().heifWord())).toList())
                .orElse(List.of()));
        root.put("images", plan.jobs().size());
        root.put("inputBytes", plan.totalInputBytes());
        root.put("repeat", repeat);
        root.put("identicalOutputs", outcome.identicalOutputs());
        root.put("identicalBytes", outcome.identicalBytes());
        root.put("differences", outcome.differences());
        root.put("clusterStartSeconds", clusterStartSeconds);
        root.put("dispatchOverheadMillis", overhead == null ? null : overhead.singleMillis());
        root.put("dispatchOverheadUnderLoadMillis", overhead == null ? null : overhead.loadedMillis());
        root.put("dispatchOverheadFirstPassMillis", overhead == null ? null : overhead.firstMillis());
        root.put("group", grouping.word());
        root.put("speedupLimit", speedupLimit);
        root.put("modes", rows);
        createParent(file);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
    }

    void writeCsv(Path file) throws IOException {
        StringBuilder text = new StringBuilder("mode,engines,slots,wallSeconds,imagesPerSecond,megapixelsPerSecond,"
                + "speedup,efficiency,images,failed\n");
        for (ModeRow r : rows) {
            text.append(String.format(Locale.ROOT, "%s,%d,%d,%.4f,%.4f,%.4f,%s,%s,%d,%d%n", r.mode(), r.engines(),
                    r.slots(), r.wallSeconds(), r.imagesPerSecond(), r.megapixelsPerSecond(),
                    r.speedup() == null ? "" : String.format(Locale.ROOT, "%.4f", r.speedup()),
                    r.efficiency() == null ? "" : String.format(Locale.ROOT, "%.4f", r.efficiency()), r.images(),
                    r.failed()));
        }
        createParent(file);
        Files.writeString(file, text);
    }

    private static void createParent(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }

    private static String fixed(Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.2f", value);
    }
}
