package org.greylab.app.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.greylab.app.engines.EngineRow;
import org.greylab.app.engines.EnginesViewModel;
import org.greylab.app.engines.HazelcastClusterService;
import org.greylab.app.input.InputViewModel;
import org.greylab.app.results.ResultRow;
import org.greylab.app.results.ResultsViewModel;
import org.greylab.app.testing.TestFx;
import org.greylab.app.timeline.TimelineViewModel;
import org.greylab.core.run.RunService;
import org.greylab.core.schedule.EngineState;
import org.greylab.core.schedule.Mode;
import org.greylab.core.job.OverwritePolicy;
import org.greylab.core.stats.OutputComparison;
import org.greylab.core.testing.Samples;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run and engines view models on two real local engine processes (the shaded engine-node jar), without a
 * Stage: compare, per-engine progress, errors from engines, cancel.
 */
class DistributedRunIT {

    private static TestFx fx;
    private static HazelcastClusterService clusters;
    private static EnginesViewModel engines;
    private RunPanel panel;
    private InputViewModel input;
    private TimelineViewModel timeline;
    private ResultsViewModel results;
    private RunViewModel run;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startEngines() {
        String jar = System.getProperty("greylab.engine.jar", "");
        Assumptions.assumeTrue(!jar.isBlank() && Files.isRegularFile(Path.of(jar)),
                "needs the engine-node jar (mvn verify builds it)");
        fx = new TestFx();
        clusters = new HazelcastClusterService();
        engines = new EnginesViewModel(fx.executor(), clusters);
        fx.run(() -> {
            engines.localCountProperty().set(2);
            engines.startLocal();
        });
        await().atMost(Duration.ofSeconds(90)).until(() -> fx.call(engines::ready));
    }

    @AfterAll
    static void stopEngines() {
        if (engines != null) {
            engines.shutdown();
            fx.close();
        }
    }

    @BeforeEach
    void wire() {
        panel = new RunPanel(fx, clusters, engines, folder -> { });
        input = panel.input;
        timeline = panel.timeline;
        results = panel.results;
        run = panel.run;
    }

    private void load(Path folder) {
        panel.load(folder);
    }

    /** The run service's temporary output folders in the system's temporary folder. */
    private static List<Path> temporaryOutputFolders() throws IOException {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith(RunService.TEMPORARY_FOLDER_PREFIX))
                    .toList();
        }
    }

    @Test
    void compareOnTwoEnginesFillsThreeRowsWithIdenticalOutputs() throws Exception {
        load(Samples.folder());
        Path out = tmp.resolve("out");
        List<Path> before = temporaryOutputFolders();
        fx.run(() -> {
            run.options().modesProperty().set(Mode.ALL);
            run.options().policyProperty().set(OverwritePolicy.OVERWRITE);
            run.options().outputProperty().set(out.toString());
        });

        panel.runAndWait(Duration.ofSeconds(240));

        assertThat(fx.call(() -> run.errorProperty().get())).isEmpty();
        List<ResultRow> rows = fx.call(() -> List.copyOf(results.rows()));
        assertThat(rows).extracting(ResultRow::mode).containsExactlyElementsOf(Mode.ALL);
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.images()).isEqualTo(Samples.images().size());
            assertThat(r.speedup()).isPositive();
        });
        assertThat(rows.get(2).engines()).isEqualTo(2);
        assertThat(rows.get(2).slots()).isEqualTo(2);
        assertThat(fx.call(() -> run.outputsIdentical())).isTrue();
        assertThat(fx.call(() -> run.messageProperty().get())).contains("Direct outputs identical to serial")
                .contains("Balanced outputs identical to serial");
        assertThat(Samples.files(out)).hasSize(Samples.images().size());
        assertThat(temporaryOutputFolders()).isEqualTo(before);
        List<EngineRow> rowsNow = fx.call(() -> List.copyOf(engines.engines()));
        assertThat(rowsNow).hasSize(2).allSatisfy(r -> {
            assertThat(r.progressProperty().get()).isEqualTo(1.0);
            assertThat(r.stateProperty().get()).isEqualTo(EngineState.IDLE);
        });
        assertThat(rowsNow.stream().mapToInt(EngineRow::done).sum()).isEqualTo(Samples.images().size());
        assertThat(fx.call(() -> timeline.lanes().size())).isEqualTo(3);
        assertThat(fx.call(() -> timeline.bars().size())).isGreaterThanOrEqualTo(3 * Samples.images().size());
    }

    @Test
    void badFilesOnEnginesFillTheErrorsList() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("mixed"));
        Files.copy(Samples.folder().resolve("camera.png"), folder.resolve("good.png"));
        Files.write(folder.resolve("empty.jpg"), new byte[0]);
        Files.writeString(folder.resolve("fake.png"), "plain text, not a PNG", StandardCharsets.UTF_8);
        load(folder);
        panel.choose(List.of(Mode.BALANCED), tmp.resolve("out"));

        panel.runAndWait(Duration.ofSeconds(120));

        List<ErrorRow> errors = fx.call(() -> List.copyOf(run.failed().rows()));
        assertThat(errors).extracting(ErrorRow::file).containsExactly("empty.jpg", "fake.png");
        assertThat(errors.get(0).stage()).isEqualTo("read");
        assertThat(errors.get(1).stage()).isEqualTo("decode");
        assertThat(errors.get(1).engine()).startsWith("engine ");
        assertThat(Samples.files(tmp.resolve("out"))).containsExactly("good.png");
    }

    @Test
    void cancelDuringABalancedRunIsIdleAtOnceAndLeavesWholeFilesOnly() throws Exception {
        panel.assertCancelLeavesWholeFilesOnly(Mode.BALANCED, 80, 2, tmp);

        assertThat(fx.call(engines::ready)).isTrue();
    }
}
