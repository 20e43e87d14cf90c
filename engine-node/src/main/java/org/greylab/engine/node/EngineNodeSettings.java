package org.greylab.engine.node;

import java.util.List;
import java.util.Objects;
import org.greylab.engine.GreylabVersion;
import org.greylab.engine.security.ClusterKey;

/**
 * How to start one engine: what the {@code engine-node} options say, as a value (tests start engines in-JVM from it).
 *
 * @param clusterName the Hazelcast cluster name; engines and clients meet only within one
 * @param bindAddress the one IP address the engine binds to and advertises
 * @param port        the exact port, or 0 for "5701, counting up if taken"
 * @param join        peers as {@code HOST[:PORT]}; empty means this interface at ports 5701-5703
 * @param slots       how many images the engine converts at once
 * @param name        the engine's label, or null for {@code HOST:PORT}
 * @param version     the Greylab version the engine publishes (the build's own, unless a test says otherwise)
 * @param key         the cluster key; {@link ClusterKey#none()} for an engine without one (insecure)
 * @param maxPixels   the most pixels an image may have here; a task's own limit can only lower it
 */
public record EngineNodeSettings(String clusterName, String bindAddress, int port, List<String> join, int slots,
                                 String name, String version, ClusterKey key, long maxPixels) {

    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
    public static final int DEFAULT_PORT = 5701;
    /** Without {@code --join}, an engine looks for peers on its own interface at 5701 and the two ports above. */
    public static final int DEFAULT_PEER_PORTS = 3;

    public EngineNodeSettings {
        Objects.requireNonNull(clusterName, "clusterName");
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(key, "key");
        if (maxPixels < 1) {
            throw new IllegalArgumentException("the pixel limit must be positive, not " + maxPixels);
        }
        if (clusterName.isBlank()) {
            throw new IllegalArgumentException("the cluster name must not be blank");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("not a port: " + port);
        }
        if (slots < 1) {
            throw new IllegalArgumentException("an engine needs at least one slot, not " + slots);
        }
        join = List.copyOf(join);
    }

    /** An engine of cluster {@code clusterName} on 127.0.0.1 with one slot per core and the defaults otherwise. */
    public static EngineNodeSettings defaults(String clusterName) {
        return new EngineNodeSettings(clusterName, DEFAULT_BIND_ADDRESS, 0, List.of(),
                Runtime.getRuntime().availableProcessors(), null, GreylabVersion.current(), ClusterKey.none(),
                org.greylab.core.image.ConversionSettings.DEFAULT_MAX_PIXELS);
    }

    public EngineNodeSettings withPort(int newPort) {
        return new EngineNodeSettings(clusterName, bindAddress, newPort, join, slots, name, version, key, maxPixels);
    }

    public EngineNodeSettings withJoin(List<String> peers) {
        return new EngineNodeSettings(clusterName, bindAddress, port, peers, slots, name, version, key, maxPixels);
    }

    public EngineNodeSettings withSlots(int newSlots) {
        return new EngineNodeSettings(clusterName, bindAddress, port, join, newSlots, name, version, key, maxPixels);
    }

    public EngineNodeSettings withName(String newName) {
        return new EngineNodeSettings(clusterName, bindAddress, port, join, slots, newName, version, key, maxPixels);
    }

    public EngineNodeSettings withBindAddress(String address) {
        return new EngineNodeSettings(clusterName, address, port, join, slots, name, version, key, maxPixels);
    }

    public EngineNodeSettings withKey(ClusterKey newKey) {
        return new EngineNodeSettings(clusterName, bindAddress, port, join, slots, name, version, newKey, maxPixels);
    }

    public EngineNodeSettings withMaxPixels(long limit) {
        return new EngineNodeSettings(clusterName, bindAddress, port, join, slots, name, version, key, limit);
    }

    /** Whether it runs without a cluster key: anyone who reaches it may use it. */
    public boolean insecure() {
        return key.isNone();
    }

    public EngineNodeSettings withVersion(String newVersion) {
        return new EngineNodeSettings(clusterName, bindAddress, port, join, slots, name, newVersion, key, maxPixels);
    }
}
