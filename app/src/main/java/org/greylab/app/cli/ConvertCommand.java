package org.greylab.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.greylab.app.journal.ResumePlanner;
import org.greylab.app.settings.Locations;
import org.greylab.core.image.ConversionSettings;
import org.greylab.core.image.Decoders;
import org.greylab.core.image.GreyFormula;
import org.greylab.core.image.GreyscaleKernel;
import org.greylab.core.image.OutputFormat;
import org.greylab.core.image.PngFilter;
import org.greylab.core.job.BatchJournal;
import org.greylab.core.job.BatchPlan;
import org.greylab.core.job.BatchPlanner;
import org.greylab.core.job.BatchSetupException;
import org.greylab.core.job.OverwritePolicy;
import org.greylab.core.schedule.ProgressListener;
import org.greylab.core.run.EngineSource;
import org.greylab.core.run.ModeResult;
import org.greylab.core.run.RunEvent;
import org.greylab.core.run.RunOutcome;
import org.greylab.core.run.RunRequest;
import org.greylab.core.run.RunService;
import org.greylab.core.schedule.Mode;
import org.greylab.core.stats.BatchReport;
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

/** {@code greylab convert [OPTIONS] INPUT... [--output DIR]}: plans a batch, runs it, prints a summary. */
@Command(name = "convert", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Converts images to greyscale: every image in the INPUT folders (recursively) and files.",
            "The folder tree is mirrored under the output folder; inputs are never modified; each output is"
                    + " written whole or not at all. Files that are not images, hidden files and the output folder"
                    + " itself are skipped and listed."},
        footer = {"", "Exit status: 0 nothing failed, 1 some images failed, 2 usage or set-up error"
                + " (nothing was converted), 130 cancelled."})
public final class ConvertCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(ConvertCommand.class);

    /** Exit status of a batch stopped by Ctrl-C, as shells report a SIGINT. */
    static final int EXIT_CANCELLED = 130;
    /** Temporary files of an interrupted run listed by name when they are removed; the rest are counted. */
    static final int LEFTOVERS_LISTED = 10;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "INPUT", description = "Folders and image files to convert.")
    List<Path> inputs = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "DIR",
            description = "Output folder (default: beside the first input folder, named <folder>-grey).")
    Path output;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "keep",
            description = "keep, png, jpeg or tiff (default: ${DEFAULT-VALUE}). keep writes JPEG as JPEG, PNG as PNG,"
                    + " TIFF as TIFF and anything else as PNG.")
    OutputFormat format;

    @Option(names = "--formula", paramLabel = "FORMULA", defaultValue = "skimage",
            description = "skimage (0.2125 R + 0.7154 G + 0.0721 B, scikit-image's rgb2gray), rec601 (0.299, 0.587,"
                    + " 0.114) or average (default: ${DEFAULT-VALUE}).")
    GreyFormula formula;

    @Option(names = "--jpeg-quality", paramLabel = "1-100",
            defaultValue = "" + ConversionSettings.DEFAULT_JPEG_QUALITY,
            description = "Quality of JPEG output (default: ${DEFAULT-VALUE}).")
    int jpegQuality;

    @Option(names = "--png-compression", paramLabel = "0-9",
            defaultValue = "" + ConversionSettings.DEFAULT_PNG_COMPRESSION,
            description = "Deflate level of PNG output: 0 none, 1 fastest, 9 smallest (default: ${DEFAULT-VALUE}).")
    int pngCompression;

    @Option(names = "--png-filter", paramLabel = "FILTER", defaultValue = "paeth",
            description = "PNG row filter: none, sub, up, average, paeth or adaptive (default: ${DEFAULT-VALUE}).")
    PngFilter pngFilter;

    @Option(names = "--max-megapixels", paramLabel = "MP", defaultValue = "250",
            description = "Images whose header claims more pixels fail at stage decode, unread"
                    + " (default: ${DEFAULT-VALUE}).")
    double maxMegapixels;

    @Option(names = "--overwrite", paramLabel = "POLICY", defaultValue = "skip",
            description = "When an output file already exists: skip it, overwrite it, or rename the new one"
                    + " to 'name (1).ext' (default: ${DEFAULT-VALUE}).")
    OverwritePolicy overwrite;

    @Option(names = "--no-recursive", description = "Only the top level of each input folder.")
    boolean noRecursive;

    @Option(names = "--mode", paramLabel = "MODE",
            description = "serial: one image after another in this process (default: ${DEFAULT-VALUE});"
                    + " direct: the list split up front into one block per engine (like DirectView);"
                    + " balanced: each image to the least-loaded engine (like a load-balanced view).")
    Mode mode = Mode.SERIAL;

    @Mixin
    EngineOptions engineOptions = new EngineOptions();

    @Option(names = "--dry-run", description = "Plan and list what would happen; write nothing, not even the"
            + " output folder.")
    boolean dryRun;

    @Option(names = "--resume", description = "Go on with the interrupted batch whose journal is in the output"
            + " folder (.greylab/journal.jsonl): only the images it has not done are converted, with the same"
            + " settings (checked). Without a journal, a run that skips the complete outputs already there.")
    boolean resume;

    @Option(names = {"-v", "--verbose"}, description = "Show Greylab's debug log on the terminal.")
    boolean verbose;

    @Option(names = "--log", paramLabel = "FILE", description = "Also write a detailed log (debug level, with"
            + " error details) to FILE.")
    Path logFile;

    @Option(names = "--report", paramLabel = "FILE.json", description = "Write the batch report as JSON: counts,"
            + " times, and one entry per file with its status, stage and reason.")
    Path reportFile;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LoggingSetup.configure(verbose, logFile);
        try (CancelOnSignal signal = new CancelOnSignal()) {
            return convert(out, err, signal);
        } finally {
            LoggingSetup.close();
        }
    }

    private int convert(PrintWriter out, PrintWriter err, CancelOnSignal signal) {
        ConversionSettings settings = settings();
        if (mode.needsEngines()) {
            engineOptions.validate(spec);
        } else if (engineOptions.remote() || engineOptions.engines != null) {
            throw new ParameterException(spec.commandLine(), "--engines and --connect need --mode direct or"
                    + " --mode balanced; serial mode runs in this process without engines.");
        }
        ResumePlanner.Planned planned;
        try {
            // the bundled samples of an installed copy are read-only: their default output goes to the user's home
            Path target = output != null ? output
                    : Locations.defaultOutputFor(inputs, Locations.home()).orElse(null);
            if (resume) {
                planned = ResumePlanner.resume(inputs, target != null ? target
                        : BatchPlanner.defaultOutputFolder(inputs), settings, overwrite, !noRecursive);
            } else {
                planned = ResumePlanner.fresh(new BatchPlanner().plan(inputs, target, settings, overwrite,
                        !noRecursive), !noRecursive);
            }
        } catch (BatchSetupException e) {
            LOG.debug("batch set-up failed", e);
            err.println("greylab: " + e.getMessage());
            err.flush();
            return 2;
        }
        BatchPlan plan = planned.plan();
        planned.notes().forEach(out::println);
        if (planned.nothingToDo()) {
            if (!dryRun) {
                try {
                    planned.endIfNothingLeft();
                } catch (BatchSetupException e) {
                    LOG.debug("the journal could not be ended", e);
                }
            }
            out.println("Nothing to do: every image of the batch in " + plan.outputRoot() + " is done"
                    + (planned.earlier().isEmpty() ? "." : " (" + planned.earlier().size() + " image(s) settled).")
                    + " Run without --resume to start again.");
            out.flush();
            return 0;
        }
        if (dryRun) {
            Summary.printDryRun(plan, mode, out);
            if (reportFile != null) {
                out.println("(no report is written in a dry run)");
                out.flush();
            }
            return 0;
        }
        if (reportFile != null && Files.isDirectory(reportFile)) {
            throw new ParameterException(spec.commandLine(), "--report " + reportFile
                    + " is a folder: name a file, such as " + reportFile.resolve("report.json"));
        }
        if (!plan.jobs().isEmpty()) {
            try {
                List<Path> leftovers = new ArrayList<>(BatchPlanner.prepareOutputFolder(plan));
                // with the folder's batch lock, every temporary file there is a killed run's, however new
                leftovers.addAll(planned.journal().claim(plan.outputRoot()));
                planned.removeStaleOutputs();
                if (!leftovers.isEmpty()) {
                    out.println("Removed " + leftovers.size() + " temporary file(s) that an interrupted run left in "
                            + plan.outputRoot() + ":");
                    // a killed run of small images can leave hundreds: the first few say what they were
                    leftovers.stream().limit(LEFTOVERS_LISTED)
                            .forEach(f -> out.println("  " + plan.outputRoot().relativize(f)));
                    if (leftovers.size() > LEFTOVERS_LISTED) {
                        out.println("  ... and " + (leftovers.size() - LEFTOVERS_LISTED) + " more");
                    }
                }
            } catch (BatchSetupException e) {
                LOG.debug("output folder set-up failed", e);
                err.println("greylab: " + e.getMessage());
                err.flush();
                return 2;
            }
        }
        HazelcastEngineCluster cluster = null;
        BatchReport report;
        try {
            if (mode.needsEngines() && !plan.jobs().isEmpty()) {
                cluster = engineOptions.openOrExplain(out, err);
                if (cluster == null) {
                    return 2;
                }
                signal.holdEngines(cluster);
            }
            out.printf("Converting %d image(s), %s, into %s (%s mode)%s%n", plan.jobs().size(),
                    BatchPlanner.humanBytes(plan.totalInputBytes()), plan.outputRoot(), mode,
                    plan.skipped().isEmpty() ? "" : "; " + plan.skipped().size() + " file(s) skipped");
            out.flush();
            report = run(cluster, plan, planned.journal(), out).withEarlier(planned.earlier());
        } catch (BatchSetupException | IOException e) {
            LOG.debug("the run could not go on", e);
            err.println("greylab: " + e.getMessage());
            err.flush();
            return 2;
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
        boolean reportWritten = false;
        int status = report.stopReason() != null ? 1 : report.cancelled() ? EXIT_CANCELLED
                : report.failed() > 0 ? 1 : 0;
        if (reportFile != null) {
            try {
                ReportJson.write(report, VersionProvider.version(), reportFile);
                reportWritten = true;
            } catch (IOException e) {
                LOG.debug("report not written", e);
                err.println("greylab: the report could not be written to " + reportFile + ": " + e.getMessage());
                err.flush();
                status = Math.max(status, 1);
            }
        }
        Summary.print(report, out, reportWritten);
        if (reportWritten) {
            out.println("Report: " + reportFile.toAbsolutePath().normalize());
            out.flush();
        }
        return status;
    }

    /** Runs the plan through the run service, drawing its progress as it goes; a cancel gives a partial report. */
    private BatchReport run(HazelcastEngineCluster cluster, BatchPlan plan, BatchJournal journal, PrintWriter out)
            throws BatchSetupException, IOException {
        boolean bar = Terminal.interactive() && !verbose;
        ProgressListener view = bar ? new BarProgress() : new LineProgress(out);
        RunService service = new RunService(new GreyscaleKernel(), EngineSource.of(cluster),
                engineOptions.dispatchOptions());
        RunOutcome outcome;
        try {
            outcome = service.run(RunRequest.of(plan, mode).withJournal(journal), event -> {
                if (event instanceof RunEvent.Progress p) {
                    view.onEvent(p.event());
                }
            });
        } finally {
            if (view instanceof BarProgress progressBar) {
                progressBar.close();
            }
        }
        // a cancel leaves the interrupt set for whoever asked; the summary is still printed
        Thread.interrupted();
        return outcome.result(mode).map(ModeResult::report)
                .orElseGet(() -> BatchReport.of(plan, mode, List.of(), 0, outcome.cancelled()));
    }

    private ConversionSettings settings() {
        if (jpegQuality < 1 || jpegQuality > 100) {
            throw new ParameterException(spec.commandLine(),
                    "--jpeg-quality must be between 1 and 100, not " + jpegQuality);
        }
        if (pngCompression < 0 || pngCompression > 9) {
            throw new ParameterException(spec.commandLine(),
                    "--png-compression must be between 0 (none) and 9 (smallest), not " + pngCompression);
        }
        if (!(maxMegapixels > 0) || Double.isInfinite(maxMegapixels)) {
            throw new ParameterException(spec.commandLine(),
                    "--max-megapixels must be a positive number, not " + maxMegapixels);
        }
        // the batch's decoders are fixed when it runs, from what its parties have: not opened here for nothing
        return new ConversionSettings(format, formula, jpegQuality, pngCompression, pngFilter,
                Math.max(1, Math.round(maxMegapixels * 1e6)), Decoders.allowed());
    }
}
