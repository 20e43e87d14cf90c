package org.greylab.engine.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.greylab.core.image.ConversionSettings;
import org.greylab.core.image.OutputFormat;
import org.greylab.core.schedule.ConvertTask;
import org.greylab.core.schedule.EngineGoneException;
import org.greylab.core.schedule.EngineInfo;
import org.greylab.core.schedule.TaskOutcome;
import org.greylab.core.testing.Samples;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Engines as processes, started the way {@code --engines N} starts them. */
class LocalEnginesIT {

    private HazelcastEngineCluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void twoLocalEnginesAreAllVisibleWithIdsInStartOrder() {
        cluster = HazelcastEngineCluster.startLocal(2, 1);

        assertThat(cluster.engines()).extracting(EngineInfo::id, EngineInfo::name, EngineInfo::slots)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0, "local-0", 1),
                        org.assertj.core.groups.Tuple.tuple(1, "local-1", 1));
        assertThat(cluster.localEngines()).isPresent();
        assertThat(cluster.localEngines().get().startupTime()).isPresent();
    }

    @Test
    void localEnginesRunInASessionOfTheirOwnSoATerminalsCtrlCReachesOnlyTheClient() throws Exception {
        Path ownStat = Path.of("/proc/self/stat");
        Assumptions.assumeTrue(Files.isReadable(ownStat) && Files.isExecutable(Path.of("/usr/bin/setsid")),
                "needs Linux's /proc and setsid");
        cluster = HazelcastEngineCluster.startLocal(2, 1);

        long ours = processGroup(ProcessHandle.current().pid());
        for (EngineProcess engine : cluster.localEngines().orElseThrow().processes()) {
            assertThat(processGroup(engine.pid())).as(engine.toString()).isNotEqualTo(ours)
                    .as("the engine leads its own group").isEqualTo(engine.pid());
        }
    }

    /** Field 5 of /proc/PID/stat, after the parenthesised command name. */
    private static long processGroup(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[2]);
    }

    @Test
    void closeLeavesNoEngineProcess() {
        cluster = HazelcastEngineCluster.startLocal(2, 1);
        List<Long> pids = cluster.localEngines().orElseThrow().processes().stream().map(EngineProcess::pid).toList();

        cluster.close();

        await().atMost(Duration.ofSeconds(5)).until(() -> pids.stream()
                .noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
    }

    @Test
    void killedEngineFailsItsInFlightTasksWithEngineGoneAndFiresEngineGone() throws Exception {
        cluster = HazelcastEngineCluster.startLocal(2, 1);
        RecordingListener listener = new RecordingListener();
        cluster.addListener(listener);
        List<CompletableFuture<TaskOutcome>> inFlight = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            inFlight.add(cluster.submit(1, photo(i)));
        }

        cluster.localEngines().orElseThrow().processes().get(1).kill();

        CompletableFuture<Void> all = CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new));
        await().atMost(Duration.ofSeconds(10)).until(all::isDone);
        List<Throwable> failures = new ArrayList<>();
        for (CompletableFuture<TaskOutcome> future : inFlight) {
            try {
                future.get();
            } catch (ExecutionException e) {
                failures.add(e.getCause());
            }
        }
        assertThat(failures).isNotEmpty().allSatisfy(failure -> assertThat(failure)
                .isInstanceOfSatisfying(EngineGoneException.class, gone -> assertThat(gone.engineId()).isEqualTo(1)));
        await().atMost(Duration.ofSeconds(10)).until(() -> !listener.gone.isEmpty());
        assertThat(listener.gone).extracting(EngineInfo::id).containsExactly(1);
        assertThat(cluster.submit(0, photo(99)).get(30, TimeUnit.SECONDS).succeeded()).isTrue();
    }

    @Test
    void engineAddedToARunningClusterFiresEngineJoined() {
        cluster = HazelcastEngineCluster.startLocal(1, 1);
        RecordingListener listener = new RecordingListener();
        cluster.addListener(listener);

        EngineProcess added = cluster.localEngines().orElseThrow().addEngine();

        await().atMost(Duration.ofSeconds(10)).until(() -> !listener.joined.isEmpty());
        assertThat(listener.joined).extracting(EngineInfo::id, EngineInfo::name)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, added.name()));
    }

    private static ConvertTask photo(long id) {
        return new ConvertTask(id, "coffee.png", Samples.bytes("coffee.png"),
                ConversionSettings.defaults().withFormat(OutputFormat.PNG));
    }
}
