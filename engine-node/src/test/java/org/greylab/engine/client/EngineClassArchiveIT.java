package org.greylab.engine.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.greylab.core.image.ConversionSettings;
import org.greylab.core.image.GreyscaleKernel;
import org.greylab.core.schedule.ConvertTask;
import org.greylab.core.schedule.TaskOutcome;
import org.greylab.core.testing.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engines' class data archive over three launches of real engine processes, from a jar of the test's own. */
class EngineClassArchiveIT {

    private static final String SAMPLE = "chelsea.png";

    @Test
    void firstLaunchRecordsSecondDumpsThirdMapsAndTheEngineStillConvertsTheSame(@TempDir Path temp) throws Exception {
        Path jar = Files.copy(EngineLauncher.findJar(), temp.resolve(EngineLauncher.JAR_NAME));
        Optional<EngineClassArchive> found = EngineClassArchive.of(EngineLauncher.javaBinary(), EngineCode.jar(jar));
        assumeTrue(found.isPresent(), "this runtime has no base class data archive to build on");
        EngineClassArchive archive = found.get();
        LocalEngines.Options options = LocalEngines.Options.of(1, 1).withEngineJar(jar);

        try (HazelcastEngineCluster first = HazelcastEngineCluster.startLocal(options)) {
            assertThat(convert(first).succeeded()).isTrue();
        }
        assertThat(archive.classList()).isRegularFile();
        assertThat(archive.isAotCache()).isEqualTo(Runtime.version().feature() >= 25);
        if (!archive.isAotCache()) {
            assertThat(Files.readAllLines(archive.classList())).anyMatch(line -> line.startsWith("com/hazelcast/"));
        }
        assertThat(archive.archive()).doesNotExist();

        try (HazelcastEngineCluster second = HazelcastEngineCluster.startLocal(options)) {
            assertThat(second.engines()).hasSize(1);
        }
        // close() waited for the dump that started once the engine was ready
        assertThat(archive.archive()).isRegularFile();
        try (var leftovers = Files.list(temp)) {
            assertThat(leftovers.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".tmp"));
        }

        try (HazelcastEngineCluster third = HazelcastEngineCluster.startLocal(options)) {
            long pid = third.localEngines().orElseThrow().processes().get(0).pid();
            List<String> arguments = List.of(ProcessHandle.of(pid).orElseThrow().info().arguments().orElseThrow());
            assertThat(arguments).contains((archive.isAotCache() ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=")
                    + archive.archive());

            TaskOutcome outcome = convert(third);
            byte[] expected = new GreyscaleKernel().convert(Samples.bytes(SAMPLE),
                    ConversionSettings.defaults()).output();
            assertThat(outcome.result().output()).isEqualTo(expected);
        }
    }

    @Test
    void whatADetachedEngineRecordedIsKeptByTheNextLaunchOnceItHasEnded(@TempDir Path temp) throws Exception {
        Path jar = Files.copy(EngineLauncher.findJar(), temp.resolve(EngineLauncher.JAR_NAME));
        Optional<EngineClassArchive> found = EngineClassArchive.of(EngineLauncher.javaBinary(), EngineCode.jar(jar));
        assumeTrue(found.isPresent(), "this runtime has no base class data archive to build on");
        EngineClassArchive archive = found.get();
        Path log = temp.resolve("engines.log");

        LocalEngines started = LocalEngines.start(LocalEngines.Options.of(1, 1).withEngineJar(jar)
                .withIdleTimeout(Duration.ofMinutes(5)).detached(log));
        EngineProcess engine = started.detach().get(0);
        try {
            assertThat(archive.flagsForEngine(true, "probe").recording())
                    .as("no second recording while the detached one runs").isNull();
            assertThat(archive.classList()).doesNotExist();

            engine.stop();
            engine.onExit().get(60, TimeUnit.SECONDS);
            archive.dumpIfListed().orElseThrow().get(120, TimeUnit.SECONDS);

            assertThat(archive.classList()).isRegularFile();
            assertThat(archive.archive()).isRegularFile();
            try (var leftovers = Files.list(temp)) {
                assertThat(leftovers.map(p -> p.getFileName().toString()))
                        .noneMatch(name -> name.endsWith(".tmp") || name.endsWith(".pid"));
            }
        } finally {
            engine.kill();
        }
    }

    private static TaskOutcome convert(HazelcastEngineCluster cluster) throws Exception {
        return cluster.submit(0, new ConvertTask(1, SAMPLE, Samples.bytes(SAMPLE),
                ConversionSettings.defaults())).get(60, TimeUnit.SECONDS);
    }
}
