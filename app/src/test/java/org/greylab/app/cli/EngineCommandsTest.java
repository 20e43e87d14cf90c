package org.greylab.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.greylab.app.engines.HazelcastClusterService;
import org.greylab.core.schedule.EngineInfo;
import org.greylab.core.testing.Samples;
import org.greylab.engine.client.ClusterFile;
import org.greylab.engine.client.EngineAddress;
import org.greylab.engine.security.ClusterKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands that reach engines, in-process, with real local engine processes started from the built
 * engine-node jar (the reactor packages engine-node before app's tests run).
 */
class EngineCommandsTest {

    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void useTheBuiltEngineJar() {
        Path jar = Samples.repo().resolve("engine-node/target/engine-node.jar");
        assertThat(jar).as("engine-node is packaged before app's tests").isRegularFile();
        System.setProperty("greylab.engine.jar", jar.toString());
    }

    private int greylab(String... args) {
        return GreylabCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    }

    @Test
    void benchRunsTheThreeModesAndFindsTheirOutputsIdentical() throws Exception {
        Path json = tmp.resolve("bench.json");
        Path csv = tmp.resolve("bench.csv");

        int status = greylab("bench", Samples.folder().toString(), "--engines", "2", "--repeat", "2", "--json",
                json.toString(), "--csv", csv.toString());

        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString()).contains("speedup").contains("Outputs identical in every mode: yes")
                .contains("Cluster start-up").contains("This process warmed up");
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.get("identicalOutputs").asBoolean()).isTrue();
        assertThat(root.get("clusterStartSeconds").asDouble()).isPositive();
        assertThat(root.get("repeat").asInt()).isEqualTo(2);
        assertThat(root.get("speedupLimit").asInt()).as("2 slots on a machine of 2 or more cores").isEqualTo(2);
        // the overhead probe ran both ways: figures of real tasks (a round trip is never free), one per way
        assertThat(root.get("dispatchOverheadMillis").asDouble()).isPositive();
        assertThat(root.get("dispatchOverheadUnderLoadMillis").asDouble()).isPositive();
        assertThat(root.get("dispatchOverheadFirstPassMillis").asDouble()).isPositive();
        assertThat(out.toString()).contains("Measuring the dispatch overhead on 200 small images")
                .contains("one task at a time").contains("with every slot busy");
        JsonNode modes = root.get("modes");
        assertThat(modes).hasSize(3);
        assertThat(modes.findValuesAsText("mode")).containsExactly("serial", "direct", "balanced");
        int images = (int) Files.list(Samples.folder().resolve("space")).count()
                + (int) Files.list(Samples.folder())
                        .filter(p -> !Files.isDirectory(p) && !p.toString().endsWith(".md"))
                        .count();
        for (JsonNode mode : modes) {
            assertThat(mode.get("wallSeconds").asDouble()).isPositive();
            assertThat(mode.get("imagesPerSecond").asDouble()).isPositive();
            assertThat(mode.get("images").asInt()).isEqualTo(images);
            assertThat(mode.has("speedup")).isTrue();
            assertThat(mode.has("efficiency")).isTrue();
            assertThat(mode.get("allWallSeconds")).hasSize(2);
            assertThat(mode.get("minWallSeconds").asDouble()).isLessThanOrEqualTo(mode.get("wallSeconds").asDouble());
            assertThat(mode.get("maxWallSeconds").asDouble())
                    .isGreaterThanOrEqualTo(mode.get("wallSeconds").asDouble());
            assertThat(mode.get("implausible").isBoolean()).isTrue();
        }
        assertThat(modes.get(0).get("speedup").asDouble()).isEqualTo(1.0);
        JsonNode balanced = modes.get(2);
        assertThat(balanced.get("engines").asInt()).isEqualTo(2);
        assertThat(balanced.get("slots").asInt()).isEqualTo(2);
        assertThat(balanced.get("perEngine")).hasSize(2);
        int perEngineImages = 0;
        for (JsonNode engine : balanced.get("perEngine")) {
            perEngineImages += engine.get("images").asInt();
            assertThat(engine.has("busySeconds")).isTrue();
        }
        assertThat(perEngineImages).isEqualTo(images);
        assertThat(Files.readAllLines(csv)).hasSize(4).first().asString().startsWith("mode,engines,slots");
        assertThat(leftoverBenchFolders()).as("the bench deletes its outputs").isEmpty();
    }

    @Test
    void convertInBalancedModeWithLocalEnginesWritesEveryImage() throws Exception {
        Path output = tmp.resolve("out");
        Path report = tmp.resolve("report.json");

        int status = greylab("convert", Samples.folder().toString(), "--output", output.toString(),
                "--mode", "balanced", "--engines", "2", "--report", report.toString());

        assertThat(status).as(err.toString()).isZero();
        JsonNode root = new ObjectMapper().readTree(report.toFile());
        assertThat(root.get("mode").asText()).isEqualTo("balanced");
        assertThat(root.get("failed").asInt()).isZero();
        List<Integer> engines = root.get("files").findValues("engine").stream().map(JsonNode::asInt).toList();
        assertThat(engines).contains(0, 1);
    }

    @Test
    void enginesListsLocalEnginesLikeRcIds() {
        int status = greylab("engines", "--engines", "2");

        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString()).contains("id").contains("slots").containsPattern("(?m)^0\\s+local-0\\s+127\\.0\\.0\\.1:")
                .containsPattern("(?m)^1\\s+local-1\\s+127\\.0\\.0\\.1:");
    }

    @Test
    void connectingWhereNoEngineAnswersFailsWithASentence() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }

        int status = greylab("engines", "--connect", "127.0.0.1:" + port, "--cluster", "lab1",
                "--connect-timeout", "2");

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).startsWith("greylab: ").contains("no engine answers at 127.0.0.1:" + port)
                .doesNotContainPattern("(?m)^\\s+at [\\w.$]+\\(");
    }

    private static List<Path> leftoverBenchFolders() throws Exception {
        try (Stream<Path> temp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return temp.filter(p -> p.getFileName().toString().startsWith("greylab-bench-"))
                    .filter(p -> {
                        try {
                            return Files.getLastModifiedTime(p).toMillis() > System.currentTimeMillis() - 60_000;
                        } catch (Exception e) {
                            return false;
                        }
                    }).toList();
        }
    }

    @Test
    void enginesStartLeavesEnginesThatConvertUsesUntilEnginesStopEndsThem() throws Exception {
        Path file = tmp.resolve("run/local.cluster");
        Path photos = Files.createDirectories(tmp.resolve("photos"));
        Files.copy(Samples.file("camera.png"), photos.resolve("camera.png"));
        Files.copy(Samples.file("chelsea.png"), photos.resolve("chelsea.png"));

        int started = greylab("engines", "start", "--engines", "2", "--idle-timeout", "10m", "--cluster-file",
                file.toString());

        assertThat(started).as(err.toString()).isZero();
        assertThat(out.toString()).contains("2 local engine(s) running, ready in").contains("idle")
                .contains("local-0").contains("local-1");
        ClusterFile cluster = ClusterFile.read(file).orElseThrow();
        assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE);
        List<ProcessHandle> engines = cluster.runningEngines();
        assertThat(engines).as("both engines run, each in a session of its own").hasSize(2);
        // not children of the process that started them, whose exit would otherwise wait for its reaper threads
        assertThat(ProcessHandle.current().children().map(ProcessHandle::pid).toList())
                .doesNotContainAnyElementsOf(engines.stream().map(ProcessHandle::pid).toList());
        try {
            int converted = greylab("convert", photos.toString(), "--mode", "balanced", "--cluster-file",
                    file.toString(), "--output", tmp.resolve("out").toString());

            assertThat(converted).as(err.toString()).isZero();
            assertThat(out.toString()).contains("Using the 2 engine(s) of 'greylab engines start'");
            assertThat(Samples.files(tmp.resolve("out"))).containsExactly("camera.png", "chelsea.png");
            assertThat(engines).as("the engines outlive the convert").allMatch(ProcessHandle::isAlive);

            // the window, opened with --cluster-file, adopts them rather than starting engines of its own
            HazelcastClusterService window = new HazelcastClusterService(file);
            try {
                List<String> addresses = cluster.addresses().stream().map(EngineAddress::toString).toList();
                assertThat(window.startLocal(2).engines()).extracting(EngineInfo::address)
                        .containsExactlyInAnyOrderElementsOf(addresses);
                assertThat(window.holdsLocalEngines()).isFalse();
            } finally {
                window.disconnect();
            }
            assertThat(engines).as("the engines outlive the window").allMatch(ProcessHandle::isAlive);

            int before = out.toString().length();
            assertThat(greylab("engines", "stop", "--cluster-file", file.toString())).isZero();

            String stopped = out.toString().substring(before);
            assertThat(stopped).contains("Stopped the 2 engine(s)");
            assertThat(engines).as("engines stop waits for them to end").noneMatch(ProcessHandle::isAlive);
            assertThat(file).doesNotExist();
            // their log stays only if there is something in it, and then it is named
            Path log = Path.of(file + ".log");
            assertThat(Files.exists(log) ? Files.size(log) : -1L).isNotZero();
            assertThat(stopped.contains("Their log: " + log)).isEqualTo(Files.exists(log));
        } finally {
            engines.forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void enginesLeftRunningStopByThemselvesAfterTheirIdleTimeout() throws Exception {
        Path file = tmp.resolve("local.cluster");

        assertThat(greylab("engines", "start", "--engines", "1", "--idle-timeout", "2s", "--cluster-file",
                file.toString())).as(err.toString()).isZero();

        List<ProcessHandle> engines = ClusterFile.read(file).orElseThrow().runningEngines();
        assertThat(engines).hasSize(1);
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> engines.stream().noneMatch(ProcessHandle::isAlive));

            assertThat(greylab("engines", "stop", "--cluster-file", file.toString())).isZero();
            assertThat(out.toString()).contains("had already stopped; the file is removed");
            assertThat(file).doesNotExist();
        } finally {
            engines.forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void aClusterFileWhoseEnginesAreGoneIsRemovedAndSaidSo() throws Exception {
        Path file = tmp.resolve("stale.cluster");
        new ClusterFile("gone", List.of(new EngineAddress("127.0.0.1", 5999)), List.of(), Instant.now(),
                ClusterKey.generate())
                .write(file);

        int status = greylab("convert", Samples.file("camera.png").toString(), "--mode", "balanced",
                "--cluster-file", file.toString(), "--output", tmp.resolve("out").toString());

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("are gone").contains("greylab engines start --cluster-file");
        assertThat(file).doesNotExist();
    }
}
