package org.greylab.engine.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.greylab.core.image.ConversionResult;
import org.greylab.core.image.ConversionSettings;
import org.greylab.core.image.GreyscaleKernel;
import org.greylab.core.image.OutputFormat;
import org.greylab.core.image.Stage;
import org.greylab.core.schedule.ConvertTask;
import org.greylab.core.schedule.EngineGoneException;
import org.greylab.core.schedule.EngineInfo;
import org.greylab.core.schedule.TaskOutcome;
import org.greylab.core.testing.Samples;
import org.greylab.engine.FakeMember;
import org.greylab.engine.TestEngines;
import org.greylab.engine.node.EngineNode;
import org.greylab.engine.security.ClusterKey;
import org.greylab.engine.wire.DishonestGuard;
import org.greylab.engine.wire.EngineGuard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The cluster key between a client and real in-JVM engines on loopback, and members that lie. */
class ClusterSecurityTest {

    private final TestEngines engines = new TestEngines();
    private final ClusterKey key = ClusterKey.generate();
    private final List<HazelcastInstance> fakes = new ArrayList<>();
    private HazelcastEngineCluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
        fakes.forEach(HazelcastInstance::shutdown);
        engines.close();
    }

    /** Connects as to a lab's engines: every task sealed, though these engines are on loopback. */
    private HazelcastEngineCluster connect(ClusterKey with) {
        cluster = HazelcastEngineCluster.connect(engines.clusterName(), engines.addresses(), Duration.ofSeconds(10),
                with);
        cluster.sealOnLoopbackToo();
        return cluster;
    }

    private HazelcastInstance fake(String name, int slots, EngineGuard guard) {
        HazelcastInstance member = FakeMember.join(engines, name, slots, guard);
        fakes.add(member);
        return member;
    }

    private static ConvertTask camera(long id) {
        return new ConvertTask(id, "camera.png", Samples.bytes("camera.png"),
                ConversionSettings.defaults().withFormat(OutputFormat.PNG));
    }

    private static byte[] cameraInProcess() throws Exception {
        return new GreyscaleKernel().convert(Samples.bytes("camera.png"),
                ConversionSettings.defaults().withFormat(OutputFormat.PNG)).output();
    }

    @Test
    void aClientWithTheEnginesKeyGetsItsImagesConverted() throws Exception {
        engines.start(engines.settings().withKey(key));

        TaskOutcome outcome = connect(key).submit(0, camera(1)).get(30, TimeUnit.SECONDS);

        assertThat(outcome.succeeded()).isTrue();
        assertThat(outcome.result().output()).isEqualTo(cameraInProcess());
        assertThat(cluster.insecure(0)).isFalse();
    }

    @Test
    void aClientWithoutTheKeyIsRefusedWithinTheConnectTimeoutAndSendsNoImage() {
        EngineNode engine = engines.start(engines.settings().withKey(key));
        long start = System.nanoTime();

        assertThatThrownBy(() -> connect(ClusterKey.none()))
                .isInstanceOf(EngineConnectException.class)
                .hasMessageContaining("engine \"" + engine.name() + "\" at " + engine.address()
                        + " refused the key (is --key-file the cluster's?)")
                .extracting(e -> ((EngineConnectException) e).reason())
                .isEqualTo(EngineConnectException.Reason.WRONG_KEY);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        // only the key challenge ran on it (Hazelcast counts a task done just after sending its answer)
        await().atMost(Duration.ofSeconds(5)).until(() -> engine.completedTasks() >= 1);
        assertThat(engine.completedTasks()).isEqualTo(1);
    }

    @Test
    void aClientWithAnotherKeyIsRefused() {
        engines.start(engines.settings().withKey(key));

        assertThatThrownBy(() -> connect(ClusterKey.generate()))
                .isInstanceOf(EngineConnectException.class)
                .hasMessageContaining("refused the key");
    }

    @Test
    void anEngineWithoutAKeyIsListedInsecureAndServesOnlyClientsWithoutOne() throws Exception {
        engines.start(engines.settings());

        assertThat(connect(ClusterKey.none()).insecure(0)).isTrue();
        assertThat(cluster.submit(0, camera(1)).get(30, TimeUnit.SECONDS).succeeded()).isTrue();
        cluster.close();
        assertThatThrownBy(() -> connect(key)).isInstanceOf(EngineConnectException.class)
                .hasMessageContaining("refused the key");
    }

    @Test
    void aFakeMemberClaimingHugeSlotsWithoutTheKeyIsRefusedAndGetsNoImage() throws Exception {
        engines.start(engines.settings().withKey(key).withName("real"));
        HazelcastInstance fake = fake("greedy", Integer.MAX_VALUE, null);
        await().atMost(Duration.ofSeconds(20)).until(() -> fake.getCluster().getMembers().size() == 2);

        connect(key);
        List<TaskOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            outcomes.add(cluster.submit(0, camera(i)).get(30, TimeUnit.SECONDS));
        }

        assertThat(cluster.engines()).extracting(EngineInfo::name).containsExactly("real");
        assertThat(cluster.refusedEngines()).singleElement().asString()
                .startsWith(HazelcastEngineCluster.WRONG_KEY).contains("\"greedy\"");
        assertThat(outcomes).allMatch(TaskOutcome::succeeded);
        // the key challenge is all it ever ran
        assertThat(FakeMember.completedTasks(fake)).isEqualTo(1);
    }

    @Test
    void aMemberWithTheKeyClaimingHugeSlotsIsBelievedOnlyUpTo1024() {
        engines.start(engines.settings().withKey(key));
        HazelcastInstance fake = fake("greedy", Integer.MAX_VALUE, new EngineGuard(key));
        await().atMost(Duration.ofSeconds(20)).until(() -> fake.getCluster().getMembers().size() == 2);

        connect(key);

        assertThat(cluster.engines()).extracting(EngineInfo::slots).containsExactly(1, EngineDirectory.MAX_SLOTS);
    }

    @Test
    void aMemberThatRelaysTheChallengeToARealEngineDoesNotPass() throws Exception {
        // a member without the key cannot compute the MAC; relaying the challenge to the real engine gives a MAC
        // over the real engine's UUID and address, which is checked against the relay's: the proof names the member
        EngineNode real = engines.start(engines.settings().withKey(key));
        HazelcastInstance relay = fake("relay", 8, null);
        await().atMost(Duration.ofSeconds(20)).until(() -> relay.getCluster().getMembers().size() == 2);
        connect(key);
        var realMember = relay.getCluster().getMembers().stream()
                .filter(m -> !m.localMember()).findFirst().orElseThrow();
        byte[] challenge = org.greylab.engine.security.Sealer.randomBytes(32);

        byte[] relayed = relay.<byte[]>getExecutorService(org.greylab.engine.EngineAttributes.EXECUTOR)
                .submitToMember(new org.greylab.engine.wire.ProveKeyTask(challenge), realMember).get(30, TimeUnit.SECONDS);
        var relayMember = relay.getCluster().getLocalMember();

        assertThat(org.greylab.engine.wire.ProveKeyTask.verifies(org.greylab.engine.security.Sealer.of(key),
                challenge, relayMember.getUuid(), org.greylab.engine.wire.ProveKeyTask.address(relayMember),
                relayed)).isFalse();
        assertThat(org.greylab.engine.wire.ProveKeyTask.verifies(org.greylab.engine.security.Sealer.of(key),
                challenge, realMember.getUuid(), real.address(), relayed)).isTrue();
        assertThat(cluster.engines()).hasSize(1);
    }

    @Test
    void aTamperedAnswerTakesTheEngineOffAndTheImageConvertsCorrectlyOnAnother() throws Exception {
        engines.start(engines.settings().withKey(key).withName("honest"));
        HazelcastInstance liar = fake("tampered", 1, DishonestGuard.flippingABitOfEachAnswer(key));
        await().atMost(Duration.ofSeconds(20)).until(() -> liar.getCluster().getMembers().size() == 2);
        connect(key);
        assertThat(cluster.engines()).extracting(EngineInfo::name).containsExactly("honest", "tampered");

        assertThatThrownBy(() -> cluster.submit(1, camera(7)).get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(EngineGoneException.class)
                .hasMessageContaining("does not open");
        TaskOutcome again = cluster.submit(0, camera(7)).get(30, TimeUnit.SECONDS);

        assertThat(cluster.engines()).extracting(EngineInfo::name).containsExactly("honest");
        assertThat(cluster.refusedEngines()).singleElement().asString().startsWith("bad answer: engine 1");
        assertThat(again.result().output()).isEqualTo(cameraInProcess());
    }

    @Test
    void anAnswerReplayedForAnotherTaskIsRefused() throws Exception {
        engines.start(engines.settings().withKey(key).withName("honest"));
        HazelcastInstance liar = fake("replaying", 1, DishonestGuard.replayingTheFirstAnswer(key));
        await().atMost(Duration.ofSeconds(20)).until(() -> liar.getCluster().getMembers().size() == 2);
        connect(key);

        TaskOutcome first = cluster.submit(1, camera(1)).get(30, TimeUnit.SECONDS);

        assertThat(first.succeeded()).isTrue();
        assertThatThrownBy(() -> cluster.submit(1, camera(2)).get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(EngineGoneException.class);
        assertThat(cluster.refusedEngines()).singleElement().asString().contains("\"replaying\"");
    }

    @Test
    void garbageOutputBytesComeBackAsAFailedImage() throws Exception {
        engines.start(engines.settings().withKey(key));
        HazelcastInstance liar = fake("garbage", 1, DishonestGuard.sendingGarbageOutput(key));
        await().atMost(Duration.ofSeconds(20)).until(() -> liar.getCluster().getMembers().size() == 2);
        connect(key);

        TaskOutcome outcome = cluster.submit(1, camera(3)).get(30, TimeUnit.SECONDS);

        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.failedStage()).isEqualTo(Stage.ENCODE);
        assertThat(outcome.failureReason()).contains("not a PNG file").contains("nothing written");
    }

    @Test
    void anEngineNameWithAnEscapeSequenceIsShownClean() {
        engines.start(engines.settings().withKey(key).withName("lab\u001b[2J\u001b]0;pwned\u0007-pc\r\u202e"));

        List<EngineInfo> seen = connect(key).engines();

        assertThat(seen).singleElement().extracting(EngineInfo::name).isEqualTo("lab[2J]0;pwned-pc");
    }

    @Test
    void aConversionResultThatIsReallyThereIsUnchangedByTheCheck() throws Exception {
        ConversionResult real = new GreyscaleKernel().convert(Samples.bytes("camera.png"),
                ConversionSettings.defaults().withFormat(OutputFormat.PNG));

        assertThat(AnswerCheck.problem(real, camera(1))).isNull();
        assertThat(AnswerCheck.problem(new ConversionResult(real.output(), real.outputFormat(), real.inputFormat(),
                real.width() + 1, real.height(), real.bitDepth(), real.warnings(), real.timings()), camera(1)))
                .contains("that it said was");
    }
}
