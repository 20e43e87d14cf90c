package org.greylab.app.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.CRC32C;
import org.greylab.core.image.ConversionSettings;
import org.greylab.core.image.JpegDecoding;
import org.greylab.core.image.Stage;
import org.greylab.core.image.StageTimings;
import org.greylab.core.job.BatchPlan;
import org.greylab.core.job.BatchPlanner;
import org.greylab.core.job.BatchSetupException;
import org.greylab.core.job.FileResult;
import org.greylab.core.job.FileStatus;
import org.greylab.core.job.ImageJob;
import org.greylab.core.job.InputScanner;
import org.greylab.core.job.OutputPaths;
import org.greylab.core.job.OverwritePolicy;
import org.greylab.core.job.ScanResult;
import org.greylab.core.job.ScannedImage;
import org.greylab.core.job.TaskTrace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans a batch, fresh or resumed from the journal in its output folder. Resuming re-plans the inputs, refuses a
 * journal of other settings, keeps the images the journal settled (an output there with the recorded size and
 * checksum, from an input of the recorded size and modification time; or a failure of an unchanged input), and
 * plans the rest under the names the first run gave them. Without a journal, a resume is a run that keeps the
 * complete outputs already there.
 */
public final class ResumePlanner {

    private static final Logger LOG = LoggerFactory.getLogger(ResumePlanner.class);

    private ResumePlanner() {
    }

    /**
     * A planned batch and what its run records.
     *
     * @param plan        the images to convert now
     * @param earlier     the images the journal settled, as report rows (empty for a fresh batch)
     * @param journal     where the run records what it does; null for a batch that had already ended
     * @param notes       what the user should be told before the run (the journal found, images converted again)
     * @param nothingToDo whether a resumed batch had nothing left to convert
     * @param stale       outputs of images converted again (their input changed, or their bytes are not the
     *                    recorded ones), relative to the output folder: removed before the run
     */
    public record Planned(BatchPlan plan, List<FileResult> earlier, JournalFile journal, List<String> notes,
                          boolean nothingToDo, List<String> stale) {
        public Planned {
            earlier = List.copyOf(earlier);
            notes = List.copyOf(notes);
            stale = List.copyOf(stale);
        }

        /**
         * Ends the journal of a resumed batch that had nothing left to convert (every image was settled, but the
         * run that settled the last ones was killed before it said so), so that it reads as finished from now on.
         * Not for a dry run.
         */
        public void endIfNothingLeft() throws BatchSetupException {
            if (nothingToDo && journal != null) {
                journal.started(plan);
                journal.ended(true);
            }
        }

        /**
         * Removes the stale outputs: they are this batch's own, and any policy but overwrite would leave them in
         * the new outputs' way. Not for a dry run.
         */
        public void removeStaleOutputs() {
            for (String relative : stale) {
                try {
                    Files.deleteIfExists(OutputPaths.resolveInside(plan.outputRoot(), relative));
                } catch (IOException | IllegalArgumentException e) {
                    LOG.debug("stale output {} not removed: {}", relative, e.toString());
                }
            }
        }
    }

    /** A new batch: its journal replaces any journal in the output folder when it starts. */
    public static Planned fresh(BatchPlan plan, boolean recursive) {
        return new Planned(plan, List.of(), JournalFile.fresh(plan.outputRoot(), recursive), List.of(), false,
                List.of());
    }

    /**
     * Plans the resume of the batch into {@code outputRoot} (see the class comment).
     *
     * @throws BatchSetupException when an input is missing, the output folder is unusable, the journal cannot be
     *                             read, or it is of a batch with other settings (the message names them)
     */
    public static Planned resume(List<Path> inputs, Path outputRoot, ConversionSettings settings,
                                 OverwritePolicy policy, boolean recursive) throws BatchSetupException {
        Path root = outputRoot.toAbsolutePath().normalize();
        Optional<Journal> found = Journal.read(root);
        BatchPlanner planner = new BatchPlanner();
        if (found.isEmpty()) {
            BatchPlan plan = planner.plan(inputs, root, settings, OverwritePolicy.SKIP, recursive);
            return new Planned(plan, List.of(), JournalFile.fresh(root, recursive), List.of("No journal in " + root
                    + ": converting the images without a complete output there (the others are skipped)."), false,
                    List.of());
        }
        Journal journal = found.get();
        List<Path> roots = inputs.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        List<String> differences = journal.differences(roots, recursive, settings, policy);
        if (!differences.isEmpty()) {
            throw new BatchSetupException("The batch in " + root + " ran with other settings: "
                    + String.join("; ", differences) + ". Resume it with its own settings, or start fresh: run"
                    + " without --resume (add --overwrite overwrite to replace its outputs), or choose another output"
                    + " folder.");
        }
        if (journal.finished()) {
            // nothing to plan, nor to record
            return new Planned(new BatchPlan(roots, root, settings, policy, List.of(), List.of()), List.of(), null,
                    List.of(), true, List.of());
        }
        // the first run's decoder: the resumed part must decode JPEGs the same way to write the same bytes
        ConversionSettings pinned = settings.withJpegDecoding(
                "turbo".equals(journal.settings().get(Journal.JPEG_DECODING)) ? JpegDecoding.TURBO
                        : JpegDecoding.JAVA);
        ScanResult scan = new InputScanner(recursive, root).scan(inputs);
        Map<String, String> fixedNames = new HashMap<>();
        Set<String> settled = new HashSet<>();
        List<FileResult> earlier = new ArrayList<>();
        List<String> stale = new ArrayList<>();
        for (ScannedImage image : scan.images()) {
            Journal.Entry entry = journal.entries().get(image.relativePath());
            if (entry == null) {
                continue;
            }
            fixedNames.put(image.relativePath(), entry.output());
            boolean unchanged = unchanged(image, entry);
            if (unchanged && !entry.done()) {
                settled.add(image.relativePath());
                earlier.add(FileResult.failed(image.relativePath(), stage(entry.stage()), entry.reason(),
                        entry.inSize(), StageTimings.NONE, TaskTrace.NONE));
            } else if (unchanged && outputAsRecorded(root, entry)) {
                settled.add(image.relativePath());
                earlier.add(new FileResult(image.relativePath(), entry.output(), FileStatus.CONVERTED, null, null,
                        entry.warnings(), entry.inSize(), entry.outSize(), entry.pixels(), StageTimings.NONE,
                        TaskTrace.NONE));
            } else if (entry.done()) {
                stale.add(entry.output());
            }
        }
        BatchPlan whole = planner.plan(scan, root, pinned, policy, fixedNames);
        List<ImageJob> rest = new ArrayList<>();
        for (ImageJob job : whole.jobs()) {
            if (!settled.contains(job.relativePath())) {
                rest.add(new ImageJob(rest.size(), job.source(), job.relativePath(), job.outputPath(),
                        job.sizeBytes(), job.format()));
            }
        }
        BatchPlan plan = whole.withJobs(rest);
        List<String> notes = new ArrayList<>();
        long converted = earlier.stream().filter(r -> r.status() == FileStatus.CONVERTED).count();
        notes.add(String.format("Resuming the batch in %s: %d image(s) done earlier%s, %d to convert.", root,
                converted, earlier.size() > converted ? ", " + (earlier.size() - converted) + " failed earlier" : "",
                rest.size()));
        if (!stale.isEmpty()) {
            notes.add(stale.size() + " image(s) converted again: their input changed, or their output is missing or"
                    + " not as the journal recorded.");
        }
        if (!JournalFile.planHash(whole).equals(journal.planHash())) {
            notes.add("The inputs are not those the batch began with: converting the images there now.");
        }
        return new Planned(plan, earlier, JournalFile.continuing(journal), notes, rest.isEmpty(), stale);
    }

    private static boolean unchanged(ScannedImage image, Journal.Entry entry) {
        try {
            return image.sizeBytes() == entry.inSize()
                    && Files.getLastModifiedTime(image.source()).toMillis() == entry.inModified();
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether the output the journal records is there, whole: its size and its CRC-32C. */
    private static boolean outputAsRecorded(Path root, Journal.Entry entry) {
        try {
            Path output = OutputPaths.resolveInside(root, entry.output());
            if (!Files.isRegularFile(output, LinkOption.NOFOLLOW_LINKS) || Files.size(output) != entry.outSize()) {
                return false;
            }
            CRC32C crc = new CRC32C();
            crc.update(Files.readAllBytes(output));
            return String.format("%08x", crc.getValue()).equals(entry.crc32c());
        } catch (IOException | IllegalArgumentException e) {
            LOG.debug("output {} not as recorded: {}", entry.output(), e.toString());
            return false;
        }
    }

    private static Stage stage(String label) {
        for (Stage stage : Stage.values()) {
            if (stage.label().equals(label)) {
                return stage;
            }
        }
        return null;
    }
}
