package org.greylab.app.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.greylab.app.ui.WindowLauncher;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The top-level {@code greylab} command: with no command, the window (on the named folders and files, or the
 * remembered ones); its sub-commands work without a window.
 */
// no subcommands attribute: GreylabCli adds them (only the one a command line names, when it names one)
@Command(name = "greylab", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        customSynopsis = {"greylab [--cluster-file=FILE] [PATH...]",
            "       greylab COMMAND [OPTIONS] [ARGUMENTS]"},
        description = {"Converts folders of images to greyscale, on this machine or spread over engines.",
            "",
            "  greylab            opens the window on the folders and files it had when",
            "                     last closed (the bundled samples at first) while local",
            "                     engines start; press Run (Ctrl+R).",
            "  greylab PATH...    opens the window on exactly these folders and images (what",
            "                     the file manager's \"Open with Greylab\" does). When this",
            "                     user has a Greylab window open already, they are added to",
            "                     it and it comes to the front, and greylab exits at once;",
            "                     a bare greylab only brings that window to the front.",
            "  greylab convert INPUT... [--output DIR]",
            "                     converts without a window, with a progress bar and a",
            "                     summary (greylab convert --help).",
            "  greylab bench INPUT...",
            "                     times serial, direct and balanced on the same images.",
            "  greylab engines    lists engines; 'engines start' leaves local engines",
            "                     running for later commands and the window.",
            "",
            "Without a display the window cannot open: greylab says so, prints the",
            "greylab convert command that would do the job, and exits with status 2.",
            "Command names come first: open a folder called convert as ./convert, or put",
            "-- before the paths.",
            ""},
        footer = {"", "Run 'greylab COMMAND --help' for a command's options."})
public final class GreylabCommand implements Callable<Integer> {

    /** What a shell takes as one word without quotes. */
    private static final Pattern PLAIN_WORD = Pattern.compile("[A-Za-z0-9_./~=:,+@%-]+");
    /** The system property in which the launcher says how it was started. */
    static final String COMMAND_PROPERTY = "greylab.command";

    @Spec
    CommandSpec spec;

    @Option(names = "--cluster-file", paramLabel = "FILE",
            description = "Open the window on the engines of this cluster file (as 'greylab engines start"
                    + " --cluster-file FILE' writes it) instead of the default one.")
    Path clusterFile;

    @Parameters(paramLabel = "PATH", arity = "0..*",
            description = "Folders and image files to open the window on, instead of the remembered ones.")
    List<String> paths = new ArrayList<>();

    private final WindowLauncher launcher;

    /** With this user's window launcher. */
    public GreylabCommand() {
        this(null);
    }

    /** @param launcher null for this user's own */
    public GreylabCommand(WindowLauncher launcher) {
        this.launcher = launcher;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!paths.isEmpty() && paths.stream().noneMatch(GreylabCommand::exists)) {
            err.println("greylab: no such file or folder: " + String.join(", ", paths) + nearCommand(paths.get(0)));
            err.println("Usage: greylab [PATH...] | greylab COMMAND ... (greylab --help for more)");
            err.flush();
            return 2;
        }
        List<Path> inputs = paths.stream().map(Path::of).toList();
        WindowLauncher.Outcome outcome = (launcher == null ? WindowLauncher.forUser() : launcher)
                .open(inputs, clusterFile);
        switch (outcome.result()) {
            case CLOSED:
                return 0;
            case HANDED_OVER:
                out.println(paths.isEmpty() ? "The Greylab window already open is in front."
                        : "Added to the Greylab window already open.");
                out.flush();
                return 0;
            case FAILED:
                err.println("greylab: " + outcome.why() + ".");
                err.println("Close that window and try again, or convert without a window: " + convertCommand());
                err.flush();
                return 1;
            default:
                err.println("greylab: cannot open the window: " + outcome.why());
                err.println(paths.isEmpty()
                        ? "To convert without a window: " + self() + " convert INPUT... --output DIR (" + self()
                                + " --help for more)."
                        : "To convert these without a window: " + convertCommand());
                err.flush();
                return 2;
        }
    }

    /**
     * How the user starts this program, for the commands it suggests: what the launcher says in
     * {@value #COMMAND_PROPERTY} ({@code ./greylab} in a checkout), else {@code greylab}.
     */
    static String self() {
        String named = System.getProperty(COMMAND_PROPERTY);
        return named == null || named.isBlank() ? "greylab" : quoted(named);
    }

    /** The {@code greylab convert} command that converts the named paths, quoted for a shell. */
    String convertCommand() {
        if (paths.isEmpty()) {
            return self() + " convert INPUT... --output DIR";
        }
        StringBuilder command = new StringBuilder(self() + " convert");
        if (paths.stream().anyMatch(p -> p.startsWith("-"))) {
            command.append(" --");
        }
        for (String path : paths) {
            command.append(' ').append(quoted(path));
        }
        return command.toString();
    }

    static String quoted(String word) {
        return PLAIN_WORD.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
    }

    private static boolean exists(String path) {
        return Files.exists(Path.of(path), LinkOption.NOFOLLOW_LINKS);
    }

    /** " Did you mean the command convert?" when a word that names nothing is close to a command's name. */
    private String nearCommand(String word) {
        if (word.contains("/")) {
            return "";
        }
        for (String name : spec.subcommands().keySet()) {
            if (editDistance(word.toLowerCase(java.util.Locale.ROOT), name) <= 2) {
                return ". Did you mean the command " + name + "?";
            }
        }
        return "";
    }

    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] row = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            row[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int change = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                row[j] = Math.min(change, Math.min(previous[j], row[j - 1]) + 1);
            }
            int[] t = previous;
            previous = row;
            row = t;
        }
        return previous[b.length()];
    }
}
