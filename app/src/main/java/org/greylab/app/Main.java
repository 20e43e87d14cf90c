package org.greylab.app;

import org.greylab.app.cli.GreylabCli;

/**
 * Entry point of the {@code greylab} command. With no arguments it opens the window (a plain class, not an
 * {@code Application}, so JavaFX runs from the classpath); with arguments it is the command line.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(GreylabCli.runOrOpenWindow(args));
    }
}
