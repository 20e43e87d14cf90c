package org.greylab.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
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
        return commandLine(out, err, launcher, args).execute(args);
    }

    /**
     * The sub-commands, in the order the help lists them. Each is built on demand: picocli's model of a command
     * (annotations read by reflection, in picocli's own Java 5 bytecode, which the AOT cache cannot hold) costs
     * tens of milliseconds of start-up apiece, and a command line names at most one.
     */
    static final List<String> SUBCOMMANDS = List.of("convert", "bench", "engines", "key", "help");

    // a switch, not a map of constructor references: lambdas held in a static field made JDK 25.0.3 crash while
    // writing the launcher's AOT cache
    private static Object newSubcommand(String name) {
        return switch (name) {
            case "convert" -> new ConvertCommand();
            case "bench" -> new BenchCommand();
            case "engines" -> new EnginesCommand();
            case "key" -> new KeyCommand();
            case "help" -> new CommandLine.HelpCommand();
            default -> throw new IllegalArgumentException("no command " + name);
        };
    }

    /**
     * The sub-command {@code args} runs, when its first word that is not an option names one (as picocli reads
     * it: command names win over paths, and {@code --} ends them); empty for the window, {@code help}, or a first
     * word that is an option's value or a path.
     */
    static Optional<String> namedSubcommand(String[] args) {
        for (String arg : args) {
            if (arg.equals("--")) {
                return Optional.empty();
            }
            if (!arg.startsWith("-")) {
                return SUBCOMMANDS.contains(arg) && !arg.equals("help") ? Optional.of(arg) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Where the bundled assets are: {@code -Dgreylab.home}, which the launcher sets, else the working folder. */
    static Path home() {
        return Locations.home();
    }

    /** The whole command line, every sub-command included. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return commandLine(out, err, null, new String[0]);
    }

    /** The command line for {@code args}: with only the sub-command they name, or every one when they name none. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err, WindowLauncher launcher, String[] args) {
        CommandLine cli = new CommandLine(new GreylabCommand(launcher));
        Optional<String> named = namedSubcommand(args);
        for (String name : SUBCOMMANDS) {
            if (named.isEmpty() || named.get().equals(name)) {
                cli.addSubcommand(name, newSubcommand(name));
            }
        }
        cli.setOut(out);
        cli.setErr(err);
        // --format PNG and --mode Balanced work as well as the lower-case words the help shows
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler(GreylabCli::usageError);
        cli.setExecutionStrategy(GreylabCli::refuseWindowOptionsBeforeACommand);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            LOG.debug("unexpected error", e);
            commandLine.getErr().println("greylab: unexpected error: " + e
                    + ". Run again with --log FILE to keep the details.");
            commandLine.getErr().flush();
            return 1;
        });
        return cli;
    }

    /**
     * {@code greylab --cluster-file F engines stop} would run {@code engines stop} on the default cluster file, F
     * being the window's option: refused, with where the option goes instead.
     */
    private static int refuseWindowOptionsBeforeACommand(CommandLine.ParseResult parsed) {
        if (parsed.hasSubcommand() && parsed.hasMatchedOption("--cluster-file")) {
            CommandLine.ParseResult command = parsed.subcommand();
            while (command.hasSubcommand()) {
                command = command.subcommand();
            }
            throw new CommandLine.ParameterException(parsed.commandSpec().commandLine(), "--cluster-file before '"
                    + command.commandSpec().qualifiedName().substring("greylab ".length()) + "' is the window's"
                    + " option: put it after the command (" + command.commandSpec().qualifiedName()
                    + " --cluster-file FILE)");
        }
        return new CommandLine.RunLast().execute(parsed);
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
