package org.greylab.engine.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where to reach an engine: {@code HOST[:PORT]} as {@code --connect} takes it. Without a port, engines are looked for
 * at 5701-5703, as Hazelcast does.
 *
 * @param host a host name or IP address (IPv6 without brackets)
 * @param port the port, or 0 for "5701-5703"
 */
public record EngineAddress(String host, int port) {

    public static final int DEFAULT_PORT = 5701;
    public static final int DEFAULT_PORT_COUNT = 3;

    public EngineAddress {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("an engine address needs a host");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("not a port: " + port);
        }
    }

    /** Parses {@code HOST[:PORT],HOST[:PORT],...}; IPv6 hosts with a port are written {@code [ADDR]:PORT}. */
    public static List<EngineAddress> parseList(String text) {
        List<EngineAddress> addresses = new ArrayList<>();
        for (String part : text.split(",")) {
            String item = part.trim();
            if (!item.isEmpty()) {
                addresses.add(parse(item));
            }
        }
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("no engine address in \"" + text + "\"");
        }
        return List.copyOf(addresses);
    }

    public static EngineAddress parse(String text) {
        String item = text.trim();
        if (item.startsWith("[")) {
            int close = item.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unclosed [ in engine address \"" + text + "\"");
            }
            String host = item.substring(1, close);
            String rest = item.substring(close + 1);
            if (rest.isEmpty()) {
                return new EngineAddress(host, 0);
            }
            if (!rest.startsWith(":")) {
                throw new IllegalArgumentException("expected :PORT after ] in \"" + text + "\"");
            }
            return new EngineAddress(host, parsePort(rest.substring(1), text));
        }
        int colon = item.lastIndexOf(':');
        if (colon < 0 || item.indexOf(':') != colon) {
            // no port, or a bare IPv6 address
            return new EngineAddress(item, 0);
        }
        return new EngineAddress(item.substring(0, colon), parsePort(item.substring(colon + 1), text));
    }

    private static int parsePort(String port, String text) {
        try {
            int value = Integer.parseInt(port);
            if (value < 1 || value > 65_535) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a port: \"" + port + "\" in \"" + text + "\"");
        }
    }

    /** The ports a client tries at this address. */
    public List<Integer> candidatePorts() {
        if (port != 0) {
            return List.of(port);
        }
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < DEFAULT_PORT_COUNT; i++) {
            ports.add(DEFAULT_PORT + i);
        }
        return ports;
    }

    /** {@code HOST:PORT}, or {@code HOST} when no port was given; Hazelcast's client reads both. */
    @Override
    public String toString() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return port == 0 ? h : h + ":" + port;
    }

    /** How a message names it: with the port range when none was given. */
    public String describe() {
        return port == 0 ? toString() + String.format(Locale.ROOT, " (ports %d-%d)", DEFAULT_PORT,
                DEFAULT_PORT + DEFAULT_PORT_COUNT - 1) : toString();
    }
}
