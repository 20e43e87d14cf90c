package org.greylab.engine.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.greylab.core.image.Decoders;
import org.greylab.core.image.JpegDecoders;
import org.greylab.engine.TestEngines;
import org.greylab.engine.security.ClusterKey;
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
        return engine(java.util.Map.of(), args);
    }

    private Process engine(java.util.Map<String, String> environment, String... args) throws IOException {
        return engine(Paths.get(System.getProperty("greylab.engine.jar")), environment, args);
    }

    private Process engine(Path jar, java.util.Map<String, String> environment, String... args) throws IOException {
        assertThat(jar).isRegularFile();
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-jar", jar.toString()));
        command.addAll(List.of(args));
        int n = started.size();
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out(n).toFile())
                .redirectError(err(n).toFile());
        builder.environment().remove("GREYLAB_KEY_FILE");
        builder.environment().putAll(environment);
        Process process = builder.start();
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
                "127.0.0.1:" + port, "--slots", "2", "--name", "ready-test", "--key-file", keyFile().toString());
        String ready = readyLine(engine);
        engine.destroy();
        assertThat(engine.waitFor(10, TimeUnit.SECONDS)).isTrue();
        List<String> lines = stdout(engine).lines().toList();
        String errors = stderr(engine);

        assertThat(ready).isEqualTo("Greylab engine \"ready-test\" ready at 127.0.0.1:" + port
                + " (2 slots, cluster \"it-ready\", Greylab " + org.greylab.engine.GreylabVersion.current()
                + ", WebP: " + Decoders.preferred().webpWord() + ", HEIC/AVIF: " + Decoders.preferred().heifWord()
                + ", JPEG: " + JpegDecoders.description() + ")");
        assertThat(lines).containsExactly(ready);
        assertThat(errors).doesNotContain("Hazelcast Platform").doesNotContain(" INFO ").doesNotContain("Exception");
    }

    private Path keyFile() throws IOException {
        Path file = temp.resolve("cluster-" + started.size() + ".key");
        ClusterKey.generate().writeNew(file);
        return file;
    }

    private static String nonLoopbackAddress() throws IOException {
        for (NetworkInterface nic : java.util.Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress address : java.util.Collections.list(nic.getInetAddresses())) {
                if (address instanceof java.net.Inet4Address && !address.isLoopbackAddress() && nic.isUp()) {
                    return address.getHostAddress();
                }
            }
        }
        return null;
    }

    @Test
    void aLabEngineWithoutAKeyExitsTwoNamingKeyNewAndStartsNothing() throws Exception {
        String lab = nonLoopbackAddress();
        assumeTrue(lab != null, "this machine has no address besides loopback");

        Process engine = engine("--cluster", "it-nokey", "--interface", lab, "--port",
                Integer.toString(TestEngines.freePort()));

        assertThat(engine.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(engine.exitValue()).isEqualTo(2);
        assertThat(stderr(engine)).contains("needs a cluster key").contains("greylab key new");
        assertThat(stdout(engine)).doesNotContain("ready at");
    }

    @Test
    void aLabEngineWithInsecureNoKeySaysSoInItsReadyLine() throws Exception {
        String lab = nonLoopbackAddress();
        assumeTrue(lab != null, "this machine has no address besides loopback");
        int port = TestEngines.freePort();

        Process engine = engine("--cluster", "it-insecure", "--interface", lab, "--port", Integer.toString(port),
                "--join", lab + ":" + port, "--insecure-no-key");

        assertThat(readyLine(engine)).contains("ready at " + lab + ":" + port).endsWith(EngineNode.INSECURE_NOTE);
        assertThat(EngineNode.ReadyLine.parse(readyLine(engine))).isPresent();
    }

    @Test
    void aKeyFileOthersCanReadStopsTheEngineWithExitTwoAndTheChmodToRun() throws Exception {
        Path key = keyFile();
        Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));

        Process engine = engine("--cluster", "it-openkey", "--key-file", key.toString());

        assertThat(engine.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(engine.exitValue()).isEqualTo(2);
        assertThat(stderr(engine)).contains("chmod 600 " + key);
        assertThat(stdout(engine)).isEmpty();
    }

    @Test
    void theKeyFileCanComeFromTheEnvironmentAndNeverShowsOnTheCommandLine() throws Exception {
        Path key = keyFile();
        int port = TestEngines.freePort();

        Process engine = engine(java.util.Map.of("GREYLAB_KEY_FILE", key.toString()), "--cluster", "it-envkey",
                "--port", Integer.toString(port), "--join", "127.0.0.1:" + port);

        String ready = readyLine(engine);
        assertThat(ready).contains("ready at").doesNotContain("INSECURE");
        String secret = Files.readString(key).strip();
        assertThat(engine.info().arguments().map(List::of).orElse(List.of())).noneMatch(a -> a.contains(secret));
    }

    /** Whether this process ignores SIGHUP (bit 0 of the SigIgn mask Linux reports), as its children then do. */
    private static boolean ignoresHangUp() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return false;
        }
        return Files.readAllLines(status).stream().filter(line -> line.startsWith("SigIgn:"))
                .map(line -> Long.parseUnsignedLong(line.substring("SigIgn:".length()).strip(), 16))
                .anyMatch(mask -> (mask & 1L) != 0);
    }

    private boolean connects(String cluster, int port, ClusterKey key) {
        try (var client = org.greylab.engine.client.HazelcastEngineCluster.connect(cluster,
                List.of(new org.greylab.engine.client.EngineAddress("127.0.0.1", port)), Duration.ofSeconds(10),
                key)) {
            return client.engines().size() == 1;
        } catch (org.greylab.engine.client.EngineConnectException refused) {
            return false;
        }
    }

    @Test
    void sighupRotatesTheKeyAndTheOldOneIsAcceptedOnlyForTheGracePeriod() throws Exception {
        // an engine inherits an ignored SIGHUP (a build run under nohup), and then no handler can be installed
        assumeFalse(ignoresHangUp(), "SIGHUP is ignored by this test run (nohup?), and so by the engine");
        Path keyFile = keyFile();
        ClusterKey oldKey = ClusterKey.read(keyFile);
        int port = TestEngines.freePort();
        Process engine = engine("--cluster", "it-rotate", "--port", Integer.toString(port), "--join",
                "127.0.0.1:" + port, "--key-file", keyFile.toString(), "--key-grace", "8");
        assertThat(readyLine(engine)).contains("ready at");
        ClusterKey newKey = ClusterKey.generate();
        Files.delete(keyFile);
        newKey.writeNew(keyFile);

        new ProcessBuilder("kill", "-HUP", Long.toString(engine.pid())).start().waitFor();
        await().atMost(Duration.ofSeconds(10)).until(() -> stderr(engine).contains("new cluster key"));

        assertThat(connects("it-rotate", port, newKey)).isTrue();
        assertThat(connects("it-rotate", port, oldKey)).as("within the grace period").isTrue();
        await().atMost(Duration.ofSeconds(20)).until(() -> stderr(engine).contains("no longer accepted"));
        assertThat(connects("it-rotate", port, oldKey)).as("after the grace period").isFalse();
        assertThat(connects("it-rotate", port, newKey)).isTrue();
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
    void anEngineWhoseJarIsReplacedStopsWithStatusThreeForItsServiceManagerToRestartIt() throws Exception {
        Path jar = temp.resolve("lib").resolve("engine-node.jar");
        Files.createDirectories(jar.getParent());
        Files.copy(Paths.get(System.getProperty("greylab.engine.jar")), jar);
        int port = TestEngines.freePort();
        Process engine = engine(jar, java.util.Map.of(), "--cluster", "it-upgrade", "--port", Integer.toString(port),
                "--join", "127.0.0.1:" + port, "--slots", "1");
        assertThat(readyLine(engine)).contains("ready at");

        // as a package upgrade or a rebuild does it: the new copy written beside, then renamed over the old
        Path next = temp.resolve("lib").resolve("engine-node.jar.new");
        Files.copy(jar, next);
        Files.move(next, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);

        assertThat(engine.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(engine.exitValue()).isEqualTo(3);
        assertThat(stderr(engine)).contains("was replaced or removed");
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
