package org.greylab.engine.node;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MemberAttributeConfig;
import com.hazelcast.config.NetworkConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.greylab.core.image.Decoders;
import org.greylab.engine.EngineAttributes;
import org.greylab.engine.wire.EngineGuard;
import org.greylab.engine.wire.WireTypes;

/**
 * The Hazelcast member configuration of one engine. Built in code rather than read from YAML: every value is
 * either fixed here or comes from an option, and parsing and validating a YAML file would add to every start.
 */
final class EngineMemberConfig {

    /** Cluster properties every engine sets; each one is here for a reason given beside it. */
    private static final String[][] PROPERTIES = {
            {"hazelcast.logging.type", "slf4j"},
            {"hazelcast.phone.home.enabled", "false"},
            // bind only the --interface address, never 0.0.0.0
            {"hazelcast.socket.bind.any", "false"},
            // SIGTERM and Ctrl-C leave the cluster in order, briefly: an engine holds no data to hand over
            {"hazelcast.shutdownhook.enabled", "true"},
            {"hazelcast.shutdownhook.policy", "GRACEFUL"},
            {"hazelcast.graceful.shutdown.max.wait", "5"},
            // start fast: join as soon as a master answers instead of waiting 5 s for more members
            {"hazelcast.wait.seconds.before.join", "0"},
            {"hazelcast.max.wait.seconds.before.join", "2"},
            // engines share no data, so few partitions: less to assign and migrate when engines come and go
            {"hazelcast.partition.count", "7"},
            // should two engines started together each form a cluster alone, or an engine cut off from the others
            // by the network come back, merge them soon, not after Hazelcast's 300 s and 120 s: with these, and a
            // --join of exact HOST:PORTs (each search waits 5 s on a port no engine listens on), an engine whose link
            // came back after a split was listed again within 4 s (installer/lab/lab.sh test)
            {"hazelcast.merge.first.run.delay.seconds", "5"},
            {"hazelcast.merge.next.run.delay.seconds", "5"},
            // a member silent this long is taken off by the others (Hazelcast's default is 60 s): an engine whose
            // machine or link went away leaves the member list after 20 s, and when its link comes back it returns
            // through the merge above. Heartbeats go every 5 s from a thread of their own, so a busy engine still
            // sends them; clients notice a silent engine by themselves, in 15 s
            {"hazelcast.max.no.heartbeat.seconds", "20"},
            {"hazelcast.health.monitoring.level", "OFF"},
    };

    /** No client's address matches it: management operations are refused to all. */
    static final String UNMATCHABLE_INTERFACE = "255.255.255.255";

    private EngineMemberConfig() {
    }

    /**
     * Tasks an engine holds waiting, beyond those running: far more than Greylab's clients ever queue (each keeps
     * at most its prefetch, 64 at most, beyond an engine's slots), few enough that queued images (a few MB each)
     * cannot exhaust the heap.
     */
    static int queueCapacity(int slots) {
        return Math.max(QUEUE_MINIMUM, QUEUE_PER_SLOT * slots);
    }

    static final int QUEUE_MINIMUM = 128;
    static final int QUEUE_PER_SLOT = 16;

    static Config build(EngineNodeSettings settings, int port, boolean portFixed, String name, String host,
                        EngineGuard guard) {
        Config config = new Config();
        config.setClusterName(settings.clusterName());
        // instance names are per JVM; tests run several engines in one
        config.setInstanceName("greylab-engine-" + UUID.randomUUID());
        for (String[] property : PROPERTIES) {
            config.setProperty(property[0], property[1]);
        }

        NetworkConfig network = config.getNetworkConfig();
        network.setPort(port).setPortAutoIncrement(!portFixed);
        network.getInterfaces().setEnabled(true).addInterface(settings.bindAddress());
        network.setPublicAddress(settings.bindAddress());
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(peers(settings)).setConnectionTimeoutSeconds(2);

        MemberAttributeConfig attributes = config.getMemberAttributeConfig();
        attributes.setAttribute(EngineAttributes.SLOTS, Integer.toString(settings.slots()));
        attributes.setAttribute(EngineAttributes.CORES,
                Integer.toString(Runtime.getRuntime().availableProcessors()));
        attributes.setAttribute(EngineAttributes.HOST, host);
        attributes.setAttribute(EngineAttributes.NAME, name);
        attributes.setAttribute(EngineAttributes.VERSION, settings.version());
        Decoders decoders = Decoders.preferred();
        attributes.setAttribute(EngineAttributes.JPEG, decoders.jpeg().word());
        attributes.setAttribute(EngineAttributes.WEBP, decoders.webpWord());
        attributes.setAttribute(EngineAttributes.HEIF, decoders.heifWord());
        if (settings.insecure()) {
            attributes.setAttribute(EngineAttributes.INSECURE, "true");
        }
        // the engine's tasks find the key here (HazelcastInstanceAware); it never leaves this process
        config.getUserContext().put(EngineGuard.USER_CONTEXT_KEY, guard);

        // bounded, so that no one can queue tasks until the engine runs out of memory; a client that finds it full
        // backs off and sends again (HazelcastEngineCluster)
        config.getExecutorConfig(EngineAttributes.EXECUTOR).setPoolSize(settings.slots())
                .setQueueCapacity(queueCapacity(settings.slots()));
        // Management-centre operations (shut a member down, change the cluster state, run a script, write
        // diagnostics files) come from clients; they are allowed only from trusted interfaces, and an empty set
        // trusts everyone. No client connects from the limited-broadcast address, so this set trusts no one.
        config.getManagementCenterConfig().setTrustedInterfaces(Set.of(UNMATCHABLE_INTERFACE))
                .setScriptingEnabled(false).setConsoleEnabled(false).setDataAccessEnabled(false);

        // engines run Greylab's tasks and nothing else
        WireTypes.secure(config.getSerializationConfig());
        config.setClassLoader(WireTypes.classLoader());
        config.getJetConfig().setEnabled(false);
        disableUserCodeDeployment(config);
        config.getNamespacesConfig().setEnabled(false);
        config.getMetricsConfig().setEnabled(false);
        return config;
    }

    @SuppressWarnings("deprecation") // off by default; said explicitly so that no one turns it on by accident
    private static void disableUserCodeDeployment(Config config) {
        config.getUserCodeDeploymentConfig().setEnabled(false);
    }

    private static List<String> peers(EngineNodeSettings settings) {
        if (!settings.join().isEmpty()) {
            return settings.join();
        }
        List<String> peers = new ArrayList<>();
        for (int i = 0; i < EngineNodeSettings.DEFAULT_PEER_PORTS; i++) {
            peers.add(hostPort(settings.bindAddress(), EngineNodeSettings.DEFAULT_PORT + i));
        }
        return peers;
    }

    static String hostPort(String host, int port) {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
