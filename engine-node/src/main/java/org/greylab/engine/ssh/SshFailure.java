package org.greylab.engine.ssh;

import java.util.List;
import java.util.Locale;

/**
 * Why a host's engines did not start, in the words a host row shows: a reason from a fixed set, and the line of
 * ssh's, scp's or the engine's own output that says it.
 *
 * @param reason what went wrong, in a word or two
 * @param detail the line that says so (ssh's own words), or a sentence
 */
public record SshFailure(Reason reason, String detail) {

    /** What can go wrong on a host, each with what a row says. */
    public enum Reason {
        /** No name, no route, nothing listening on the SSH port, or no answer within the connect timeout. */
        UNREACHABLE("unreachable"),
        /** ssh does not know (or no longer trusts) the host's key, and never asks in batch mode. */
        HOST_KEY("host key not trusted"),
        /** The server refused every key ssh offered (no password is ever asked). */
        LOGIN_REFUSED("login refused"),
        /** Too little room on the host for the bundle. */
        DISK_FULL("disk full"),
        /** Neither the bundle's runtime nor a java 17+ on the host's PATH could run the engine. */
        RUNTIME("runtime cannot start"),
        /** The engine's runtime ran, but the engine stopped before its ready line. */
        ENGINE_FAILED("engine failed"),
        /** The host answered but did not finish in time. */
        TIMED_OUT("timed out"),
        /** Anything else ssh, scp or the host's shell said. */
        FAILED("failed");

        private final String words;

        Reason(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }

    /**
     * The failure that ssh's (or scp's) standard error describes, for a command that exited with ssh's own error
     * status (255) or scp's. The texts are OpenSSH's (checked against OpenSSH 9.2's messages; see SshFailureTest).
     */
    public static SshFailure classifySsh(String stderr) {
        String text = stderr == null ? "" : stderr;
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.contains("host key verification failed") || lower.contains("host key is known for")
                || lower.contains("remote host identification has changed")
                || lower.contains("no matching host key type")) {
            return new SshFailure(Reason.HOST_KEY, pickLine(text, "host key", "HOST IDENTIFICATION")
                    + " (connect once with plain 'ssh' to check and accept its key)");
        }
        if (lower.contains("permission denied") || lower.contains("too many authentication failures")
                || lower.contains("no supported authentication methods")) {
            return new SshFailure(Reason.LOGIN_REFUSED, pickLine(text, "Permission denied", "authentication")
                    + " (no password is asked: use a key, e.g. ssh-copy-id)");
        }
        if (lower.contains("no space left on device") || lower.contains("disk quota exceeded")) {
            return new SshFailure(Reason.DISK_FULL, pickLine(text, "No space left", "quota"));
        }
        if (lower.contains("could not resolve hostname") || lower.contains("no route to host")
                || lower.contains("connection refused") || lower.contains("connection timed out")
                || lower.contains("network is unreachable") || lower.contains("operation timed out")
                || lower.contains("connection reset") || lower.contains("connection closed by")
                || lower.contains("kex_exchange_identification")) {
            return new SshFailure(Reason.UNREACHABLE, pickLine(text, "ssh:", "Connection", "kex_exchange"));
        }
        return new SshFailure(Reason.FAILED, lastLine(text, "ssh gave no reason"));
    }

    /**
     * The failure an engine's start describes: the launcher's own words when it found no runtime that runs here, a
     * runtime that could not execute (wrong architecture, missing loader), or the engine's last line.
     */
    public static SshFailure classifyStart(String engineOutput) {
        String text = engineOutput == null ? "" : engineOutput;
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.contains("greylab-engine: no java") || lower.contains("exec format error")
                || lower.contains("cannot execute binary file") || lower.contains("needs java 17")
                || lower.contains("error while loading shared libraries")
                || lower.contains("could not create the java virtual machine")) {
            return new SshFailure(Reason.RUNTIME, pickLine(text, "greylab-engine:", "Exec format",
                    "cannot execute", "shared libraries", "Java"));
        }
        if (lower.contains("no space left on device")) {
            return new SshFailure(Reason.DISK_FULL, pickLine(text, "No space left"));
        }
        return new SshFailure(Reason.ENGINE_FAILED, lastLine(text, "it ended before its ready line"));
    }

    /** The row's text: {@code reason: detail}. */
    public String describe() {
        return reason.words() + ": " + detail;
    }

    /** The first line that contains one of {@code markers}, else the last non-blank line. */
    private static String pickLine(String text, String... markers) {
        List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        for (String marker : markers) {
            String m = marker.toLowerCase(Locale.ROOT);
            for (String line : lines) {
                if (line.toLowerCase(Locale.ROOT).contains(m)) {
                    return clean(line);
                }
            }
        }
        return lastLine(text, "");
    }

    private static String lastLine(String text, String otherwise) {
        List<String> lines = text.lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.chars().allMatch(c -> c == '@')).toList();
        return lines.isEmpty() ? otherwise : clean(lines.get(lines.size() - 1));
    }

    /** One line, no control characters (a host's output reaches the user's terminal), at most 300 characters. */
    private static String clean(String line) {
        String printable = line.codePoints().filter(c -> c >= 0x20 && c != 0x7f)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return printable.length() > 300 ? printable.substring(0, 300) + "..." : printable;
    }
}
