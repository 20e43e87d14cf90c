package org.greylab.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.greylab.app.settings.Locations;
import org.greylab.app.ui.WindowLauncher;
import org.greylab.core.image.JpegDecoders;
import org.greylab.core.image.WebpDecoders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Builds and runs the {@code greylab} command line: error handling that prints a sentence and a hint (never a
 * stack trace, which goes to the log at debug level) and exit status 2 for usage errors. No command opens the
 * window ({@link GreylabCommand}).
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

    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, out, err, null);
    }

    /**
     * Runs the command line; no command opens the window.
     *
     * @param launcher how the window opens; null for this user's own (tests pass one that shows it in their stage)
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err, WindowLauncher launcher) {
        try {
            JpegDecoders.checkForced();
            WebpDecoders.checkForced();
        } catch (IllegalStateException e) {
            err.println("greylab: " + e.getMessage());
            err.flush();
            return 2;
        }
        return commandLine(out, err, launcher).execute(args);
    }

    /** Where the bundled assets are: {@code -Dgreylab.home}, which the launcher sets, else the working folder. */
    static Path home() {
        return Locations.home();
    }

    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return commandLine(out, err, null);
    }

    static CommandLine commandLine(PrintWriter out, PrintWriter err, WindowLauncher launcher) {
        CommandLine cli = new CommandLine(new GreylabCommand(launcher));
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
