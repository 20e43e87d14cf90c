package org.greylab.engine.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One of the small POSIX shell scripts that run on a host ({@code probe.sh}, {@code start.sh}, {@code stop.sh}, beside
 * this class), preceded by its variables. The script travels on ssh's standard input, so its values (the cluster key
 * among them) never appear on a command line on either machine.
 */
final class RemoteScript {

    private final String name;
    private final Map<String, String> variables = new LinkedHashMap<>();

    RemoteScript(String name) {
        this.name = name;
    }

    RemoteScript set(String variable, Object value) {
        if (!variable.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("not a shell variable name: " + variable);
        }
        variables.put(variable, value == null ? "" : value.toString());
        return this;
    }

    /** The text sent: each variable assigned its single-quoted value, then the script. */
    String text() {
        StringBuilder text = new StringBuilder();
        variables.forEach((variable, value) -> text.append(variable).append('=').append(quote(value)).append('\n'));
        try (InputStream in = RemoteScript.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the script " + name + " is missing from the engine jar");
            }
            text.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /** {@code value} as one shell word: single quotes, and each quote in it closed, escaped and reopened. */
    static String quote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
