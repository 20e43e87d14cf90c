package org.greylab.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.greylab.core.testing.Samples;
import org.greylab.engine.security.ClusterKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code greylab key new} and {@code --key-file}, against a real engine process started from the built jar. */
class ClusterKeyCommandsTest {

    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private Process engine;

    @AfterEach
    void stopEngine() {
        if (engine != null) {
            engine.destroyForcibly();
        }
    }

    private int greylab(String... args) {
        return GreylabCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    }

    private int startEngine(Path keyFile) throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress("127.0.0.1", 0));
            port = probe.getLocalPort();
        }
        Path jar = Samples.repo().resolve("engine-node/target/engine-node.jar");
        Path log = tmp.resolve("engine.out");
        engine = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-jar", jar.toString(), "--cluster", "keyed-" + port, "--port", Integer.toString(port), "--join",
                "127.0.0.1:" + port, "--slots", "1", "--name", "keyed", "--key-file", keyFile.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(log).contains("ready at"));
        return port;
    }

    @Test
    void keyNewWritesAKeyOnlyItsOwnerCanReadAndNeverReplacesOne() throws Exception {
        Path file = tmp.resolve("lab.key");

        assertThat(greylab("key", "new", file.toString())).as(err.toString()).isZero();
        String first = Files.readString(file);
        int again = greylab("key", "new", file.toString());

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(ClusterKey.read(file).toBase64()).isEqualTo(first.strip());
        assertThat(again).isEqualTo(2);
        assertThat(err.toString()).contains("is already there");
        assertThat(Files.readString(file)).isEqualTo(first);
    }

    @Test
    void enginesWithTheClustersKeyListsTheEngineAndWithoutItSaysTheKeyWasRefused() throws Exception {
        Path key = tmp.resolve("lab.key");
        ClusterKey.generate().writeNew(key);
        int port = startEngine(key);
        List<String> connect = List.of("engines", "--connect", "127.0.0.1:" + port, "--cluster", "keyed-" + port,
                "--connect-timeout", "10");

        int withKey = greylab(concat(connect, "--key-file", key.toString()));
        String listed = out.toString();
        int withoutKey = greylab(connect.toArray(String[]::new));

        assertThat(withKey).as(err.toString()).isZero();
        assertThat(listed).contains("keyed").contains("127.0.0.1:" + port).doesNotContain("insecure");
        assertThat(withoutKey).isEqualTo(2);
        assertThat(err.toString()).contains("engine \"keyed\" at 127.0.0.1:" + port
                + " refused the key (is --key-file the cluster's?)");
    }

    @Test
    void aKeyFileOthersCanReadStopsTheCommandWithTheChmodToRun() throws Exception {
        Path key = tmp.resolve("open.key");
        ClusterKey.generate().writeNew(key);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

        int status = greylab("engines", "--connect", "127.0.0.1:5999", "--cluster", "lab1", "--key-file",
                key.toString());

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("chmod 600 " + key);
    }

    private static String[] concat(List<String> first, String... more) {
        return java.util.stream.Stream.concat(first.stream(), java.util.Arrays.stream(more)).toArray(String[]::new);
    }
}
