package org.greylab.app.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.greylab.app.ui.WindowLauncher;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The top-level {@code greylab} command: its sub-commands do the work. */
@Command(name = "greylab", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        subcommands = {ConvertCommand.class, BenchCommand.class, EnginesCommand.class, KeyCommand.class,
            CommandLine.HelpCommand.class},
        description = {"Converts folders of images to greyscale.",
            "With no arguments, opens the window on the folders of the last session (the bundled samples at"
                    + " first) while local engines start; without a display it says so and exits with status 2."},
        footer = {"", "Run 'greylab convert --help' for the options of a conversion."})
public final class GreylabCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--cluster-file", paramLabel = "FILE",
            description = "Open the window on the engines of this cluster file (as 'greylab engines start"
                    + " --cluster-file FILE' writes it) instead of the default one.")
    Path clusterFile;

    @Override
    public Integer call() {
        if (clusterFile != null) {
            WindowLauncher.Outcome outcome = WindowLauncher.open(clusterFile);
            if (outcome.opened()) {
                return 0;
            }
            spec.commandLine().getErr().println("greylab: cannot open the window: " + outcome.why());
            spec.commandLine().getErr().flush();
            return 2;
        }
        spec.commandLine().getErr().println("greylab: name a command, for example: greylab convert INPUT..."
                + " (greylab --help lists them)");
        spec.commandLine().getErr().flush();
        return 2;
    }
}
