package org.greylab.engine;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.util.UUID;
import org.greylab.core.image.Decoders;
import org.greylab.core.image.JpegDecoders;
import org.greylab.engine.wire.EngineGuard;
import org.greylab.engine.wire.WireTypes;

/**
 * A Hazelcast member that joins an engine's cluster claiming to be an engine, built by hand as an attacker would:
 * the right version attribute, whatever slots it likes, and the guard (key) the test gives it, or none.
 */
public final class FakeMember {

    private FakeMember() {
    }

    /**
     * Joins {@code engines}' cluster on loopback.
     *
     * @param guard what its tasks open and seal with; null for a member without the key
     */
    public static HazelcastInstance join(TestEngines engines, String name, int slots, EngineGuard guard) {
        Config config = new Config();
        config.setClusterName(engines.clusterName());
        config.setInstanceName("fake-" + UUID.randomUUID());
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        config.setProperty("hazelcast.partition.count", "7");
        var network = config.getNetworkConfig();
        network.setPort(TestEngines.freePort()).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).addInterface(TestEngines.LOOPBACK);
        network.getJoin().getMulticastConfig().setEnabled(false);
        network.getJoin().getAutoDetectionConfig().setEnabled(false);
        var tcp = network.getJoin().getTcpIpConfig().setEnabled(true);
        engines.addresses().forEach(a -> tcp.addMember(a.toString()));
        var attributes = config.getMemberAttributeConfig();
        attributes.setAttribute(EngineAttributes.VERSION, GreylabVersion.current());
        attributes.setAttribute(EngineAttributes.SLOTS, Integer.toString(slots));
        attributes.setAttribute(EngineAttributes.CORES, "1");
        attributes.setAttribute(EngineAttributes.NAME, name);
        attributes.setAttribute(EngineAttributes.JPEG, JpegDecoders.preferred().word());
        attributes.setAttribute(EngineAttributes.WEBP, Decoders.preferred().webpWord());
        attributes.setAttribute(EngineAttributes.HEIF, Decoders.preferred().heifWord());
        config.getExecutorConfig(EngineAttributes.EXECUTOR).setPoolSize(2);
        WireTypes.secure(config.getSerializationConfig());
        if (guard != null) {
            config.getUserContext().put(EngineGuard.USER_CONTEXT_KEY, guard);
        }
        config.getJetConfig().setEnabled(false);
        return Hazelcast.newHazelcastInstance(config);
    }

    /** Tasks its executor has finished (a key challenge included). */
    public static long completedTasks(HazelcastInstance member) {
        return member.getExecutorService(EngineAttributes.EXECUTOR).getLocalExecutorStats().getCompletedTaskCount();
    }
}
