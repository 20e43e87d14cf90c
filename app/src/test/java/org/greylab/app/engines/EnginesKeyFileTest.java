package org.greylab.app.engines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.greylab.app.testing.TestFx;
import org.greylab.engine.security.ClusterKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Engines panel's key file: a path the window hands to the connection, checked like the command line's. */
class EnginesKeyFileTest {

    @TempDir
    Path tmp;

    private final TestFx fx = new TestFx();
    private final HazelcastClusterService service = new HazelcastClusterService();
    private final EnginesViewModel model = new EnginesViewModel(fx.executor(), service);

    @AfterEach
    void stop() {
        service.disconnect();
        fx.close();
    }

    @Test
    void aKeyFileOthersCanReadIsRefusedBeforeAnyConnectionWithTheChmodToRun() throws Exception {
        Path key = tmp.resolve("lab.key");
        ClusterKey.generate().writeNew(key);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

        fx.run(() -> {
            model.addressesProperty().set("127.0.0.1:5999");
            model.clusterNameProperty().set("lab1");
            model.keyFileProperty().set(key.toString());
            model.connect();
        });

        await().atMost(Duration.ofSeconds(10)).until(() -> !fx.call(() -> model.errorProperty().get()).isEmpty());
        assertThat(fx.call(() -> model.errorProperty().get())).contains("chmod 600 " + key);
    }
}
