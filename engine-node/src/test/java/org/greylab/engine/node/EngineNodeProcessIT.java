package org.greylab.engine.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.greylab.core.image.JpegDecoders;
import org.greylab.engine.TestEngines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar engine-node.jar} as a lab user runs it. */
class EngineNodeProcessIT {

    private final List<Process> started = new ArrayList<>();

    @TempDir
    Path temp;

    @AfterEach
    void killEverythingStarted() {
        started.forEach(Process::destroyForcibly);
    }

    private Process engine(String... args) throws IOException {
        Path jar = Paths.get(System.getProperty("greylab.engine.jar"));
        assertThat(jar).isRegularFile();
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-jar", jar.toString()));
        command.addAll(List.of(args));
        int n = started.size();
        Process process = new ProcessBuilder(command).redirectOutput(out(n).toFile()).redirectError(err(n).toFile())
                .start();
        started.add(process);
        return process;
    }

    private Path out(int n) {
        return temp.resolve("engine-" + n + ".out");
    }

    private Path err(int n) {
        return temp.resolve("engine-" + n + ".err");
    }

    private String stdout(Process process) throws IOException {
        return Files.readString(out(started.indexOf(process)), StandardCharsets.UTF_8);
    }

    private String stderr(Process process) throws IOException {
        return Files.readString(err(started.indexOf(process)), StandardCharsets.UTF_8);
    }

    /** The first line the engine printed on stdout, once it has printed one. */
    private String readyLine(Process process) {
        await().atMost(Duration.ofSeconds(60)).until(() -> stdout(process).contains("\n") || !process.isAlive());
        try {
            return stdout(process).lines().findFirst().orElse("");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void enginePrintsOneReadyLineAndNothingElseOnStdout() throws Exception {
        int port = TestEngines.freePort();
        Process engine = engine("--cluster", "it-ready", "--port", Integer.toString(port), "--join",
                "127.0.0.1:" + port, "--slots", "2", "--name", "ready-test");
        String ready = readyLine(engine);
        engine.destroy();
        assertThat(engine.waitFor(10, TimeUnit.SECONDS)).isTrue();
        List<String> lines = stdout(engine).lines().toList();
        String errors = stderr(engine);

        assertThat(ready).isEqualTo("Greylab engine \"ready-test\" ready at 127.0.0.1:" + port
                + " (2 slots, cluster \"it-ready\", Greylab " + org.greylab.engine.GreylabVersion.current()
                + ", JPEG: " + JpegDecoders.description() + ")");
        assertThat(lines).containsExactly(ready);
        assertThat(errors).doesNotContain("Hazelcast Platform").doesNotContain(" INFO ").doesNotContain("Exception");
    }

    @Test
    void takenPortMakesTheCommandFailWithAClearMessage() throws Exception {
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress(InetAddress.getByName(TestEngines.LOOPBACK), 0));
            int port = squatter.getLocalPort();

            Process engine = engine("--cluster", "it-port", "--port", Integer.toString(port));

            assertThat(engine.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String errors = stderr(engine);
            assertThat(engine.exitValue()).isEqualTo(1);
            assertThat(errors).contains("engine-node: port " + port + " on 127.0.0.1 is taken");
            assertThat(errors).doesNotContain("\tat ");
        }
    }

    @Test
    void missingClusterNameIsAUsageError() throws Exception {
        Process engine = engine("--port", "5799");

        assertThat(engine.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String errors = stderr(engine);
        assertThat(engine.exitValue()).isEqualTo(2);
        assertThat(errors).contains("Missing required option: '--cluster=NAME'");
    }

    @Test
    void engineExitsWhenItsParentProcessDies() throws Exception {
        Process parent = new ProcessBuilder("sleep", "600").start();
        started.add(parent);
        int port = TestEngines.freePort();
        Process engine = engine("--cluster", "it-parent", "--port", Integer.toString(port), "--join",
                "127.0.0.1:" + port, "--slots", "1", "--parent-pid", Long.toString(parent.pid()));
        assertThat(readyLine(engine)).contains("ready at");

        parent.destroyForcibly();
        parent.waitFor();

        await().atMost(Duration.ofSeconds(10)).until(() -> !engine.isAlive());
    }

    @Test
    void engineWhoseParentIsAlreadyGoneDoesNotStay() throws Exception {
        Process parent = new ProcessBuilder("true").start();
        parent.waitFor();
        int port = TestEngines.freePort();

        Process engine = engine("--cluster", "it-orphan", "--port", Integer.toString(port), "--join",
                "127.0.0.1:" + port, "--slots", "1", "--parent-pid", Long.toString(parent.pid()));

        assertThat(engine.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void shadedJarKeepsTheImageReaderServices() throws Exception {
        Path jar = Paths.get(System.getProperty("greylab.engine.jar"));
        try (var zip = new java.util.zip.ZipFile(jar.toFile())) {
            var entry = zip.getEntry("META-INF/services/javax.imageio.spi.ImageReaderSpi");
            String services = new String(zip.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);

            assertThat(services).contains("com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi")
                    .contains("com.twelvemonkeys.imageio.plugins.tiff.TIFFImageReaderSpi")
                    .contains("com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi");
            assertThat(zip.stream().map(java.util.zip.ZipEntry::getName))
                    .noneMatch(name -> name.matches("META-INF/[^/]+\\.(SF|RSA|DSA|EC)"));
        }
        assertThat(Files.size(jar)).isGreaterThan(Files.size(plainJar(jar)));
    }

    private static Path plainJar(Path shaded) throws IOException {
        try (var files = Files.list(shaded.getParent())) {
            return files.filter(p -> p.getFileName().toString().matches("greylab-engine-node-.*\\.jar"))
                    .findFirst().orElseThrow();
        }
    }
}
