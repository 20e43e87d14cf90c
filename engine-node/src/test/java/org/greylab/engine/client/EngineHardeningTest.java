package org.greylab.engine.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.untrusted.CompactShell;
import com.example.untrusted.DataShell;
import com.example.untrusted.RemoteShell;
import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.impl.clientside.HazelcastClientProxy;
import com.hazelcast.client.impl.protocol.ClientMessage;
import com.hazelcast.client.impl.protocol.codec.MCChangeClusterStateCodec;
import com.hazelcast.client.impl.protocol.codec.MCShutdownMemberCodec;
import com.hazelcast.client.impl.spi.impl.ClientInvocation;
import com.hazelcast.cluster.ClusterState;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.greylab.core.image.ConversionSettings;
import org.greylab.core.image.SyntheticPhoto;
import org.greylab.core.schedule.ConvertTask;
import org.greylab.core.schedule.TaskOutcome;
import org.greylab.engine.EngineAttributes;
import org.greylab.engine.TestEngines;
import org.greylab.engine.node.EngineNode;
import org.greylab.engine.security.ClusterKey;
import org.greylab.engine.wire.WireTypes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What an engine refuses to a client that is not Greylab's, as an attacker on the lab network would try it. */
class EngineHardeningTest {

    private final TestEngines engines = new TestEngines();
    private HazelcastInstance intruder;
    private HazelcastEngineCluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
        if (intruder != null) {
            intruder.shutdown();
        }
        engines.close();
    }

    private HazelcastInstance intrude(EngineNode engine, boolean greylabSerialization) {
        ClientConfig config = new ClientConfig();
        config.setClusterName(engines.clusterName());
        config.getNetworkConfig().addAddress(engine.address());
        if (greylabSerialization) {
            WireTypes.secure(config.getSerializationConfig());
        }
        intruder = HazelcastClient.newHazelcastClient(config);
        return intruder;
    }

    private Object managementRequest(ClientMessage request) throws Exception {
        var client = ((HazelcastClientProxy) intruder).client;
        return new ClientInvocation(client, request, null).invoke().get(10, TimeUnit.SECONDS);
    }

    @Test
    @SuppressWarnings("removal") // Hazelcast still throws AccessControlException for what it refuses
    void aManagementShutdownFromAClientLeavesTheEngineRunning() throws Exception {
        EngineNode engine = engines.start(1);
        intrude(engine, false);

        assertThatThrownBy(() -> managementRequest(MCShutdownMemberCodec.encodeRequest()))
                .isInstanceOf(ExecutionException.class).hasRootCauseInstanceOf(java.security.AccessControlException.class);
        Thread.sleep(2_000);

        assertThat(engine.isRunning()).isTrue();
    }

    @Test
    @SuppressWarnings("removal") // Hazelcast still throws AccessControlException for what it refuses
    void aClusterStateChangeFromAClientIsRefused() throws Exception {
        EngineNode engine = engines.start(1);
        intrude(engine, false);

        assertThatThrownBy(() -> managementRequest(MCChangeClusterStateCodec.encodeRequest(
                ClusterState.PASSIVE.getId()))).isInstanceOf(ExecutionException.class)
                .hasRootCauseInstanceOf(java.security.AccessControlException.class);

        Thread.sleep(1_000);
        assertThat(engine.isRunning()).isTrue();
        assertThat(engine.clusterSize()).isEqualTo(1);
    }

    private <T> Future<T> sendTask(Callable<T> task) {
        Member engine = intruder.getCluster().getMembers().iterator().next();
        return intruder.<T>getExecutorService(EngineAttributes.EXECUTOR).submitToMember(task, engine);
    }

    @Test
    void aJavaSerializedClassOutsideGreylabIsRefused() {
        intrude(engines.start(1), false);

        Future<String> answer = sendTask(new RemoteShell());

        assertThatThrownBy(() -> answer.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasMessageContaining(RemoteShell.class.getName()).hasMessageContaining("not allowed");
        assertThat(RemoteShell.ran).isFalse();
    }

    @Test
    void aPlainDataSerializableClassOutsideGreylabIsRefused() {
        intrude(engines.start(1), false);

        Future<String> answer = sendTask(new DataShell());

        assertThatThrownBy(() -> answer.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasMessageContaining(DataShell.class.getName());
        assertThat(DataShell.ran).isFalse();
    }

    @Test
    void aCompactClassOutsideGreylabIsRefused() {
        intrude(engines.start(1), false);

        Future<String> answer = sendTask(new CompactShell());

        assertThatThrownBy(() -> answer.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        assertThat(CompactShell.ran).isFalse();
    }

    @Test
    void aClientThatFindsTheEngineQueueFullBacksOffAndEveryImageConverts() throws Exception {
        engines.start(1);
        cluster = HazelcastEngineCluster.connect(engines.clusterName(), engines.addresses(), Duration.ofSeconds(10),
                ClusterKey.none());
        byte[] tiny = SyntheticPhoto.png(32, 24, 7);
        List<CompletableFuture<TaskOutcome>> sent = new ArrayList<>();
        // a 12 MP photo first holds the engine's one slot for a good while, whatever the machine's speed, so the
        // tiny ones queue up behind it rather than drain as fast as they are sent
        sent.add(cluster.submit(0, new ConvertTask(-1, "large.png", SyntheticPhoto.png(4000, 3000, 8),
                ConversionSettings.defaults())));

        // more than the engine queues (128 for one slot), all at once
        for (int i = 0; i < 400; i++) {
            sent.add(cluster.submit(0, new ConvertTask(i, "tiny-" + i + ".png", tiny, ConversionSettings.defaults())));
        }

        for (CompletableFuture<TaskOutcome> task : sent) {
            assertThat(task.get(120, TimeUnit.SECONDS).succeeded()).isTrue();
        }
        assertThat(cluster.backOffs()).isPositive();
    }
}
