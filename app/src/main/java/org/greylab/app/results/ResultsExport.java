package org.greylab.app.results;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;

/** The results table as CSV, JSON and Markdown (the same columns as {@code greylab bench}). */
public final class ResultsExport {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String[] HEADER = {"mode", "engines", "slots", "images", "wall_s", "images_per_s",
        "mp_per_s", "speedup", "efficiency", "failed"};

    private ResultsExport() {
    }

    public static String csv(List<ResultRow> rows) {
        StringBuilder out = new StringBuilder(String.join(",", HEADER)).append('\n');
        for (ResultRow r : rows) {
            out.append(String.join(",", cells(r))).append('\n');
        }
        return out.toString();
    }

    public static String json(List<ResultRow> rows) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode modes = root.putArray("modes");
        for (ResultRow r : rows) {
            ObjectNode m = modes.addObject();
            m.put("mode", r.mode().word());
            m.put("engines", r.engines());
            m.put("slots", r.slots());
            m.put("images", r.images());
            m.put("wallSeconds", r.wallSeconds());
            m.put("imagesPerSecond", r.imagesPerSecond());
            m.put("megapixelsPerSecond", r.megapixelsPerSecond());
            if (Double.isNaN(r.speedup())) {
                m.putNull("speedup");
                m.putNull("efficiency");
            } else {
                m.put("speedup", r.speedup());
                m.put("efficiency", r.efficiency());
            }
            m.put("failed", r.failed());
        }
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String markdown(List<ResultRow> rows) {
        StringBuilder out = new StringBuilder("| mode | engines | slots | images | wall (s) | images/s | MP/s | "
                + "speedup | efficiency |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (ResultRow r : rows) {
            String[] c = cells(r);
            out.append("| ").append(c[0]);
            for (int i = 1; i < 9; i++) {
                out.append(" | ").append(c[i].isEmpty() ? "–" : c[i]);
            }
            out.append(" |\n");
        }
        return out.toString();
    }

    private static String[] cells(ResultRow r) {
        return new String[] {r.mode().word(), Integer.toString(r.engines()), Integer.toString(r.slots()),
            Integer.toString(r.images()), fmt("%.3f", r.wallSeconds()), fmt("%.2f", r.imagesPerSecond()),
            fmt("%.2f", r.megapixelsPerSecond()), Double.isNaN(r.speedup()) ? "" : fmt("%.2f", r.speedup()),
            Double.isNaN(r.efficiency()) ? "" : fmt("%.2f", r.efficiency()), Integer.toString(r.failed())};
    }

    private static String fmt(String pattern, double v) {
        return String.format(Locale.ROOT, pattern, v);
    }
}
