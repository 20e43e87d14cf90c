package org.greylab.app.engines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.greylab.core.schedule.EngineCluster;
import org.greylab.engine.client.EngineProcess;
import org.greylab.engine.client.HazelcastEngineCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Local engines the window starts before JavaFX does, taken by its later start: real engine processes. */
class EarlyLocalEnginesIT {

    @TempDir
    Path tmp;

    private HazelcastClusterService service;

    @AfterEach
    void close() {
        if (service != null) {
            service.close();
        }
    }

    private List<EngineProcess> processesOf(EngineCluster cluster) {
        return ((HazelcastEngineCluster) cluster).localEngines().orElseThrow().processes();
    }

    @Test
    void theLaterStartOfTheSameCountTakesTheEnginesAlreadyStarting() throws Exception {
        // no engines of 'greylab engines start' here: a cluster file of its own that does not exist
        service = new HazelcastClusterService(tmp.resolve("none.cluster"));

        service.startLocalEarly(1);
        await().atMost(Duration.ofSeconds(60)).until(() -> service.current().isPresent());
        EngineCluster early = service.current().orElseThrow();
        EngineCluster taken = service.startLocal(1);

        assertThat(taken).isSameAs(early);
        assertThat(taken.engines()).hasSize(1);
        assertThat(service.holdsLocalEngines()).isTrue();
    }

    @Test
    void anotherCountStopsTheEarlyEnginesAndStartsThatMany() throws Exception {
        service = new HazelcastClusterService(tmp.resolve("none.cluster"));

        service.startLocalEarly(1);
        await().atMost(Duration.ofSeconds(60)).until(() -> service.current().isPresent());
        List<EngineProcess> early = processesOf(service.current().orElseThrow());
        EngineCluster two = service.startLocal(2);

        assertThat(two.engines()).hasSize(2);
        assertThat(processesOf(two)).hasSize(2).doesNotContainAnyElementsOf(early);
        assertThat(service.current()).containsSame(two);
        await().atMost(Duration.ofSeconds(30)).until(() -> early.stream().noneMatch(EngineProcess::isAlive));
    }

    @Test
    void aSecondEarlyStartWhileOneIsUnderWayIsIgnored() throws Exception {
        service = new HazelcastClusterService(tmp.resolve("none.cluster"));

        service.startLocalEarly(1);
        service.startLocalEarly(2);
        EngineCluster cluster = service.startLocal(1);

        assertThat(cluster.engines()).hasSize(1);
    }
}
