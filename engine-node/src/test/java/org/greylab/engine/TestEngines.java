package org.greylab.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.greylab.engine.client.EngineAddress;
import org.greylab.engine.node.EngineNode;
import org.greylab.engine.node.EngineNodeSettings;

/** Real engines on loopback for one test: random cluster name, free ports, and a teardown that stops them all. */
public final class TestEngines implements AutoCloseable {

    public static final String LOOPBACK = "127.0.0.1";

    private final String clusterName = "greylab-test-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<EngineNode> nodes = new ArrayList<>();

    public String clusterName() {
        return clusterName;
    }

    /** An in-JVM engine of this cluster, joining the ones already started. */
    public EngineNode start(int slots) {
        return start(settings().withSlots(slots));
    }

    /** Default settings for this cluster: loopback, a free port, joining the engines already started. */
    public EngineNodeSettings settings() {
        List<String> join = new ArrayList<>();
        int port = freePort();
        join.add(LOOPBACK + ":" + port);
        for (EngineNode node : nodes) {
            join.add(node.address());
        }
        return EngineNodeSettings.defaults(clusterName).withPort(port).withJoin(join).withSlots(1);
    }

    public EngineNode start(EngineNodeSettings settings) {
        EngineNode node = EngineNode.start(settings);
        nodes.add(node);
        return node;
    }

    public List<EngineAddress> addresses() {
        return nodes.stream().map(node -> EngineAddress.parse(node.address())).toList();
    }

    @Override
    public void close() {
        for (EngineNode node : nodes) {
            node.kill();
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
