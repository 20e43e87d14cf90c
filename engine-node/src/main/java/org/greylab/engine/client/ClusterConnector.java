package org.greylab.engine.client;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.ClientConnectionStrategyConfig.ReconnectMode;
import com.hazelcast.client.config.ConnectionRetryConfig;
import com.hazelcast.config.ListenerConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent.LifecycleState;
import com.hazelcast.core.LifecycleListener;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.greylab.engine.security.ClusterKey;
import org.greylab.engine.wire.WireTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a {@link HazelcastEngineCluster} comes to be: a Hazelcast client connected to running engines, or to engines
 * it starts on this machine first. When a connection fails, it says why in words a user can act on.
 */
final class ClusterConnector {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterConnector.class);

    private static final int PROBE_TIMEOUT_MILLIS = 1_000;
    /** How often a client tries the first local engine while it boots: it listens within about a second. */
    private static final int LOCAL_RETRY_MILLIS = 25;

    private ClusterConnector() {
    }

    /** See {@link HazelcastEngineCluster#connect(String, List, Duration)}. */
    static HazelcastEngineCluster connect(String clusterName, List<EngineAddress> addresses, Duration connectTimeout,
                                          ClusterKey key) {
        long started = System.nanoTime();
        Objects.requireNonNull(clusterName, "clusterName");
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("no engine address to connect to");
        }
        HazelcastInstance client;
        try {
            client = HazelcastClient.newHazelcastClient(clientConfig(clusterName, addresses, connectTimeout));
        } catch (RuntimeException e) {
            throw diagnose(clusterName, addresses, connectTimeout, e);
        }
        HazelcastEngineCluster cluster = new HazelcastEngineCluster(clusterName, client, null, key, connectTimeout);
        // the members seen at connect must prove the key first, all within the connect timeout
        Duration left = connectTimeout.minusNanos(System.nanoTime() - started);
        cluster.awaitProofs(left.isNegative() ? Duration.ZERO : left);
        if (cluster.engines().isEmpty() && !cluster.refusedEngines().isEmpty()) {
            List<String> refused = cluster.refusedEngines();
            // it started no engines, so closing only disconnects
            cluster.close();
            boolean wrongKey = refused.stream().anyMatch(r -> r.startsWith(HazelcastEngineCluster.WRONG_KEY));
            throw new EngineConnectException(wrongKey ? EngineConnectException.Reason.WRONG_KEY
                    : EngineConnectException.Reason.WRONG_VERSION, String.join("; ", refused), null);
        }
        return cluster;
    }

    /** See {@link HazelcastEngineCluster#startLocal(LocalEngines.Options)}. */
    static HazelcastEngineCluster startLocal(LocalEngines.Options options) {
        long start = System.nanoTime();
        LocalEngines engines = LocalEngines.launch(options);
        HazelcastInstance client = null;
        try {
            // The client is built while the engines boot: its own start-up (a few thousand classes) overlaps
            // theirs instead of following it, and it connects the moment the first engine listens. It is given only
            // the first engine, the one the others join, and learns of the others from it.
            CountDownLatch connected = new CountDownLatch(1);
            ClientConfig config = clientConfig(engines.clusterName(), engines.addresses().subList(0, 1),
                    engines.remaining());
            config.getConnectionStrategyConfig().setAsyncStart(true).getConnectionRetryConfig()
                    .setInitialBackoffMillis(LOCAL_RETRY_MILLIS).setMaxBackoffMillis(LOCAL_RETRY_MILLIS)
                    .setMultiplier(1);
            config.addListenerConfig(new ListenerConfig((LifecycleListener) event -> {
                if (event.getState() == LifecycleState.CLIENT_CONNECTED) {
                    connected.countDown();
                }
            }));
            client = HazelcastClient.newHazelcastClient(config);
            // an engine that fails to start is reported with its output at once, not after the connect timeout
            engines.awaitAllReady();
            if (!connected.await(engines.remaining().toNanos(), TimeUnit.NANOSECONDS)) {
                throw new EngineConnectException(EngineConnectException.Reason.START_FAILED,
                        "the local engines started but did not accept a connection within "
                                + options.startTimeout().toSeconds() + " s" + engines.outputSummary(), null);
            }
            HazelcastEngineCluster cluster = new HazelcastEngineCluster(engines.clusterName(), client, engines,
                    engines.key(), engines.remaining());
            client = null;
            try {
                if (!cluster.awaitEngines(options.engines(), engines.remaining())) {
                    throw new EngineConnectException(EngineConnectException.Reason.START_FAILED,
                            "only " + cluster.engines().size() + " of " + options.engines() + " local engines"
                                    + " joined within " + options.startTimeout().toSeconds() + " s"
                                    + engines.outputSummary(), null);
                }
            } catch (RuntimeException e) {
                cluster.close();
                throw e;
            }
            engines.recordReady(Duration.ofNanos(System.nanoTime() - start));
            LOG.info("{} local engines ready in {} ms", options.engines(),
                    engines.startupTime().map(Duration::toMillis).orElse(-1L));
            return cluster;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            shutDown(client, engines);
            throw new EngineConnectException(EngineConnectException.Reason.START_FAILED,
                    "interrupted while engines were starting", e);
        } catch (RuntimeException e) {
            shutDown(client, engines);
            throw e;
        }
    }

    private static void shutDown(HazelcastInstance client, LocalEngines engines) {
        if (client != null) {
            client.shutdown();
        }
        engines.close();
    }

    private static ClientConfig clientConfig(String clusterName, List<EngineAddress> addresses, Duration timeout) {
        ClientConfig config = new ClientConfig();
        config.setClusterName(clusterName);
        config.setInstanceName("greylab-client-" + UUID.randomUUID());
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        // Greylab closes its client itself, after a run has ended: Hazelcast's own hook would close it at Ctrl-C while
        // the run is still cancelling, and the run would end in a disconnection error instead of its summary
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        // an engine that vanishes without closing its connections (a machine unplugged) is noticed in 15 s, not 60
        config.setProperty("hazelcast.client.heartbeat.interval", "2000");
        config.setProperty("hazelcast.client.heartbeat.timeout", "15000");
        config.getMetricsConfig().setEnabled(false);
        config.getNetworkConfig()
                .setAddresses(addresses.stream().map(EngineAddress::toString).collect(Collectors.toList()))
                .setConnectionTimeout((int) Math.min(timeout.toMillis(), 5_000));
        // Hazelcast's default would try to connect for ever; Greylab gives up after the timeout and says why
        config.getConnectionStrategyConfig().setReconnectMode(ReconnectMode.ON);
        ConnectionRetryConfig retry = config.getConnectionStrategyConfig().getConnectionRetryConfig();
        retry.setClusterConnectTimeoutMillis(timeout.toMillis())
                .setInitialBackoffMillis(100)
                .setMaxBackoffMillis(1_000)
                .setMultiplier(1.5)
                .setJitter(0.1);
        WireTypes.secure(config.getSerializationConfig());
        // what a member answers is resolved through the same narrow class loader as on the engines
        config.setClassLoader(WireTypes.classLoader());
        return config;
    }

    /** Hazelcast says "Unable to connect to any cluster" in every case; a plain TCP probe tells the cases apart. */
    private static EngineConnectException diagnose(String clusterName, List<EngineAddress> addresses,
                                                   Duration timeout, RuntimeException failure) {
        List<String> answering = new ArrayList<>();
        for (EngineAddress address : addresses) {
            for (int port : address.candidatePorts()) {
                if (answers(address.host(), port)) {
                    answering.add(new EngineAddress(address.host(), port).toString());
                }
            }
        }
        String tried = addresses.stream().map(EngineAddress::describe).collect(Collectors.joining(", "));
        if (answering.isEmpty()) {
            return new EngineConnectException(EngineConnectException.Reason.NO_ANSWER,
                    "no engine answers at " + tried + " (waited " + seconds(timeout) + "): start engines there"
                            + " (java -jar engine-node.jar --cluster " + clusterName + " --interface IP),"
                            + " or check the address and that no firewall blocks the port", failure);
        }
        return new EngineConnectException(EngineConnectException.Reason.WRONG_CLUSTER,
                "an engine answers at " + String.join(", ", answering) + " but not for cluster \"" + clusterName
                        + "\": check --cluster (each engine prints its cluster name when it starts)", failure);
    }

    private static boolean answers(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), PROBE_TIMEOUT_MILLIS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }
}
