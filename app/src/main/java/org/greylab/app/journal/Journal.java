package org.greylab.app.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.greylab.core.image.ConversionSettings;
import org.greylab.core.job.BatchSetupException;
import org.greylab.core.job.InputScanner;
import org.greylab.core.job.OverwritePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A batch journal as read back ({@link JournalFile} writes it): the settings its batch ran with, the last line about
 * each image, and whether the batch ended.
 *
 * @param file     the journal file
 * @param settings the header's settings, by name
 * @param images   the number of images its first run planned
 * @param planHash the hash of its first run's plan
 * @param entries  the last line about each image, by its input's relative path
 * @param finished whether the batch settled every image (an {@code end} line)
 */
public record Journal(Path file, Map<String, String> settings, int images, String planHash,
                      Map<String, Entry> entries, boolean finished) {

    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
    static final String INPUTS = "inputs";
    static final String RECURSIVE = "recursive";
    static final String JPEG_DECODING = "jpegDecoding";

    /** How the settings are named to the user, for those named differently on the command line. */
    private static final Map<String, String> OPTION_NAMES = Map.of(
            INPUTS, "the inputs", RECURSIVE, "--no-recursive", "format", "--format", "formula", "--formula",
            "jpegQuality", "--jpeg-quality", "pngCompression", "--png-compression", "pngFilter", "--png-filter",
            "maxPixels", "--max-megapixels (in pixels)", "overwrite", "--overwrite");

    public Journal {
        settings = Map.copyOf(settings);
        entries = Map.copyOf(entries);
    }

    /**
     * The last line about one image.
     *
     * @param done       whether its output was written (else it failed)
     * @param output     its output's path relative to the output folder
     * @param inSize     its input's size then
     * @param inModified its input's modification time then (epoch milliseconds)
     * @param outSize    its output's size (done only)
     * @param crc32c     its output's CRC-32C in hex (done only)
     * @param pixels     its output's pixel count (done only)
     * @param warnings   what the conversion warned about (done only)
     * @param stage      the stage it failed at (failed only; may be null)
     * @param reason     why it failed (failed only)
     */
    public record Entry(boolean done, String output, long inSize, long inModified, long outSize, String crc32c,
                        long pixels, List<String> warnings, String stage, String reason) {
        public Entry {
            warnings = List.copyOf(warnings);
        }
    }

    /** Whether the batch's recursion setting was on. */
    public boolean recursive() {
        return Boolean.parseBoolean(settings.get(RECURSIVE));
    }

    /**
     * Reads the journal of {@code outputRoot}, if there is one. A line cut short (a process killed as it wrote it)
     * is left out: its image is converted again; a journal whose header cannot be read is refused.
     *
     * @throws BatchSetupException when the journal cannot be read or is not one
     */
    public static Optional<Journal> read(Path outputRoot) throws BatchSetupException {
        Path file = JournalFile.location(outputRoot);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.isBlank()) {
                    lines.add(line);
                }
            }
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw unusable(file, InputScanner.describe(e));
        }
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        JsonNode header = parse(lines.get(0));
        if (header == null || header.path("journal").asInt() != JournalFile.VERSION || !header.has("settings")) {
            throw unusable(file, "its first line is not a Greylab journal header of this version");
        }
        Map<String, String> settings = new LinkedHashMap<>();
        header.get("settings").properties().forEach(f -> settings.put(f.getKey(), f.getValue().asText()));
        Map<String, Entry> entries = new HashMap<>();
        boolean finished = false;
        for (int i = 1; i < lines.size(); i++) {
            JsonNode line = parse(lines.get(i));
            if (line == null) {
                // a line cut short by a process killed as it wrote it: that image is simply not recorded
                LOG.debug("{}: line {} is cut short, left out", file, i + 1);
                continue;
            }
            if (line.has("end")) {
                finished = true;
            } else if (line.has("done")) {
                List<String> warnings = new ArrayList<>();
                line.path("warnings").forEach(w -> warnings.add(w.asText()));
                entries.put(line.get("done").asText(), new Entry(true, line.path("output").asText(),
                        line.path("inSize").asLong(), line.path("inModified").asLong(), line.path("outSize").asLong(),
                        line.path("crc32c").asText(), line.path("pixels").asLong(), warnings, null, null));
            } else if (line.has("failed")) {
                entries.put(line.get("failed").asText(), new Entry(false, line.path("output").asText(),
                        line.path("inSize").asLong(), line.path("inModified").asLong(), 0, null, 0, List.of(),
                        line.path("stage").isTextual() ? line.get("stage").asText() : null,
                        line.path("reason").asText()));
            }
        }
        return Optional.of(new Journal(file, settings, header.path("images").asInt(),
                header.path("planHash").asText(), entries, finished));
    }

    /**
     * What differs between this journal's batch and a run with these settings, in words naming the options (empty
     * when the run continues this batch). The JPEG decoder is checked when the run starts (it depends on the
     * engines).
     */
    public List<String> differences(List<Path> inputRoots, boolean recursiveNow, ConversionSettings settingsNow,
                                    OverwritePolicy policyNow) {
        Map<String, String> now = JournalFile.settingsOf(inputRoots, recursiveNow, settingsNow, policyNow);
        List<String> differences = new ArrayList<>();
        for (Map.Entry<String, String> setting : now.entrySet()) {
            String name = setting.getKey();
            if (name.equals(JPEG_DECODING) || Objects.equals(settings.get(name), setting.getValue())) {
                continue;
            }
            String option = OPTION_NAMES.getOrDefault(name, name);
            String then = settings.get(name);
            if (name.equals(INPUTS)) {
                differences.add("the inputs were " + String.join(", ", String.valueOf(then).split("\n"))
                        + ", not " + String.join(", ", setting.getValue().split("\n")));
            } else if (name.equals(RECURSIVE)) {
                differences.add(Boolean.parseBoolean(then) ? "it ran without --no-recursive"
                        : "it ran with --no-recursive");
            } else {
                differences.add(String.format(Locale.ROOT, "%s was %s, not %s", option, then, setting.getValue()));
            }
        }
        return differences;
    }

    private static JsonNode parse(String line) {
        try {
            JsonNode node = JournalFile.MAPPER.readTree(line);
            return node != null && node.isObject() ? node : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static BatchSetupException unusable(Path file, String why) {
        return new BatchSetupException("The journal " + file + " cannot be used: " + why + ". Run without --resume"
                + " to start fresh (it is then replaced).");
    }
}
