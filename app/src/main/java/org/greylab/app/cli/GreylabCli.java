package org.greylab.app.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.greylab.app.settings.Locations;
import org.greylab.app.ui.WindowLauncher;
import org.greylab.core.image.JpegDecoders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Builds and runs the {@code greylab} command line: error handling that prints a sentence and a hint (never a
 * stack trace, which goes to the log at debug level), exit status 2 for usage errors, and the embedded default
 * when there are no arguments.
 */
public final class GreylabCli {

    private static final Logger LOG = LoggerFactory.getLogger(GreylabCli.class);

    /** The system property the launcher sets to the repository (or install) root. */
    public static final String HOME_PROPERTY = "greylab.home";

    private GreylabCli() {
    }

    /** Runs with the process's own standard streams; returns the exit status. */
    public static int run(String... args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        return run(args, out, err);
    }

    /**
     * The process's entry: no arguments opens the window; with no display that says so and points to the
     * command line (exit 2). Any argument is the command line.
     */
    public static int runOrOpenWindow(String... args) {
        if (args.length > 0) {
            return run(args);
        }
        WindowLauncher.Outcome outcome = WindowLauncher.open();
        if (outcome.opened()) {
            return 0;
        }
        PrintWriter err = new PrintWriter(System.err, true);
        err.println("greylab: cannot open the window: " + outcome.why());
        err.println("To convert without a window: greylab convert INPUT... --output DIR (greylab --help for more).");
        err.flush();
        return 2;
    }

    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        String[] effective = args;
        if (args.length == 0) {
            Path home = home();
            Path samples = home.resolve("assets/samples");
            if (!Files.isDirectory(samples)) {
                err.println("greylab: with no arguments greylab converts its bundled samples, but there are none at "
                        + samples + ". Run it from the Greylab folder, or name what to convert: greylab convert"
                        + " INPUT... (greylab --help for more).");
                err.flush();
                return 2;
            }
            out.println("No arguments: converting the bundled samples (" + samples + ").");
            out.flush();
            effective = defaultArguments(home);
        }
        try {
            JpegDecoders.checkForced();
        } catch (IllegalStateException e) {
            err.println("greylab: " + e.getMessage());
            err.flush();
            return 2;
        }
        return commandLine(out, err).execute(effective);
    }

    /**
     * The embedded default: the bundled samples into {@code assets/samples-grey} (an installed copy: into the user's
     * home, see {@link Locations#samplesOutput}), replacing earlier outputs.
     */
    static String[] defaultArguments(Path home) {
        return new String[] {"convert", home.resolve("assets/samples").toString(),
            "--output", Locations.samplesOutput(home).toString(), "--overwrite", "overwrite"};
    }

    /** Where the bundled assets are: {@code -Dgreylab.home}, which the launcher sets, else the working folder. */
    static Path home() {
        return Locations.home();
    }

    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new GreylabCommand());
        cli.setOut(out);
        cli.setErr(err);
        // --format PNG and --mode Balanced work as well as the lower-case words the help shows
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler(GreylabCli::usageError);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            LOG.debug("unexpected error", e);
            commandLine.getErr().println("greylab: unexpected error: " + e
                    + ". Run again with --log FILE to keep the details.");
            commandLine.getErr().flush();
            return 1;
        });
        return cli;
    }

    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("greylab: " + e.getMessage());
        if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, err)) {
            if (e instanceof CommandLine.UnmatchedArgumentException unmatched && cmd.getParent() == null) {
                List<String> words = unmatched.getUnmatched();
                if (!words.isEmpty() && !words.get(0).startsWith("-")) {
                    err.println("To convert it: greylab convert " + String.join(" ", words));
                }
            }
        }
        err.println("Usage: " + cmd.getHelp().synopsis(0).trim());
        err.println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for the options.");
        err.flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }
}
