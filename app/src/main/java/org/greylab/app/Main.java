package org.greylab.app;

import org.greylab.app.cli.GreylabCli;

/**
 * Entry point of the {@code greylab} command: the command line, whose default (no command) opens the window. A
 * plain class, not an {@code Application}, so JavaFX runs from the classpath.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(GreylabCli.run(args));
    }
}
