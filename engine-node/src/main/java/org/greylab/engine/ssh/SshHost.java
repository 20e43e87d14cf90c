package org.greylab.engine.ssh;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A machine to start engines on over SSH, as {@code --ssh} and a hosts file take it: {@code [user@]host[:engines]}.
 * The host is whatever {@code ssh} accepts (a name from {@code ~/.ssh/config}, a DNS name, an IPv4 address, or an
 * IPv6 address in brackets); a port or a jump host belong in {@code ~/.ssh/config}, where ssh and scp both find them.
 *
 * @param user    the login, or null for ssh's own choice
 * @param host    the host as ssh is given it
 * @param engines how many engines to start there (1 when not said)
 */
public record SshHost(String user, String host, int engines) {

    /** More than this on one machine is a typo, not a plan (each engine takes all the machine's cores already). */
    static final int MAX_ENGINES_PER_HOST = 64;

    private static final Pattern SPEC = Pattern.compile(
            "(?:([A-Za-z0-9._][A-Za-z0-9._-]*)@)?(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._-]+)(?::(\\d+))?");

    public SshHost {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("a host is needed");
        }
        if (engines < 1 || engines > MAX_ENGINES_PER_HOST) {
            throw new IllegalArgumentException("engines per host must be 1-" + MAX_ENGINES_PER_HOST + ", not "
                    + engines);
        }
    }

    /**
     * Parses {@code [user@]host[:engines]}.
     *
     * @throws IllegalArgumentException saying what is wrong with {@code spec}
     */
    public static SshHost parse(String spec) {
        String text = spec.strip();
        Matcher m = SPEC.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("\"" + spec + "\" is not [user@]host[:engines]");
        }
        String host = m.group(2);
        if (host.startsWith("-")) {
            // ssh would read it as an option
            throw new IllegalArgumentException("\"" + spec + "\": a host cannot start with '-'");
        }
        int engines = 1;
        if (m.group(3) != null) {
            try {
                engines = Integer.parseInt(m.group(3));
            } catch (NumberFormatException e) {
                engines = 0;
            }
            if (engines < 1 || engines > MAX_ENGINES_PER_HOST) {
                throw new IllegalArgumentException("\"" + spec + "\": engines per host must be 1-"
                        + MAX_ENGINES_PER_HOST);
            }
        }
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        return new SshHost(m.group(1), host, engines);
    }

    /** Parses {@code --ssh}'s comma-separated list. */
    public static List<SshHost> parseList(String text) {
        List<String> specs = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                specs.add(part);
            }
        }
        return parseAll(specs, "--ssh");
    }

    /**
     * Parses a hosts file's lines: one {@code [user@]host[:engines]} per line; blank lines and {@code #} comments
     * (whole lines or after the spec) are skipped.
     */
    public static List<SshHost> parseLines(List<String> lines, String source) {
        List<String> specs = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String spec = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (spec.isEmpty()) {
                continue;
            }
            if (spec.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException(source + " line " + (i + 1) + ": one [user@]host[:engines] per"
                        + " line, not \"" + spec + "\"");
            }
            specs.add(spec);
        }
        return parseAll(specs, source);
    }

    private static List<SshHost> parseAll(List<String> specs, String source) {
        List<SshHost> hosts = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String spec : specs) {
            SshHost host = parse(spec);
            if (!seen.add(host.destination())) {
                throw new IllegalArgumentException(source + " names " + host.destination() + " twice: say how many"
                        + " engines it gets once, as " + host.destination() + ":N");
            }
            hosts.add(host);
        }
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException(source + " names no host");
        }
        return List.copyOf(hosts);
    }

    /** What ssh and scp are given: {@code user@host} or {@code host}. */
    public String destination() {
        return user == null ? host : user + "@" + host;
    }

    /** The destination in scp's {@code DEST:PATH} form (an IPv6 address in brackets). */
    String scpDestination() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return user == null ? h : user + "@" + h;
    }

    /** The spec again, as a user writes it. */
    @Override
    public String toString() {
        return destination() + (engines == 1 ? "" : ":" + engines);
    }
}
