package org.greylab.app.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.greylab.engine.ssh.SshHost;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The options of {@code greylab engines start} that start engines on other machines over ssh. */
final class SshStartOptions {

    @Option(names = "--ssh", paramLabel = "[USER@]HOST[:N],...", description = "Start N engines (default 1) on each"
            + " host over ssh, instead of local ones.")
    String hosts;

    @Option(names = "--hosts-file", paramLabel = "FILE", description = "Hosts to start engines on over ssh, one"
            + " [user@]host[:N] per line (# comments).")
    Path hostsFile;

    @Option(names = "--ssh-config", paramLabel = "FILE", description = "An ssh configuration file to use instead of"
            + " ~/.ssh/config (ssh -F); kept in the cluster file for 'engines stop'.")
    Path sshConfig;

    @Option(names = "--ssh-timeout", paramLabel = "SECONDS", defaultValue = "10", description = "How long ssh waits"
            + " for each host to answer (default: ${DEFAULT-VALUE}).")
    int sshTimeoutSeconds;

    @Option(names = "--bundle", paramLabel = "FILE", description = "The engine bundle to copy"
            + " (greylab-engine-VERSION-linux-x64.tar.gz; default: the one the installer build made).")
    Path bundle;

    @Option(names = "--interface", paramLabel = "IP", description = "With one host: the address its engines bind"
            + " (default: the address ssh reached it by).")
    String interfaceAddress;

    @Option(names = "--cluster", paramLabel = "NAME", description = "Their cluster name (default: a fresh one).")
    String cluster;

    @Option(names = "--key-file", paramLabel = "FILE", description = "The cluster key to give them (default: a"
            + " fresh one, written beside the cluster file).")
    Path keyFile;

    @Option(names = "--insecure-no-key", description = "Start them without a cluster key: anyone who reaches their"
            + " port may use them.")
    boolean insecureNoKey;

    /** Whether hosts were given: the start is over ssh. */
    boolean given() {
        return hosts != null || hostsFile != null;
    }

    /** For a local start: the ssh options mean nothing there, and are refused rather than ignored. */
    void refuseWithoutHosts(CommandSpec spec) {
        if (sshConfig != null || bundle != null || interfaceAddress != null || cluster != null || keyFile != null
                || insecureNoKey) {
            throw new ParameterException(spec.commandLine(), "--ssh-config, --bundle, --interface, --cluster,"
                    + " --key-file and --insecure-no-key go with --ssh or --hosts-file; local engines bind 127.0.0.1"
                    + " with a fresh name and key of their own.");
        }
    }

    /** The hosts of {@code --ssh} and {@code --hosts-file}, checked. */
    List<SshHost> hostList(CommandSpec spec) {
        if (sshTimeoutSeconds < 1) {
            throw new ParameterException(spec.commandLine(), "--ssh-timeout must be at least 1 second");
        }
        if (keyFile != null && insecureNoKey) {
            throw new ParameterException(spec.commandLine(), "--key-file and --insecure-no-key: give one of them");
        }
        List<SshHost> all = new ArrayList<>();
        try {
            if (hosts != null) {
                all.addAll(SshHost.parseList(hosts));
            }
            if (hostsFile != null) {
                all.addAll(SshHost.parseLines(Files.readAllLines(hostsFile, StandardCharsets.UTF_8),
                        hostsFile.toString()));
            }
            if (all.stream().map(SshHost::destination).distinct().count() < all.size()) {
                throw new IllegalArgumentException("--ssh and --hosts-file name a host twice");
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "--hosts-file " + hostsFile + " cannot be read: "
                    + e.getMessage());
        }
        if (interfaceAddress != null && all.size() > 1) {
            throw new ParameterException(spec.commandLine(), "--interface goes with one host only: each host's"
                    + " engines otherwise bind the address ssh reached it by.");
        }
        return all;
    }
}
