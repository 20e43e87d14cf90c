package org.greylab.app.journal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.greylab.core.image.ConversionSettings;
import org.greylab.core.job.BatchJournal;
import org.greylab.core.job.BatchPlan;
import org.greylab.core.job.BatchPlanner;
import org.greylab.core.job.BatchSetupException;
import org.greylab.core.job.FileResult;
import org.greylab.core.job.ImageJob;
import org.greylab.core.job.InputScanner;
import org.greylab.core.job.OutputRecord;
import org.greylab.core.job.OverwritePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A batch's journal, {@code <output>/.greylab/journal.jsonl}: one JSON object a line, appended and never rewritten.
 * The first line is the batch's header (its settings and its plan's hash); then one line per output, written when
 * its bytes are on disk and before its rename ({@code done}: the input's size and modification time, the output's
 * name, size and CRC-32C), one per image that failed ({@code failed}), and {@code end} when every image is settled.
 * Each line goes to the file in one write as it happens, so a killed process loses none of them; the file is forced
 * to disk at the end. A fresh batch replaces the journal of an earlier one; a resumed batch appends to it.
 */
public final class JournalFile implements BatchJournal {

    private static final Logger LOG = LoggerFactory.getLogger(JournalFile.class);
    static final ObjectMapper MAPPER = new ObjectMapper();
    /** The journal's file name, in {@link BatchJournal#FOLDER}. */
    public static final String NAME = "journal.jsonl";
    /** The format of the lines: a reader refuses a journal of another version. */
    static final int VERSION = 1;
    /** The batch lock's file name, beside the journal. */
    static final String LOCK = "lock";

    private final Path file;
    private final boolean recursive;
    /** The journal a resumed batch appends to; null for a fresh batch. */
    private final Journal resumed;
    private FileChannel out;
    /** The folder's batch lock, held from {@link #claim} to {@link #ended}: one batch at a time writes a folder. */
    private FileChannel lockFile;
    private FileLock lock;

    private JournalFile(Path file, boolean recursive, Journal resumed) {
        this.file = file;
        this.recursive = recursive;
        this.resumed = resumed;
    }

    /** Where the journal of the batches writing {@code outputRoot} is. */
    public static Path location(Path outputRoot) {
        return outputRoot.resolve(BatchJournal.FOLDER).resolve(NAME);
    }

    /** The journal of a new batch into {@code outputRoot}: it replaces any journal there when the batch starts. */
    public static JournalFile fresh(Path outputRoot, boolean recursive) {
        return new JournalFile(location(outputRoot), recursive, null);
    }

    /** The journal of a batch resumed from {@code journal}: appended to. */
    public static JournalFile continuing(Journal journal) {
        return new JournalFile(journal.file(), journal.recursive(), journal);
    }

    /**
     * Takes the output folder's batch lock ({@code .greylab/lock}; the system releases it when the process ends,
     * killed or not) and then removes every temporary output file under the folder, whatever its age: no live run
     * writes them. Called again, it does nothing.
     *
     * @return the temporary files removed, for the caller to list
     * @throws BatchSetupException when another batch holds the lock (it is writing into this folder now)
     */
    public synchronized List<Path> claim(Path outputRoot) throws BatchSetupException {
        if (lock != null) {
            return List.of();
        }
        try {
            Files.createDirectories(file.getParent());
            lockFile = FileChannel.open(file.resolveSibling(LOCK), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            try {
                lock = lockFile.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                lockFile.close();
                lockFile = null;
                throw new BatchSetupException("Another Greylab batch is writing into " + outputRoot + " now. Wait"
                        + " for it to end, or choose another output folder.");
            }
        } catch (IOException e) {
            throw new BatchSetupException("The journal folder " + file.getParent() + " cannot be written ("
                    + InputScanner.describe(e) + "). Choose another output folder.", e);
        }
        return BatchPlanner.removeLeftovers(outputRoot, true);
    }

    @Override
    public synchronized void started(BatchPlan plan) throws BatchSetupException {
        List<Path> removed = claim(plan.outputRoot());
        if (!removed.isEmpty()) {
            LOG.info("removed {} temporary file(s) of an interrupted run under {}", removed.size(), plan.outputRoot());
        }
        try {
            open(plan);
        } catch (BatchSetupException | RuntimeException e) {
            // the run does not start: nor may it keep the folder locked
            release();
            throw e;
        }
    }

    private void open(BatchPlan plan) throws BatchSetupException {
        try {
            if (resumed != null) {
                String decoding = plan.settings().jpegDecoding().word();
                if (!decoding.equals(resumed.settings().get(Journal.JPEG_DECODING))) {
                    throw new BatchSetupException("The batch in " + plan.outputRoot() + " decoded its JPEGs with "
                            + describeDecoding(resumed.settings().get(Journal.JPEG_DECODING)) + ", but this run"
                            + " can only use " + describeDecoding(decoding) + " (the engines or this machine"
                            + " differ), so its outputs would not be the same bytes. Resume where the first run"
                            + " ran, or run without --resume to start fresh.");
                }
                out = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
                endLineCutShort(file, out);
                return;
            }
            Files.createDirectories(file.getParent());
            Path next = file.resolveSibling(NAME + ".new");
            try (FileChannel header = FileChannel.open(next, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                write(header, header(plan, recursive));
                header.force(true);
            }
            try {
                Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(next, file, StandardCopyOption.REPLACE_EXISTING);
            }
            out = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new BatchSetupException("The journal " + file + " cannot be written ("
                    + InputScanner.describe(e) + "). Choose another output folder.", e);
        }
    }

    @Override
    public void outputReady(ImageJob job, OutputRecord output) throws IOException {
        ObjectNode line = MAPPER.createObjectNode();
        line.put("done", job.relativePath());
        line.put("output", job.outputPath());
        line.put("inSize", job.sizeBytes());
        line.put("inModified", Files.getLastModifiedTime(job.source()).toMillis());
        line.put("outSize", output.size());
        line.put("crc32c", output.crc32c());
        line.put("pixels", output.pixels());
        if (!output.warnings().isEmpty()) {
            ArrayNode warnings = line.putArray("warnings");
            output.warnings().forEach(warnings::add);
        }
        append(line);
    }

    @Override
    public void failed(ImageJob job, FileResult row) {
        ObjectNode line = MAPPER.createObjectNode();
        line.put("failed", job.relativePath());
        line.put("output", job.outputPath());
        line.put("inSize", job.sizeBytes());
        try {
            line.put("inModified", Files.getLastModifiedTime(job.source()).toMillis());
        } catch (IOException e) {
            line.put("inModified", -1);
        }
        line.put("stage", row.stage() == null ? null : row.stage().label());
        line.put("reason", row.reason());
        try {
            append(line);
        } catch (IOException e) {
            // a resume then converts this image again: nothing is lost but time
            LOG.warn("the journal {} could not record that {} failed: {}", file, job.relativePath(), e.toString());
        }
    }

    @Override
    public synchronized void ended(boolean complete) {
        if (out == null) {
            release();
            return;
        }
        try {
            if (complete) {
                ObjectNode line = MAPPER.createObjectNode();
                line.put("end", "complete");
                line.put("at", Instant.now().toString());
                write(out, line);
            }
            out.force(true);
        } catch (IOException e) {
            LOG.warn("the journal {} could not be finished: {}", file, e.toString());
        } finally {
            try {
                out.close();
            } catch (IOException e) {
                LOG.debug("closing the journal {}", file, e);
            }
            out = null;
            release();
        }
    }

    private void release() {
        if (lockFile == null) {
            return;
        }
        try {
            // closing the channel releases its lock
            lockFile.close();
        } catch (IOException e) {
            LOG.debug("closing the batch lock of {}", file, e);
        }
        lockFile = null;
        lock = null;
    }

    /** Ends a last line that a killed process left cut short, so the next line starts on a line of its own. */
    private static void endLineCutShort(Path file, FileChannel appending) throws IOException {
        try (FileChannel reading = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = reading.size();
            ByteBuffer last = ByteBuffer.allocate(1);
            if (size == 0 || reading.read(last, size - 1) == 1 && last.get(0) == '\n') {
                return;
            }
        }
        appending.write(ByteBuffer.wrap(new byte[] {'\n'}));
    }

    private synchronized void append(ObjectNode line) throws IOException {
        if (out == null) {
            throw new IOException("the journal " + file + " is not open");
        }
        write(out, line);
    }

    /** One line in one write: a process killed at any moment leaves whole lines (a reader drops a cut last one). */
    private static void write(FileChannel channel, ObjectNode line) throws IOException {
        byte[] json = MAPPER.writeValueAsBytes(line);
        ByteBuffer buffer = ByteBuffer.allocate(json.length + 1).put(json).put((byte) '\n').flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    static ObjectNode header(BatchPlan plan, boolean recursive) {
        ObjectNode header = MAPPER.createObjectNode();
        header.put("journal", VERSION);
        header.put("started", Instant.now().toString());
        ObjectNode settings = header.putObject("settings");
        settingsOf(plan.inputRoots(), recursive, plan.settings(), plan.policy()).forEach(settings::put);
        header.put("images", plan.jobs().size());
        header.put("planHash", planHash(plan));
        return header;
    }

    /**
     * What decides a batch's images and their bytes, by the names {@link Journal#differences} compares: two runs
     * with the same of these write the same outputs under the same names.
     */
    static Map<String, String> settingsOf(List<Path> inputRoots, boolean recursive,
                                          ConversionSettings settings, OverwritePolicy policy) {
        Map<String, String> words = new LinkedHashMap<>();
        words.put(Journal.INPUTS, String.join("\n", inputRoots.stream().map(Path::toString).toList()));
        words.put(Journal.RECURSIVE, Boolean.toString(recursive));
        words.put("format", word(settings.format()));
        words.put("formula", word(settings.formula()));
        words.put("jpegQuality", Integer.toString(settings.jpegQuality()));
        words.put("pngCompression", Integer.toString(settings.pngCompression()));
        words.put("pngFilter", word(settings.pngFilter()));
        words.put("maxPixels", Long.toString(settings.maxPixels()));
        words.put("overwrite", word(policy));
        words.put(Journal.JPEG_DECODING, settings.jpegDecoding().word());
        return words;
    }

    /** SHA-256 of the plan's images and output names, in order: the same plan gives the same hash. */
    static String planHash(BatchPlan plan) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (ImageJob job : plan.jobs()) {
                sha.update((job.relativePath() + "\t" + job.outputPath() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return "sha256:" + HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static String describeDecoding(String word) {
        return Objects.equals(word, "turbo") ? "libjpeg-turbo" : "Java's JPEG decoder";
    }

    private static String word(Enum<?> choice) {
        return choice.name().toLowerCase(Locale.ROOT);
    }
}
