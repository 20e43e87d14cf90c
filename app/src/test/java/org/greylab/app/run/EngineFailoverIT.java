package org.greylab.app.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.greylab.app.engines.EngineRow;
import org.greylab.app.engines.EnginesViewModel;
import org.greylab.app.engines.HazelcastClusterService;
import org.greylab.app.input.ImageRow;
import org.greylab.app.input.InputViewModel;
import org.greylab.app.results.ResultsViewModel;
import org.greylab.app.testing.TestFx;
import org.greylab.app.timeline.TimelineBar;
import org.greylab.app.timeline.TimelineViewModel;
import org.greylab.core.schedule.EngineState;
import org.greylab.core.schedule.Mode;
import org.greylab.core.job.OverwritePolicy;
import org.greylab.core.testing.Samples;
import org.greylab.engine.client.EngineProcess;
import org.greylab.engine.client.HazelcastEngineCluster;
import org.greylab.core.stats.OutputComparison;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An engine process killed (SIGKILL, as a crash) while the window's view models run a balanced batch on two
 * real local engines: its row turns "gone", the failover shows, and the batch still converts every image.
 * Its own engines, since this test kills one.
 */
class EngineFailoverIT {

    private TestFx fx;
    private HazelcastClusterService clusters;
    private EnginesViewModel engines;
    private InputViewModel input;
    private TimelineViewModel timeline;
    private RunViewModel run;

    @TempDir
    Path tmp;

    @BeforeEach
    void startEngines() {
        String jar = System.getProperty("greylab.engine.jar", "");
        Assumptions.assumeTrue(!jar.isBlank() && Files.isRegularFile(Path.of(jar)),
                "needs the engine-node jar (mvn verify builds it)");
        fx = new TestFx();
        clusters = new HazelcastClusterService();
        engines = new EnginesViewModel(fx.executor(), clusters);
        input = new InputViewModel(fx.executor());
        timeline = new TimelineViewModel();
        ResultsViewModel results = new ResultsViewModel(fx.executor());
        run = new RunViewModel(fx.executor(), input, clusters, folder -> { });
        run.subscribe(input);
        run.subscribe(engines);
        run.subscribe(timeline);
        run.subscribe(results);
        fx.run(() -> {
            engines.localCountProperty().set(2);
            engines.startLocal();
        });
        await().atMost(Duration.ofSeconds(90)).until(() -> fx.call(engines::ready));
    }

    @AfterEach
    void stopEngines() {
        if (engines != null) {
            engines.shutdown();
            fx.close();
        }
    }

    private void runInto(Mode mode, Path out) {
        fx.run(() -> {
            run.options().modesProperty().set(List.of(mode));
            run.options().policyProperty().set(OverwritePolicy.OVERWRITE);
            run.options().outputProperty().set(out.toString());
            run.run();
        });
    }

    @Test
    void anEngineKilledDuringABalancedRunTurnsGoneAndTheOthersFinishEveryImage() throws Exception {
        // given three copies of every sample (enough work for the kill to land mid-run) and their serial outputs
        Path folder = Files.createDirectories(tmp.resolve("photos"));
        for (Path p : Samples.images()) {
            for (int copy = 0; copy < 3; copy++) {
                Files.copy(p, folder.resolve(copy + "-" + p.getFileName()));
            }
        }
        int count = 3 * Samples.images().size();
        fx.run(() -> input.addFolder(folder));
        await().atMost(Duration.ofSeconds(20)).until(() -> fx.call(() -> input.images().size()) == count);
        Path serial = tmp.resolve("serial");
        runInto(Mode.SERIAL, serial);
        await().atMost(Duration.ofSeconds(120)).until(() -> fx.call(() -> !run.isRunning()));
        assertThat(Samples.files(serial)).hasSize(count);

        // and a balanced run under way, engine 1 busy
        Path out = tmp.resolve("balanced");
        runInto(Mode.BALANCED, out);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                .until(() -> Samples.files(out).size() >= 2 && EngineState.BUSY == fx.call(() -> stateOf("local-1")));

        // when its process dies: stopped first, so that the images it holds are still its own when it dies
        HazelcastEngineCluster cluster = (HazelcastEngineCluster) clusters.current().orElseThrow();
        EngineProcess victim = cluster.localEngines().orElseThrow().processes().stream()
                .filter(p -> p.name().equals("local-1")).findFirst().orElseThrow();
        assertThat(new ProcessBuilder("kill", "-STOP", Long.toString(victim.pid())).start().waitFor()).isZero();
        assertThat(fx.call(run::isRunning)).as("the run is still under way when engine 1 dies").isTrue();
        assertThat(Samples.files(out)).as("outputs written before engine 1 dies").hasSizeLessThan(count);
        victim.kill();

        // then its row turns gone and says its images went to the other engine
        await().atMost(Duration.ofSeconds(30)).until(() -> EngineState.GONE == fx.call(() -> stateOf("local-1")));
        await().atMost(Duration.ofSeconds(120)).until(() -> fx.call(() -> !run.isRunning()));
        EngineRow gone = fx.call(() -> row("local-1"));
        assertThat(fx.call(() -> gone.noteProperty().get())).startsWith("gone: ").contains("re-queued");
        assertThat(fx.call(() -> engines.messageProperty().get())).contains("local-1").contains("is gone");
        List<TimelineBar> bars = fx.call(() -> List.copyOf(timeline.bars()));
        assertThat(bars).anySatisfy(b -> assertThat(b.state()).isEqualTo(TimelineBar.State.RERUN));
        assertThat(fx.call(() -> timeline.lanes().stream().anyMatch(l -> l.gone()))).isTrue();

        // and the batch still converted every image, each one identical to the serial output
        assertThat(fx.call(() -> run.errorProperty().get())).isEmpty();
        assertThat(fx.call(() -> List.copyOf(run.failed().rows()))).isEmpty();
        assertThat(fx.call(() -> input.images().stream().map(ImageRow::statusProperty)
                .map(s -> s.get()).distinct().toList())).containsExactly("converted");
        assertThat(Samples.files(out)).isEqualTo(Samples.files(serial));
        for (String f : Samples.files(out)) {
            assertThat(OutputComparison.pixelDifference(serial.resolve(f), out.resolve(f))).as(f).isNull();
        }
        assertThat(victim.isAlive()).isFalse();
    }

    private EngineState stateOf(String name) {
        EngineRow r = row(name);
        return r == null ? null : r.stateProperty().get();
    }

    private EngineRow row(String name) {
        return engines.engines().stream().filter(r -> name.equals(r.nameProperty().get())).findFirst().orElse(null);
    }
}
