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
        input = new InputViewModel(fx.executor());
        timeline = new TimelineViewModel();
        results = new ResultsViewModel(fx.executor());
        run = new RunViewModel(fx.executor(), input, clusters, folder -> { });
        run.subscribe(input);
        run.subscribe(engines);
        run.subscribe(timeline);
        run.subscribe(results);
    }

    private void load(Path folder) {
        fx.run(() -> input.addFolder(folder));
        await().atMost(Duration.ofSeconds(20)).until(() -> fx.call(() -> !input.scanningProperty().get()
                && !input.images().isEmpty()));
    }

    private static List<Path> compareFolders() throws IOException {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("greylab-compare-")).toList();
        }
    }

    @Test
    void compareOnTwoEnginesFillsThreeRowsWithIdenticalOutputs() throws Exception {
        load(Samples.folder());
        Path out = tmp.resolve("out");
        List<Path> before = compareFolders();
        fx.run(() -> {
            run.options().modesProperty().set(Mode.ALL);
            run.options().policyProperty().set(OverwritePolicy.OVERWRITE);
            run.options().outputProperty().set(out.toString());
        });

        fx.run(run::run);
        await().atMost(Duration.ofSeconds(240)).until(() -> fx.call(() -> !run.isRunning()));

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
        assertThat(compareFolders()).isEqualTo(before);
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
        fx.run(() -> {
            run.options().modesProperty().set(List.of(Mode.BALANCED));
            run.options().outputProperty().set(tmp.resolve("out").toString());
        });

        fx.run(run::run);
        await().atMost(Duration.ofSeconds(120)).until(() -> fx.call(() -> !run.isRunning()));

        List<ErrorRow> errors = fx.call(() -> List.copyOf(run.failed().rows()));
        assertThat(errors).extracting(ErrorRow::file).containsExactly("empty.jpg", "fake.png");
        assertThat(errors.get(0).stage()).isEqualTo("read");
        assertThat(errors.get(1).stage()).isEqualTo("decode");
        assertThat(errors.get(1).engine()).startsWith("engine ");
        assertThat(Samples.files(tmp.resolve("out"))).containsExactly("good.png");
    }

    @Test
    void cancelDuringABalancedRunIsIdleAtOnceAndLeavesWholeFilesOnly() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("many"));
        Path biggest = Samples.images().stream().max((a, b) -> Long.compare(Samples.size(a), Samples.size(b)))
                .orElseThrow();
        for (int i = 0; i < 80; i++) {
            Files.copy(biggest, folder.resolve("copy-" + i + biggest.getFileName()));
        }
        load(folder);
        Path out = tmp.resolve("out");
        fx.run(() -> {
            run.options().modesProperty().set(List.of(Mode.BALANCED));
            run.options().outputProperty().set(out.toString());
        });
        fx.run(run::run);
        await().atMost(Duration.ofSeconds(60)).until(() -> Samples.files(out).size() >= 2);

        fx.run(run::cancel);

        assertThat(fx.call(() -> run.stateProperty().get())).isEqualTo(RunViewModel.State.IDLE);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                .until(() -> Samples.files(out).stream().noneMatch(f -> f.contains(".part")));
        assertThat(Samples.files(out).size()).isLessThan(80);
        for (String f : Samples.files(out)) {
            assertThat(OutputComparison.pixelDifference(out.resolve(f), out.resolve(f))).as(f).isNull();
        }
        assertThat(fx.call(engines::ready)).isTrue();
    }
}
