package org.greylab.app.cli;

import java.io.Console;
import java.lang.reflect.Method;

/** Whether the user is watching a terminal (a bar) or the output goes to a file or pipe (plain lines). */
final class Terminal {

    private Terminal() {
    }

    static boolean interactive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        // From Java 22 System.console() is non-null even when redirected; Console.isTerminal() tells (called
        // reflectively because the code targets Java 17)
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
