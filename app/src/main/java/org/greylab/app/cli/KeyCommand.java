package org.greylab.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.greylab.engine.security.ClusterKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code greylab key new FILE}: a lab cluster's key, like the key in ipyparallel's connection file. */
@Command(name = "key", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        subcommands = KeyCommand.New.class,
        description = {"Cluster keys: 'greylab key new FILE' makes one for lab engines and their clients."})
final class KeyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    @Command(name = "new", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Writes a new random cluster key (32 bytes, base64) to FILE, readable by you alone"
                    + " (mode 600). Copy it the same way to each lab engine (engine-node --key-file FILE) and to each"
                    + " desktop (--key-file FILE)."},
            footer = {"", "Exit status: 0 written, 2 FILE exists or cannot be written."})
    static final class New implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "Where to write it; an existing file is never replaced.")
        Path file;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                ClusterKey.generate().writeNew(file);
            } catch (FileAlreadyExistsException e) {
                err.println("greylab: " + file + " is already there: a key file is never replaced (remove it first"
                        + " if you mean to change the cluster's key)");
                err.flush();
                return 2;
            } catch (IOException e) {
                err.println("greylab: " + file + " cannot be written: " + e.getMessage());
                err.flush();
                return 2;
            }
            out.println("New cluster key in " + file + " (mode 600). Give it to each engine with --key-file "
                    + file + " (or GREYLAB_KEY_FILE) and to each client with --key-file " + file + ".");
            out.flush();
            return 0;
        }
    }
}
