package org.greylab.engine.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The system's own {@code ssh} and {@code scp} command lines, so that {@code ~/.ssh/config}, agents, {@code
 * ProxyJump} and known hosts work as the user already has them. Never a prompt: {@code BatchMode} fails a login
 * that would need a password or a host key that is not yet trusted, at once, instead of waiting for an answer no
 * one gives; {@code ConnectTimeout} bounds a host that does not answer.
 *
 * @param configFile     an ssh configuration file to use instead of {@code ~/.ssh/config} ({@code -F}), or null
 * @param connectTimeout how long ssh waits for a host to answer
 */
public record SshCommands(Path configFile, Duration connectTimeout) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    public SshCommands {
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("the connect timeout must be positive");
        }
    }

    /** {@code ssh ... DEST sh -s}: runs the script ssh's standard input brings, with the login's own shell. */
    public List<String> runScript(SshHost host) {
        List<String> command = new ArrayList<>();
        command.add("ssh");
        command.addAll(options());
        // no terminal: nothing may prompt, and the script reads its standard input
        command.add("-T");
        command.add("--");
        command.add(host.destination());
        command.add("sh -s");
        return command;
    }

    /** {@code scp ... FILE DEST:REMOTE}; {@code remote} is relative to the login's home. */
    public List<String> copy(Path file, SshHost host, String remote) {
        List<String> command = new ArrayList<>();
        command.add("scp");
        command.add("-q");
        command.addAll(options());
        command.add("--");
        command.add(file.toAbsolutePath().toString());
        command.add(host.scpDestination() + ":" + remote);
        return command;
    }

    private List<String> options() {
        List<String> options = new ArrayList<>();
        if (configFile != null) {
            options.add("-F");
            options.add(configFile.toAbsolutePath().toString());
        }
        options.addAll(List.of(
                "-o", "BatchMode=yes",
                "-o", "ConnectTimeout=" + Math.max(1, connectTimeout.toSeconds()),
                // a host that goes away mid-command is noticed within about 15 s
                "-o", "ServerAliveInterval=5",
                "-o", "ServerAliveCountMax=3",
                // no "Permanently added ..." or banners in what the rows show; errors still come through
                "-o", "LogLevel=ERROR"));
        return options;
    }
}
