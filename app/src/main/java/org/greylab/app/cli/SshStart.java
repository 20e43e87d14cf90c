package org.greylab.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.greylab.engine.client.ClusterFile;
import org.greylab.engine.security.ClusterKey;
import org.greylab.engine.security.KeyFileException;
import org.greylab.engine.ssh.SshCommands;
import org.greylab.engine.ssh.SshEngines;
import org.greylab.engine.ssh.SshHost;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * {@code greylab engines start --ssh HOST,...}: starts the engines over ssh, prints a row per host, the
 * {@code --connect ... --cluster ...} to use them with, and writes their cluster file (and, for a fresh key, the key
 * file beside it).
 */
final class SshStart {

    private final CommandSpec spec;
    private final SshStartOptions ssh;
    private final Integer slots;
    private final Duration idleTimeout;
    private final Path clusterFile;

    SshStart(CommandSpec spec, SshStartOptions ssh, Integer slots, Duration idleTimeout, Path clusterFile) {
        this.spec = spec;
        this.ssh = ssh;
        this.slots = slots;
        this.idleTimeout = idleTimeout;
        this.clusterFile = clusterFile;
    }

    /** The key file written beside a cluster file for a fresh key, so that clients can be given it. */
    static Path keyFileBeside(Path clusterFile) {
        return Path.of(clusterFile + ".key");
    }

    int run(PrintWriter out, PrintWriter err) throws IOException {
        List<SshHost> hosts = ssh.hostList(spec);
        Path bundle;
        try {
            bundle = ssh.bundle != null ? ssh.bundle : SshEngines.findBundle();
        } catch (IllegalStateException e) {
            err.println("greylab: " + e.getMessage());
            err.flush();
            return 2;
        }
        if (!Files.isRegularFile(bundle)) {
            throw new ParameterException(spec.commandLine(), "--bundle " + bundle + " is not a file");
        }
        ClusterKey key;
        try {
            key = ssh.insecureNoKey ? ClusterKey.none()
                    : ssh.keyFile != null ? ClusterKey.read(ssh.keyFile) : ClusterKey.generate();
        } catch (KeyFileException e) {
            err.println("greylab: " + e.getMessage());
            err.flush();
            return 2;
        }
        String cluster = ssh.cluster != null ? ssh.cluster : SshEngines.Options.newClusterName();
        SshEngines.Options options = new SshEngines.Options(hosts, bundle,
                new SshCommands(ssh.sshConfig, Duration.ofSeconds(ssh.sshTimeoutSeconds)), ssh.interfaceAddress,
                slots, idleTimeout, SshEngines.DEFAULT_START_TIMEOUT, cluster, key);
        out.printf("Starting engines on %d host(s) over ssh (cluster %s, bundle %s)...%n", hosts.size(), cluster,
                bundle.getFileName());
        out.flush();
        // each host as soon as it is known: a refused login is said at once, not after the others' copies
        SshEngines.Started started = SshEngines.start(options, row -> {
            synchronized (out) {
                out.println("  " + progressLine(row));
                out.flush();
            }
        });
        printTable(out, started.rows());
        if (started.running().isEmpty()) {
            out.println("No engine started.");
            out.flush();
            return 2;
        }
        ClusterFile file = started.clusterFile(Instant.now(), ssh.sshConfig);
        file.write(clusterFile);
        Path keyFile = ssh.keyFile;
        if (keyFile == null && !key.isNone()) {
            keyFile = keyFileBeside(clusterFile);
            Files.deleteIfExists(keyFile);
            key.writeNew(keyFile);
        }
        int engines = started.addresses().size();
        out.printf(Locale.ROOT, "%d engine(s) on %d of %d host(s) running; each stops after %s without a task, or"
                + " with 'greylab engines stop%s'%n", engines, started.running().size(), hosts.size(),
                Durations.words(idleTimeout), clusterFile.equals(ClusterFile.defaultPath()) ? ""
                        : " --cluster-file " + clusterFile);
        runtimes(started.running()).forEach((runtime, where) -> out.println("Java: " + runtime + " on " + where));
        out.println("Use them: --connect " + started.addresses().stream().map(Object::toString)
                .collect(Collectors.joining(",")) + " --cluster " + cluster
                + (keyFile != null ? " --key-file " + keyFile : ""));
        out.println("Cluster file: " + clusterFile);
        out.flush();
        return started.failed().isEmpty() ? 0 : 1;
    }

    /** One host's outcome as it comes in. */
    static String progressLine(SshEngines.HostRow row) {
        String seconds = String.format(Locale.ROOT, "%.2f s", row.toReady().toNanos() / 1e9);
        if (row.failure() != null) {
            return row.host().destination() + ": " + row.failure().describe() + " (" + seconds + ")";
        }
        return row.host().destination() + ": " + row.engines().size() + " engine(s) ready (" + seconds
                + (row.copied() ? ", bundle copied" : ", bundle already there") + ")";
    }

    /** The table: a row per host, its engines, their address, seconds until ready, and its state or why not. */
    static void printTable(PrintWriter out, List<SshEngines.HostRow> rows) {
        int hostWidth = Math.max(4, rows.stream().mapToInt(r -> r.host().destination().length()).max().orElse(4));
        String format = "%-" + hostWidth + "s  %7s  %-21s  %7s  %s%n";
        out.printf(Locale.ROOT, format, "host", "engines", "address", "ready s", "state");
        for (SshEngines.HostRow row : rows) {
            String addresses = row.engines().isEmpty() ? (row.address().isEmpty() ? "-" : row.address())
                    : row.engines().stream().map(e -> e.address()).collect(Collectors.joining(","));
            String state = row.failure() == null
                    ? row.state().word() + (row.copied() ? " (bundle copied)" : "")
                    : row.state().word() + ": " + row.failure().describe();
            out.printf(Locale.ROOT, format, row.host().destination(),
                    row.engines().size() + "/" + row.host().engines(), addresses,
                    String.format(Locale.ROOT, "%.2f", row.toReady().toNanos() / 1e9), state);
        }
        out.flush();
    }

    /** Which java each host's engines run on (their launcher says), hosts grouped by what it said. */
    private static Map<String, String> runtimes(List<SshEngines.HostRow> rows) {
        Map<String, String> byRuntime = new LinkedHashMap<>();
        for (SshEngines.HostRow row : rows) {
            if (!row.runtime().isEmpty()) {
                byRuntime.merge(row.runtime(), row.host().destination(), (a, b) -> a + ", " + b);
            }
        }
        return byRuntime;
    }
}
