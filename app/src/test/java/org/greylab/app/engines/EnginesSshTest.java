package org.greylab.app.engines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.greylab.app.testing.TestFx;
import org.greylab.engine.client.ClusterFile;
import org.greylab.engine.client.EngineAddress;
import org.greylab.engine.security.ClusterKey;
import org.greylab.engine.ssh.SshEngines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engines panel's start over ssh, without a Stage: a row per host that follows the start, through the real
 * cluster service and the system's real ssh, against hosts that cannot be reached (installer/lab/lab.sh starts
 * engines on real hosts).
 */
class EnginesSshTest {

    @TempDir
    Path tmp;

    private final TestFx fx = new TestFx();
    private HazelcastClusterService service;
    private EnginesViewModel model;
    private String savedBundle;

    @BeforeEach
    void panel() throws Exception {
        savedBundle = System.getProperty(SshEngines.BUNDLE_PROPERTY);
        // never copied: no host is reached
        System.setProperty(SshEngines.BUNDLE_PROPERTY,
                Files.writeString(tmp.resolve(SshEngines.bundleName()), "not used").toString());
        service = new HazelcastClusterService(tmp.resolve("ssh.cluster"));
        model = new EnginesViewModel(fx.executor(), service);
    }

    @AfterEach
    void close() {
        service.close();
        fx.close();
        if (savedBundle == null) {
            System.clearProperty(SshEngines.BUNDLE_PROPERTY);
        } else {
            System.setProperty(SshEngines.BUNDLE_PROPERTY, savedBundle);
        }
    }

    @Test
    void eachHostGetsARowThatSaysWhyItFailedAndNoEngineIsHeld() {
        fx.run(() -> {
            model.sshHostsProperty().set("nosuchhost.invalid, ada@nosuchhost2.invalid:2");
            model.startOverSsh();
        });

        await().atMost(Duration.ofSeconds(60)).until(() -> fx.call(() -> model.statusProperty().get()
                == EnginesViewModel.Status.NONE));
        List<String> rows = fx.call(() -> model.hosts().stream().map(h -> h.hostProperty().get() + " "
                + h.enginesProperty().get() + " " + h.stateProperty().get()).toList());
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).startsWith("nosuchhost.invalid 0/1 failed: unreachable: ssh: Could not resolve");
        assertThat(rows.get(1)).startsWith("ada@nosuchhost2.invalid:2 0/2 failed: unreachable");
        assertThat(fx.call(() -> model.errorProperty().get())).startsWith("No engine started: nosuchhost.invalid:"
                + " unreachable");
        assertThat(service.current()).isEmpty();
        assertThat(tmp.resolve("ssh.cluster")).doesNotExist();
    }

    @Test
    void noHostsIsSaidWithoutStartingAnything() {
        fx.run(model::startOverSsh);

        assertThat(fx.call(() -> model.errorProperty().get())).contains("[user@]host[:engines]");
        assertThat(fx.call(() -> model.hosts())).isEmpty();
        assertThat(fx.call(() -> model.statusProperty().get())).isEqualTo(EnginesViewModel.Status.NONE);
    }

    @Test
    void aHostSpecThatIsNotOneIsRefusedWithItsWords() {
        fx.run(() -> {
            model.sshHostsProperty().set("pc21:0");
            model.startOverSsh();
        });

        await().atMost(Duration.ofSeconds(30)).until(() -> !fx.call(() -> model.errorProperty().get()).isEmpty());
        assertThat(fx.call(() -> model.errorProperty().get())).contains("pc21:0").contains("1-64");
    }

    @Test
    void stopWithNothingStartedOverSshSaysSo() {
        fx.run(model::stopOverSsh);

        await().atMost(Duration.ofSeconds(30)).until(() -> fx.call(() -> model.statusProperty().get()
                == EnginesViewModel.Status.NONE));
        assertThat(fx.call(() -> model.messageProperty().get())).isEqualTo("No engines started over ssh are"
                + " running.");
    }

    @Test
    void aStartNeverForgetsEnginesTheClusterFileStillNames() throws Exception {
        new ClusterFile("greylab-ssh-earlier", List.of(new EngineAddress("10.0.0.21", 5701)), List.of(),
                Instant.now(), ClusterKey.generate(), List.of(new ClusterFile.HostEngines("pc21", List.of(4242L))),
                null).write(tmp.resolve("ssh.cluster"));
        fx.run(() -> {
            model.sshHostsProperty().set("nosuchhost.invalid");
            model.startOverSsh();
        });

        await().atMost(Duration.ofSeconds(30)).until(() -> !fx.call(() -> model.errorProperty().get()).isEmpty());
        assertThat(fx.call(() -> model.errorProperty().get())).contains("press Stop (SSH) first");
        assertThat(fx.call(() -> model.hosts())).isEmpty();
        assertThat(ClusterFile.read(tmp.resolve("ssh.cluster")).orElseThrow()
                .clusterName()).isEqualTo("greylab-ssh-earlier");
    }
}
