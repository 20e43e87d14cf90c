package org.greylab.engine.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import org.greylab.engine.TestEngines;
import org.greylab.core.image.Decoders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EngineNodeTest {

    private final TestEngines engines = new TestEngines();
    private final TestEngines otherCluster = new TestEngines();

    @AfterEach
    void stopEngines() {
        engines.close();
        otherCluster.close();
    }

    @Test
    void readyLineSaysNameAddressSlotsAndCluster() {
        EngineNode node = engines.start(engines.settings().withSlots(3).withName("bench-7"));

        assertThat(node.readyLine())
                .contains("\"bench-7\"")
                .contains("ready at " + node.address())
                .contains("3 slots")
                .contains("cluster \"" + engines.clusterName() + "\"");
        assertThat(node.address()).isEqualTo("127.0.0.1:" + node.port());
        // what 'greylab engines start' lists the engine by, read back from the line alone
        assertThat(EngineNode.ReadyLine.parse(node.readyLine())).contains(new EngineNode.ReadyLine("bench-7",
                node.address(), 3, engines.clusterName(), node.settings().version(), Decoders.preferred()));
        assertThat(EngineNode.ReadyLine.parse("12:00:01.002 INFO engine started")).isEmpty();
    }

    @Test
    void defaultNameIsHostAndPort() {
        EngineNode node = engines.start(1);

        assertThat(node.name()).endsWith(":" + node.port());
    }

    @Test
    void takenPortIsAClearError() throws Exception {
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress(InetAddress.getByName(TestEngines.LOOPBACK), 0));
            int port = squatter.getLocalPort();

            assertThatThrownBy(() -> engines.start(engines.settings().withPort(port)))
                    .isInstanceOf(EngineStartException.class)
                    .hasMessageContaining("port " + port + " on 127.0.0.1 is taken")
                    .hasMessageContaining("--port");
        }
    }

    @Test
    void interfaceThatIsNotOfThisMachineIsRefused() {
        assertThatThrownBy(() -> engines.start(engines.settings().withBindAddress("192.0.2.1")))
                .isInstanceOf(EngineStartException.class)
                .hasMessageContaining("192.0.2.1 is not an address of this machine");
    }

    @Test
    void engineJoinsThePeersItIsGiven() {
        EngineNode first = engines.start(1);
        EngineNode second = engines.start(1);

        assertThat(second.clusterSize()).isEqualTo(2);
        assertThat(first.clusterSize()).isEqualTo(2);
    }

    @Test
    void engineOfAnotherClusterNameDoesNotJoin() {
        EngineNode lab = engines.start(1);
        EngineNodeSettings strangerSettings = otherCluster.settings();
        EngineNode stranger = otherCluster.start(strangerSettings
                .withJoin(List.of(lab.address(), "127.0.0.1:" + strangerSettings.port())));

        assertThat(stranger.clusterSize()).isEqualTo(1);
        assertThat(lab.clusterSize()).isEqualTo(1);
    }
}
