package org.greylab.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.greylab.core.image.ConversionSettings;
import org.greylab.core.image.StageTimings;
import org.greylab.core.job.FileResult;
import org.greylab.core.job.TaskTrace;
import org.greylab.core.stats.BatchReport;

/**
 * The machine-readable report ({@code --report FILE.json}). Keys are fixed here, in one place, so scripts can rely
 * on them: {@code converted, skipped, failed, wallSeconds, files[{input, output, status, stage, reason,
 * warnings}]} and the extra figures beside them.
 */
final class ReportJson {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportJson() {
    }

    static ObjectNode toJson(BatchReport report, String version) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("converted", report.converted());
        root.put("skipped", report.skipped());
        root.put("failed", report.failed());
        root.put("notRun", report.notRun());
        root.put("convertedEarlier", report.earlier());
        root.put("cancelled", report.cancelled() && report.stopReason() == null);
        if (report.stopReason() != null) {
            root.put("stopReason", report.stopReason());
        }
        root.put("wallSeconds", report.wallSeconds());
        root.put("imagesPerSecond", report.imagesPerSecond());
        root.put("megapixelsPerSecond", report.megapixelsPerSecond());
        root.put("megapixels", report.megapixels());
        root.put("bytesIn", report.bytesIn());
        root.put("bytesOut", report.bytesOut());
        root.put("mode", report.mode().word());
        root.put("version", version);
        ArrayNode inputs = root.putArray("inputs");
        report.inputRoots().forEach(p -> inputs.add(p.toString()));
        root.put("outputFolder", report.outputFolder().toString());
        ConversionSettings s = report.settings();
        ObjectNode settings = root.putObject("settings");
        settings.put("format", word(s.format()));
        settings.put("formula", word(s.formula()));
        settings.put("jpegQuality", s.jpegQuality());
        settings.put("pngCompression", s.pngCompression());
        settings.put("pngFilter", word(s.pngFilter()));
        settings.put("maxMegapixels", s.maxPixels() / 1e6);
        settings.put("overwrite", word(report.policy()));
        stages(root.putObject("stageSeconds"), report.stageTotals());
        ArrayNode files = root.putArray("files");
        for (FileResult row : report.files()) {
            ObjectNode file = files.addObject();
            file.put("input", row.input());
            file.put("output", row.output());
            file.put("status", row.status().label());
            file.put("stage", row.stage() == null ? null : row.stage().label());
            file.put("reason", row.reason());
            ArrayNode warnings = file.putArray("warnings");
            row.warnings().forEach(warnings::add);
            file.put("bytesIn", row.bytesIn());
            file.put("bytesOut", row.bytesOut());
            file.put("pixels", row.pixels());
            stages(file.putObject("stageSeconds"), row.timings());
            TaskTrace trace = row.trace();
            if (trace.attempt() > 0) {
                file.put("engine", trace.ranOnEngine() ? String.valueOf(trace.engineId()) : "local");
                file.put("attempt", trace.attempt());
            }
            if (trace.ranOnEngine() && trace.attempt() > 0) {
                // where its time went: the task that carried it, on the client's clock and the engine's
                file.put("task", trace.taskId());
                file.put("taskImages", trace.taskImages());
                file.put("submittedMicros", trace.submittedMicros());
                file.put("startedMicros", trace.startedMicros());
                file.put("finishedMicros", trace.finishedMicros());
                file.put("receivedMicros", trace.receivedMicros());
            }
        }
        return root;
    }

    private static void stages(ObjectNode node, StageTimings t) {
        node.put("read", t.readNanos() / 1e9);
        node.put("decode", t.decodeNanos() / 1e9);
        node.put("convert", t.convertNanos() / 1e9);
        node.put("encode", t.encodeNanos() / 1e9);
        node.put("write", t.writeNanos() / 1e9);
    }

    /** Writes the report atomically (temporary file beside it, then a move), creating missing folders. */
    static void write(BatchReport report, String version, Path file) throws IOException {
        Path target = file.toAbsolutePath().normalize();
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), ".greylab-report-", ".part");
        try {
            MAPPER.writeValue(tmp.toFile(), toJson(report, version));
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** A choice as the command line spells it: {@code png}, {@code skimage}. */
    private static String word(Enum<?> choice) {
        return choice.name().toLowerCase(java.util.Locale.ROOT);
    }
}
