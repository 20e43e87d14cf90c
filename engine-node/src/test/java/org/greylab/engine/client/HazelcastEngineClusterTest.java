package org.greylab.engine.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.greylab.core.image.ConversionResult;
import org.greylab.core.image.ConversionSettings;
import org.greylab.core.image.GreyscaleKernel;
import org.greylab.core.image.Decoders;
import org.greylab.core.image.OutputFormat;
import org.greylab.core.image.Stage;
import org.greylab.core.schedule.ConvertTask;
import org.greylab.core.schedule.EngineInfo;
import org.greylab.core.schedule.TaskOutcome;
import org.greylab.core.testing.Samples;
import org.greylab.engine.GreylabVersion;
import org.greylab.engine.TestEngines;
import org.greylab.engine.node.EngineNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The client adapter against real in-JVM members on loopback. */
class HazelcastEngineClusterTest {

    private final TestEngines engines = new TestEngines();
    private HazelcastEngineCluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
        engines.close();
    }

    private HazelcastEngineCluster connect() {
        cluster = HazelcastEngineCluster.connect(engines.clusterName(), engines.addresses(), Duration.ofSeconds(10));
        return cluster;
    }

    @Test
    void engineAttributesAreVisibleToTheClient() {
        EngineNode node = engines.start(engines.settings().withSlots(3).withName("lab-pc-4"));

        List<EngineInfo> seen = connect().engines();

        assertThat(seen).containsExactly(new EngineInfo(0, "lab-pc-4", node.address(), 3,
                Runtime.getRuntime().availableProcessors(), GreylabVersion.current(),
                Decoders.preferred()));
    }

    @Test
    void engineIdsAreSmallAndInJoinOrder() {
        engines.start(engines.settings().withName("first"));
        engines.start(engines.settings().withName("second"));
        engines.start(engines.settings().withName("third"));

        List<EngineInfo> seen = connect().engines();

        assertThat(seen).extracting(EngineInfo::id).containsExactly(0, 1, 2);
        assertThat(seen).extracting(EngineInfo::name).containsExactly("first", "second", "third");
    }

    @ParameterizedTest
    @ValueSource(strings = {"chelsea.png", "china.jpg"})
    void taskRoundTripGivesTheSameBytesAsTheKernelInProcess(String sample) throws Exception {
        engines.start(1);
        byte[] input = Samples.bytes(sample);
        ConversionSettings settings = ConversionSettings.defaults().withFormat(OutputFormat.PNG);
        ConversionResult local = new GreyscaleKernel().convert(input, settings);

        TaskOutcome outcome = connect().submit(0, new ConvertTask(7, sample, input, settings)).get(30, TimeUnit.SECONDS);

        assertThat(outcome.succeeded()).isTrue();
        assertThat(outcome.engineId()).isZero();
        assertThat(outcome.result().output()).isEqualTo(local.output());
        assertThat(outcome.result().width()).isEqualTo(local.width());
        assertThat(outcome.result().height()).isEqualTo(local.height());
        assertThat(outcome.result().outputFormat()).isEqualTo(local.outputFormat());
        assertThat(outcome.result().inputFormat()).isEqualTo(local.inputFormat());
        assertThat(outcome.finishedMicros()).isGreaterThanOrEqualTo(outcome.startedMicros());
        assertThat(outcome.result().timings().computeNanos()).isPositive();
    }

    @Test
    void warmUpRunsTheKernelOnEveryEngine() throws Exception {
        EngineNode first = engines.start(1);
        EngineNode second = engines.start(1);

        int conversions = connect().warmUp(Duration.ofMillis(200)).get(30, TimeUnit.SECONDS);

        // however short the budget, each engine converts at least one synthetic photo in its kernel warm-up task,
        // then at least one tiny image sent through the dispatch path: two tasks each
        assertThat(conversions).isGreaterThanOrEqualTo(4);
        assertThat(first.completedTasks()).isGreaterThanOrEqualTo(2);
        assertThat(second.completedTasks()).isGreaterThanOrEqualTo(2);
        assertThat(first.completedTasks() + second.completedTasks())
                .isLessThanOrEqualTo(2L + 2L * EngineWarmUp.DISPATCH_TASKS);
    }

    @Test
    void kernelFailureComesBackAsAFailedOutcome() throws Exception {
        engines.start(1);
        byte[] text = "this is a shopping list, not a photo\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);

        TaskOutcome outcome = connect().submit(0, new ConvertTask(1, "list.png", text, ConversionSettings.defaults()))
                .get(30, TimeUnit.SECONDS);

        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.failedStage()).isEqualTo(Stage.DECODE);
        assertThat(outcome.failureReason()).isNotBlank();
        assertThat(outcome.engineId()).isZero();
    }

    @Test
    void engineStartedLaterFiresEngineJoined() {
        engines.start(1);
        RecordingListener listener = new RecordingListener();
        connect().addListener(listener);

        EngineNode late = engines.start(engines.settings().withName("late"));

        await().atMost(Duration.ofSeconds(10)).until(() -> !listener.joined.isEmpty());
        assertThat(listener.joined).extracting(EngineInfo::id, EngineInfo::name, EngineInfo::address)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "late", late.address()));
        assertThat(cluster.engines()).extracting(EngineInfo::id).containsExactly(0, 1);
    }

    @Test
    void engineThatLeavesFiresEngineGoneAndLaterSubmitsFailWithEngineGone() {
        engines.start(1);
        EngineNode leaving = engines.start(1);
        RecordingListener listener = new RecordingListener();
        connect().addListener(listener);

        leaving.kill();

        await().atMost(Duration.ofSeconds(10)).until(() -> !listener.gone.isEmpty());
        assertThat(listener.gone).extracting(EngineInfo::id).containsExactly(1);
        assertThat(cluster.engines()).extracting(EngineInfo::id).containsExactly(0);
        assertThatThrownBy(() -> cluster.submit(1, tinyTask()).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(org.greylab.core.schedule.EngineGoneException.class);
    }

    @Test
    void clientWithAnotherClusterNameIsToldAnEngineAnswersButNotForItsCluster() {
        engines.start(1);

        assertThatThrownBy(() -> HazelcastEngineCluster.connect("not-" + engines.clusterName(), engines.addresses(),
                Duration.ofSeconds(2)))
                .isInstanceOf(EngineConnectException.class)
                .hasMessageContaining("an engine answers at " + engines.addresses().get(0))
                .hasMessageContaining("but not for cluster \"not-" + engines.clusterName() + "\"")
                .extracting(e -> ((EngineConnectException) e).reason())
                .isEqualTo(EngineConnectException.Reason.WRONG_CLUSTER);
    }

    @Test
    void unreachableAddressFailsWithNoEngineAnswersWithinTheTimeout() {
        EngineAddress nobody = new EngineAddress(TestEngines.LOOPBACK, TestEngines.freePort());
        long start = System.nanoTime();

        assertThatThrownBy(() -> HazelcastEngineCluster.connect("lab1", List.of(nobody), Duration.ofSeconds(2)))
                .isInstanceOf(EngineConnectException.class)
                .hasMessageContaining("no engine answers at " + nobody)
                .extracting(e -> ((EngineConnectException) e).reason())
                .isEqualTo(EngineConnectException.Reason.NO_ANSWER);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2 + 5));
    }

    @Test
    void engineOfAnotherVersionIsRefusedWithAClearMessage() {
        engines.start(engines.settings().withName("current"));
        engines.start(engines.settings().withName("stale").withVersion("0.0.1-old"));

        connect();

        assertThat(cluster.engines()).extracting(EngineInfo::name).containsExactly("current");
        assertThat(cluster.refusedEngines()).singleElement().asString()
                .contains("\"stale\"")
                .contains("runs Greylab 0.0.1-old")
                .contains("this client runs Greylab " + GreylabVersion.current());
    }

    @Test
    void clusterOfOnlyAnotherVersionCannotBeConnectedTo() {
        engines.start(engines.settings().withVersion("9.9.9"));

        assertThatThrownBy(this::connect)
                .isInstanceOf(EngineConnectException.class)
                .hasMessageContaining("runs Greylab 9.9.9")
                .extracting(e -> ((EngineConnectException) e).reason())
                .isEqualTo(EngineConnectException.Reason.WRONG_VERSION);
    }

    @Test
    void cancellingTheFuturesCancelsTheTasksOnTheEngine() {
        EngineNode engine = engines.start(1);
        connect();
        List<java.util.concurrent.CompletableFuture<TaskOutcome>> futures = new java.util.ArrayList<>();
        // the largest sample (10 MP), so that the engine's one slot is still busy when the cancels arrive
        byte[] large = Samples.bytes("Wine_by_Jakkub_Mede.jpg");
        for (int i = 0; i < 8; i++) {
            futures.add(cluster.submit(0, new ConvertTask(i, "wine.jpg", large,
                    ConversionSettings.defaults().withFormat(OutputFormat.PNG))));
        }

        List<Boolean> cancelled = futures.stream().map(future -> future.cancel(true)).toList();

        assertThat(cancelled).as("futures not yet done when cancelled").contains(true);
        for (int i = 0; i < futures.size(); i++) {
            if (cancelled.get(i)) {
                assertThat(futures.get(i)).isCancelled();
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.cancelledTasks() > 0);
        // the queued ones never run: the engine does not convert all eight
        assertThat(engine.completedTasks()).isLessThan(futures.size());
    }

    @Test
    void submitToAnIdThatNeverExistedIsRefused() {
        engines.start(1);

        assertThatThrownBy(() -> connect().submit(5, tinyTask()).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no engine has id 5");
    }

    private static ConvertTask tinyTask() {
        return new ConvertTask(1, "skyline-sf-dusk.jpeg", Samples.bytes("skyline-sf-dusk.jpeg"),
                ConversionSettings.defaults());
    }
}
