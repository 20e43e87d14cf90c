package org.greylab.engine.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.greylab.core.image.ConversionSettings;
import org.greylab.core.image.Stage;
import org.greylab.core.schedule.ConvertTask;
import org.greylab.core.schedule.TaskOutcome;
import org.greylab.core.testing.IccBomb;
import org.greylab.core.testing.Samples;
import org.greylab.engine.TestEngines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What an engine does to bound its own memory against hostile or huge images. */
class EngineMemoryTest {

    private final TestEngines engines = new TestEngines();
    private HazelcastEngineCluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
        engines.close();
    }

    private HazelcastEngineCluster connect() {
        cluster = HazelcastEngineCluster.connect(engines.clusterName(), engines.addresses(), Duration.ofSeconds(10));
        return cluster;
    }

    @Test
    void anEngineRefusesAnImageAboveItsOwnPixelLimitWhateverTheTaskAllows() throws Exception {
        engines.start(engines.settings().withMaxPixels(100_000));
        // camera.png is 512 x 512 = 262,144 pixels; the task allows the default 250 megapixels
        ConvertTask task = new ConvertTask(1, "camera.png", Samples.bytes("camera.png"), ConversionSettings.defaults());

        TaskOutcome outcome = connect().submit(0, task).get(30, TimeUnit.SECONDS);

        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.failedStage()).isEqualTo(Stage.DECODE);
        assertThat(outcome.failureReason()).contains("megapixel");
    }

    @Test
    void twoImagesThatTogetherExceedThePixelBudgetRunOneAfterTheOtherEvenWithTwoFreeSlots() throws Exception {
        // 512 x 512 = 262,144 pixels each; the engine's limit (and so its slots' budget) is 300,000
        engines.start(engines.settings().withSlots(2).withMaxPixels(300_000));
        byte[] camera = Samples.bytes("camera.png");
        connect();

        var first = cluster.submit(0, new ConvertTask(1, "a.png", camera, ConversionSettings.defaults()));
        var second = cluster.submit(0, new ConvertTask(2, "b.png", camera, ConversionSettings.defaults()));
        TaskOutcome a = first.get(30, TimeUnit.SECONDS);
        TaskOutcome b = second.get(30, TimeUnit.SECONDS);

        assertThat(a.succeeded()).isTrue();
        assertThat(b.succeeded()).isTrue();
        boolean overlapped = a.startedMicros() < b.finishedMicros() && b.startedMicros() < a.finishedMicros();
        assertThat(overlapped).as("kernel runs of %s and %s overlap", a, b).isFalse();
    }

    @Test
    void theIccBombFailsFastOnTheEngineNamingTheIccLimitAndTheEngineKeepsServing() throws Exception {
        engines.start(1);
        byte[] bomb = IccBomb.png();
        connect();
        long start = System.nanoTime();

        TaskOutcome outcome = cluster.submit(0, new ConvertTask(1, "bomb.png", bomb, ConversionSettings.defaults()))
                .get(30, TimeUnit.SECONDS);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.failureReason()).contains("ICC limit");
        assertThat(cluster.submit(0, new ConvertTask(2, "camera.png", Samples.bytes("camera.png"),
                ConversionSettings.defaults())).get(30, TimeUnit.SECONDS).succeeded()).isTrue();
    }
}
