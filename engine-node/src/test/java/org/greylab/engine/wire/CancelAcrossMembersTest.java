package org.greylab.engine.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.RoutingMode;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Future;
import org.greylab.engine.EngineAttributes;
import org.greylab.engine.TestEngines;
import org.greylab.engine.node.EngineNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A task cancelled on one engine after another member carried it there, as when a client's own link to that engine
 * is not open (yet): the engine's answer, a CancellationException, crosses from member to member. Real members on
 * loopback; what the members log is what a refused answer shows as.
 */
class CancelAcrossMembersTest {

    private final TestEngines engines = new TestEngines();
    private final ListAppender<ILoggingEvent> hazelcastLog = new ListAppender<>();
    private HazelcastInstance client;

    @BeforeEach
    void listenToHazelcast() {
        hazelcastLog.start();
        hazelcastLogger().addAppender(hazelcastLog);
    }

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.shutdown();
        }
        engines.close();
        hazelcastLogger().detachAppender(hazelcastLog);
    }

    @Test
    void aCancelAnsweredThroughAnotherMemberIsNotRefusedByTheClassFilter() {
        EngineNode relay = engines.start(1);
        EngineNode worker = engines.start(1);
        Member workerMember = connectOnlyTo(relay).getCluster().getMembers().stream()
                .filter(member -> member.getAddress().getPort() == worker.port()).findFirst().orElseThrow();
        int startedBefore = WaitsForItsCancel.started();

        Future<String> task = client.<String>getExecutorService(EngineAttributes.EXECUTOR)
                .submitToMember(new WaitsForItsCancel(), workerMember);
        await().atMost(Duration.ofSeconds(10)).until(() -> WaitsForItsCancel.started() > startedBefore);
        assertThat(task.cancel(true)).as("cancelled while it runs").isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> worker.cancelledTasks() == 1);

        // the worker sent its answer before it confirmed the cancel; the relay reads it on a thread of its own
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .untilAsserted(() -> assertThat(refusals()).as("answers the class filter refused").isEmpty());
    }

    /** What the members logged about a class the filter refused. */
    private List<String> refusals() {
        return hazelcastLog.list.stream().map(CancelAcrossMembersTest::describe)
                .filter(text -> text.contains("is not allowed")).toList();
    }

    private static String describe(ILoggingEvent event) {
        StringBuilder text = new StringBuilder(event.getFormattedMessage());
        for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
            text.append(" / ").append(t.getClassName()).append(": ").append(t.getMessage());
        }
        return text.toString();
    }

    private static Logger hazelcastLogger() {
        return (Logger) LoggerFactory.getLogger("com.hazelcast");
    }

    /** A client whose one link is to {@code relay}: a task for another engine goes through it. */
    private HazelcastInstance connectOnlyTo(EngineNode relay) {
        ClientConfig config = new ClientConfig();
        config.setClusterName(engines.clusterName());
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.getNetworkConfig().addAddress(relay.address()).getClusterRoutingConfig()
                .setRoutingMode(RoutingMode.SINGLE_MEMBER);
        WireTypes.secure(config.getSerializationConfig());
        config.setClassLoader(WireTypes.classLoader());
        client = HazelcastClient.newHazelcastClient(config);
        return client;
    }
}
