package org.greylab.engine.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.nio.BufferObjectDataOutput;
import com.hazelcast.internal.serialization.InternalSerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.greylab.core.image.GreyscaleKernel;
import org.greylab.core.image.ConversionSettings;
import org.greylab.core.schedule.ConvertTask;
import org.greylab.core.testing.Samples;
import org.greylab.engine.EngineAttributes;
import org.greylab.engine.TestEngines;
import org.greylab.engine.node.EngineNode;
import org.greylab.engine.security.ClusterKey;
import org.greylab.engine.security.Sealer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a keyed engine does with tasks that do not open, sent straight through Hazelcast as an intruder would. */
class SealedTaskTest {

    private final TestEngines engines = new TestEngines();
    private final ClusterKey key = ClusterKey.generate();
    private HazelcastInstance intruder;

    @AfterEach
    void tearDown() {
        if (intruder != null) {
            intruder.shutdown();
        }
        engines.close();
    }

    private HazelcastInstance connect(EngineNode engine) {
        ClientConfig config = new ClientConfig();
        config.setClusterName(engines.clusterName());
        config.getNetworkConfig().addAddress(engine.address());
        WireTypes.secure(config.getSerializationConfig());
        intruder = HazelcastClient.newHazelcastClient(config);
        return intruder;
    }

    private static ConvertTask task(long id) throws Exception {
        return new ConvertTask(id, "camera.png", Samples.bytes("camera.png"), ConversionSettings.defaults());
    }

    @Test
    void aGroupAnswersEachImageAsAloneAndRefusesOnlyTheOneSealedUnderAnotherKey() throws Exception {
        EngineNode engine = engines.start(engines.settings().withKey(key));
        ConvertTask first = task(21);
        ConvertTask second = new ConvertTask(22, "space/iss.png", Samples.bytes("space/iss.png"),
                ConversionSettings.defaults());
        RemoteConvertGroup group = new RemoteConvertGroup(List.of(RemoteConvertTask.seal(first, Sealer.of(key)),
                RemoteConvertTask.seal(task(23), Sealer.of(ClusterKey.generate())),
                RemoteConvertTask.seal(second, Sealer.of(key))));

        RemoteGroupOutcome answer = connect(engine).<RemoteGroupOutcome>getExecutorService(EngineAttributes.EXECUTOR)
                .submitToMember(group, intruder.getCluster().getMembers().iterator().next()).get(30, TimeUnit.SECONDS);

        GreyscaleKernel kernel = new GreyscaleKernel();
        assertThat(answer.outcomes()).hasSize(3);
        assertThat(answer.outcomes().get(0).open(Sealer.of(key), 21, false, 0).result().output())
                .isEqualTo(kernel.convert(first.input(), first.settings()).output());
        assertThat(answer.outcomes().get(1).refused()).isTrue();
        assertThat(answer.outcomes().get(2).open(Sealer.of(key), 22, false, 0).result().output())
                .isEqualTo(kernel.convert(second.input(), second.settings()).output());
        // each answer is bound to its own image's task id: the first does not open as the third's
        assertThatThrownBy(() -> answer.outcomes().get(0).open(Sealer.of(key), 22, false, 0))
                .isInstanceOf(org.greylab.engine.security.SealBrokenException.class);
        assertThat(engine.refusedTasks()).isEqualTo(1);
    }

    @Test
    void aGroupOrAnAnswerClaimingMoreImagesThanTheWireCarriesIsRefusedBeforeAnythingIsAllocated() throws Exception {
        InternalSerializationService wire = new DefaultSerializationServiceBuilder().build();
        BufferObjectDataOutput out = wire.createObjectDataOutput();
        out.writeInt(RemoteConvertGroup.MAX_IMAGES + 1);

        assertThatThrownBy(() -> new RemoteConvertGroup().readData(wire.createObjectDataInput(out.toByteArray())))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("a group carries 1 to");
        assertThatThrownBy(() -> new RemoteGroupOutcome().readData(wire.createObjectDataInput(out.toByteArray())))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("at most");
    }

    @Test
    void theWireFactoryBuildsTheGroupTypesAndNothingElseBesideGreylabsOwn() {
        assertThat(WireTypes.factory().create(WireTypes.CONVERT_GROUP)).isInstanceOf(RemoteConvertGroup.class);
        assertThat(WireTypes.factory().create(WireTypes.GROUP_OUTCOME)).isInstanceOf(RemoteGroupOutcome.class);
        assertThat(WireTypes.factory().create(99)).isNull();
        assertThat(GreylabOnlyClassLoader.allowed(RemoteConvertGroup.class.getName())).isTrue();
        assertThat(GreylabOnlyClassLoader.allowed(RemoteGroupOutcome.class.getName())).isTrue();
    }

    @Test
    void aTaskSealedWithAnotherKeyIsRefusedCountedAndAnsweredWithNothing() throws Exception {
        EngineNode engine = engines.start(engines.settings().withKey(key));

        RemoteOutcome answer = connect(engine).<RemoteOutcome>getExecutorService(EngineAttributes.EXECUTOR)
                .submitToMember(RemoteConvertTask.seal(task(1), Sealer.of(ClusterKey.generate())),
                        intruder.getCluster().getMembers().iterator().next()).get(30, TimeUnit.SECONDS);

        assertThat(answer.refused()).isTrue();
        assertThat(engine.refusedTasks()).isEqualTo(1);
        assertThat(engine.isRunning()).isTrue();
    }

    @Test
    void aTaskChangedOnTheWayIsRefused() throws Exception {
        EngineNode engine = engines.start(engines.settings().withKey(key));
        RemoteConvertTask honest = RemoteConvertTask.seal(task(2), Sealer.of(key));
        byte[] sealed = honest.sealedForTest().clone();
        sealed[sealed.length - 20] ^= 0x01;

        RemoteOutcome answer = connect(engine).<RemoteOutcome>getExecutorService(EngineAttributes.EXECUTOR)
                .submitToMember(new RemoteConvertTask(2, false, sealed), intruder.getCluster().getMembers().iterator().next())
                .get(30, TimeUnit.SECONDS);

        assertThat(answer.refused()).isTrue();
        assertThat(engine.refusedTasks()).isEqualTo(1);
    }

    @Test
    void aCapturedTaskReplayedUnderAnotherTaskIdIsRefused() throws Exception {
        EngineNode engine = engines.start(engines.settings().withKey(key));
        RemoteConvertTask captured = RemoteConvertTask.seal(task(3), Sealer.of(key));

        RemoteOutcome answer = connect(engine).<RemoteOutcome>getExecutorService(EngineAttributes.EXECUTOR)
                .submitToMember(new RemoteConvertTask(4, false, captured.sealedForTest()),
                        intruder.getCluster().getMembers().iterator().next()).get(30, TimeUnit.SECONDS);

        assertThat(answer.refused()).isTrue();
        assertThat(engine.refusedTasks()).isEqualTo(1);
    }

    @Test
    void aWarmUpWithoutTheKeyIsRefusedAndCostsTheEngineNothing() throws Exception {
        EngineNode engine = engines.start(engines.settings().withKey(key));

        Integer answer = connect(engine).<Integer>getExecutorService(EngineAttributes.EXECUTOR)
                .submitToMember(new RemoteWarmUpTask(java.time.Duration.ofSeconds(10), Sealer.of(ClusterKey.none())),
                        intruder.getCluster().getMembers().iterator().next()).get(5, TimeUnit.SECONDS);

        assertThat(answer).isEqualTo(-1);
        assertThat(engine.refusedTasks()).isEqualTo(1);
    }

    @Test
    void anEngineOnLoopbackTakesAnUnsealedTaskAndAnswersItUnsealed() throws Exception {
        // loopback traffic stays on the machine: what keeps images from others there is the key proof clients ask
        // of members before sending them any, not the seal
        EngineNode engine = engines.start(engines.settings().withKey(key));
        ConvertTask task = task(5);

        RemoteOutcome answer = connect(engine).<RemoteOutcome>getExecutorService(EngineAttributes.EXECUTOR)
                .submitToMember(RemoteConvertTask.unsealed(task), intruder.getCluster().getMembers().iterator().next())
                .get(30, TimeUnit.SECONDS);

        assertThat(answer.refused()).isFalse();
        byte[] expected = new org.greylab.core.image.GreyscaleKernel().convert(task.input(), task.settings()).output();
        assertThat(answer.open(Sealer.of(ClusterKey.generate()), 5, true, 0).result().output()).isEqualTo(expected);
        assertThatThrownBy(() -> answer.open(Sealer.of(key), 5, false, 0))
                .isInstanceOf(org.greylab.engine.security.SealBrokenException.class)
                .hasMessageContaining("came unsealed for a sealed task");
        assertThat(engine.refusedTasks()).isZero();
    }

    @Test
    void anEngineNotOnLoopbackRefusesAnUnsealedTask() throws Exception {
        EngineNode engine = engines.start(engines.settings().withKey(key));
        // a member whose guard is an engine's on a network interface (its own socket is on loopback, as every
        // test's)
        HazelcastInstance lab = org.greylab.engine.FakeMember.join(engines, "lab", 1,
                new EngineGuard(key, org.greylab.core.image.ConversionSettings.DEFAULT_MAX_PIXELS, false));
        try {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                    .until(() -> lab.getCluster().getMembers().size() == 2);
            var labMember = lab.getCluster().getLocalMember();
            HazelcastInstance client = connect(engine);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                    .until(() -> client.getCluster().getMembers().size() == 2);

            RemoteOutcome answer = client.<RemoteOutcome>getExecutorService(EngineAttributes.EXECUTOR)
                    .submitToMember(RemoteConvertTask.unsealed(task(6)), labMember).get(30, TimeUnit.SECONDS);
            RemoteOutcome sealedAnswer = client.<RemoteOutcome>getExecutorService(EngineAttributes.EXECUTOR)
                    .submitToMember(RemoteConvertTask.seal(task(7), Sealer.of(key)), labMember)
                    .get(30, TimeUnit.SECONDS);

            assertThat(answer.refused()).isTrue();
            assertThat(sealedAnswer.refused()).isFalse();
            assertThat(sealedAnswer.open(Sealer.of(key), 7, false, 0).succeeded()).isTrue();
        } finally {
            lab.shutdown();
        }
    }
}
