package org.greylab.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.greylab.engine.client.ClusterFile;
import org.greylab.engine.client.EngineAddress;
import org.greylab.engine.node.EngineNode;
import org.greylab.engine.security.ClusterKey;
import org.greylab.engine.ssh.SshEngines;
import org.greylab.engine.ssh.SshFailure;
import org.greylab.engine.ssh.SshHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code greylab engines start --ssh} and {@code engines stop} for engines started so, against hosts that cannot be
 * reached, through the system's real ssh (no sshd is needed for these: installer/lab/lab.sh runs the whole of it on
 * three hosts).
 */
class SshStartTest {

    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int greylab(String... args) {
        return GreylabCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    }

    /** An ssh configuration that sends 127.0.0.1 to a port nothing listens on, so ssh's refusal is immediate. */
    private Path refusingConfig() throws Exception {
        Path config = tmp.resolve("ssh_config");
        Files.writeString(config, "Host 127.0.0.1\n  Port 1\n  UserKnownHostsFile /dev/null\n");
        return config;
    }

    @Test
    void hostsThatCannotBeReachedEachSayWhyAndNoneStartedIsExitTwoWithoutAClusterFile() throws Exception {
        Path bundle = Files.writeString(tmp.resolve("greylab-engine-0.1.0-linux-x64.tar.gz"), "not used");
        Path file = tmp.resolve("ssh.cluster");

        int status = greylab("engines", "start", "--ssh", "ada@127.0.0.1,nosuchhost.invalid:2", "--ssh-config",
                refusingConfig().toString(), "--ssh-timeout", "3", "--bundle", bundle.toString(), "--cluster-file",
                file.toString());

        assertThat(status).as(err.toString()).isEqualTo(2);
        assertThat(out.toString())
                .containsPattern("ada@127\\.0\\.0\\.1 +0/1 +- +\\d+\\.\\d\\d +failed: unreachable: ssh: connect to"
                        + " host 127\\.0\\.0\\.1 port 1: Connection refused")
                .containsPattern("nosuchhost\\.invalid +0/2 .*failed: unreachable: ssh: Could not resolve hostname")
                .contains("No engine started.");
        assertThat(file).doesNotExist();
        assertThat(Path.of(file + ".key")).doesNotExist();
    }

    @Test
    void enginesCountsPerHostSoEnginesAndTwoHostsWithOneInterfaceAreUsageErrors() {
        assertThat(greylab("engines", "start", "--ssh", "pc21", "--engines", "2")).isEqualTo(2);
        assertThat(err.toString()).contains("--ssh HOST:N");

        assertThat(greylab("engines", "start", "--ssh", "pc21,pc22", "--interface", "10.0.0.21")).isEqualTo(2);
        assertThat(err.toString()).contains("--interface goes with one host only");

        assertThat(greylab("engines", "start", "--ssh", "pc21:0")).isEqualTo(2);
        assertThat(err.toString()).contains("engines per host must be 1-64");
    }

    @Test
    void sshOptionsWithoutHostsAreRefusedRatherThanIgnored() {
        assertThat(greylab("engines", "start", "--engines", "1", "--key-file", "lab.key")).isEqualTo(2);

        assertThat(err.toString()).contains("go with --ssh or --hosts-file");
    }

    @Test
    void theTableHasARowPerHostWithItsEnginesAddressSecondsAndStateOrWhy() {
        EngineNode.ReadyLine ready = EngineNode.ReadyLine.parse("Greylab engine \"pc21\" ready at 10.0.0.21:5701"
                + " (4 slots, cluster \"greylab-ssh-1\", Greylab 0.1.0, WebP: java, HEIC/AVIF: none,"
                + " JPEG: Java (ImageIO))").orElseThrow();
        List<SshEngines.HostRow> rows = List.of(
                new SshEngines.HostRow(SshHost.parse("ada@pc21"), "10.0.0.21", List.of(ready), List.of(4242L),
                        Duration.ofMillis(3210), null, "the bundle's runtime (Java 25)", true),
                new SshEngines.HostRow(SshHost.parse("pc22:2"), "", List.of(), List.of(), Duration.ofMillis(180),
                        new SshFailure(SshFailure.Reason.LOGIN_REFUSED, "pc22: Permission denied (publickey)."),
                        "", false));
        StringWriter table = new StringWriter();

        SshStart.printTable(new PrintWriter(table, true), rows);

        assertThat(table.toString().lines()).containsExactly(
                "host      engines  address                ready s  state",
                "ada@pc21      1/1  10.0.0.21:5701            3.21  running (bundle copied)",
                "pc22          0/2  -                         0.18  failed: login refused: pc22: Permission denied"
                        + " (publickey).");
    }

    @Test
    void stoppingEnginesOnAHostThatDoesNotAnswerKeepsTheClusterFileForAnotherTry() throws Exception {
        Path file = tmp.resolve("ssh.cluster");
        new ClusterFile("greylab-ssh-gone", List.of(new EngineAddress("127.0.0.1", 5999)), List.of(), Instant.now(),
                ClusterKey.generate(), List.of(new ClusterFile.HostEngines("ada@127.0.0.1", List.of(4242L))),
                refusingConfig()).write(file);

        int status = greylab("engines", "stop", "--cluster-file", file.toString());

        assertThat(status).isEqualTo(1);
        assertThat(out.toString()).contains("ada@127.0.0.1: not reached, unreachable: ssh: connect to host"
                + " 127.0.0.1 port 1: Connection refused").contains("is kept");
        assertThat(file).exists();
    }
}
