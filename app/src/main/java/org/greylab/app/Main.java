package org.greylab.app;

import org.greylab.app.cli.GreylabCli;

/**
 * Entry point of the {@code greylab} command. With no arguments it runs the embedded default (the bundled samples
 * into {@code assets/samples-grey}); the window will take that place later.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(GreylabCli.run(args));
    }
}
