package org.greylab.app.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.greylab.app.testing.TestFx;
import org.greylab.core.image.ConversionSettings;
import org.greylab.core.image.Decoders;
import org.greylab.core.image.StageTimings;
import org.greylab.core.job.OverwritePolicy;
import org.greylab.core.run.ModeResult;
import org.greylab.core.run.RunEvent;
import org.greylab.core.schedule.EngineInfo;
import org.greylab.core.schedule.Mode;
import org.greylab.core.stats.BatchReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsViewModelTest {

    private final TestFx fx = new TestFx();
    private final ResultsViewModel model = new ResultsViewModel(fx.executor());

    @TempDir
    Path tmp;

    @AfterEach
    void stop() {
        fx.close();
    }

    private static final List<EngineInfo> TWO_ENGINES = List.of(
            new EngineInfo(0, "a", "127.0.0.1:5701", 1, 2, "0.1.0", Decoders.JAVA_ONLY),
            new EngineInfo(1, "b", "127.0.0.1:5702", 1, 2, "0.1.0", Decoders.JAVA_ONLY));

    /** A mode's figures as the run service derives them: {@code serialSeconds} null when serial was not run. */
    private static RunEvent finished(Mode mode, int images, double seconds, Double serialSeconds) {
        long wall = (long) (seconds * 1e9);
        BatchReport report = new BatchReport(mode, false, List.of(), Path.of("out"), ConversionSettings.defaults(),
                OverwritePolicy.SKIP, images, 0, 0, 0, 1000, 1000, images * 1_000_000L, wall,
                StageTimings.NONE, List.of(), null, 0);
        ModeResult result = new ModeResult(mode, report, mode.needsEngines() ? TWO_ENGINES : List.of(),
                List.of(wall), serialSeconds == null ? null : (long) (serialSeconds * 1e9), null);
        return new RunEvent.ModeFinished(0, 0, result, 0);
    }

    private void fillCompare() {
        fx.run(() -> model.onRunEvents(List.of(finished(Mode.SERIAL, 10, 4.0, 4.0),
                finished(Mode.DIRECT, 10, 2.5, 4.0), finished(Mode.BALANCED, 10, 2.0, 4.0))));
    }

    @Test
    void eachFinishedModeAddsARowWithTheRunsSpeedupAndEfficiencyPerSlot() {
        fillCompare();

        List<ResultRow> rows = fx.call(() -> List.copyOf(model.rows()));
        assertThat(rows).extracting(ResultRow::speedup).containsExactly(1.0, 1.6, 2.0);
        assertThat(rows.get(2).efficiency()).isEqualTo(1.0);
        assertThat(rows.get(0).slots()).isEqualTo(1);
        assertThat(rows.get(2).megapixelsPerSecond()).isEqualTo(5.0);
    }

    @Test
    void aDistributedRunWithoutSerialHasNoSpeedup() {
        fx.run(() -> model.onRunEvents(List.of(finished(Mode.BALANCED, 10, 2.0, null))));

        assertThat(fx.call(() -> model.rows().get(0).speedup())).isNaN();
        assertThat(fx.call(model::markdown)).contains("| balanced | 2 | 2 | 10 | 2.000 | 5.00 | 5.00 | – | – |");
    }

    @Test
    void csvAndJsonExportsHoldEveryRow() throws Exception {
        fillCompare();
        Path csv = tmp.resolve("t.csv");
        Path json = tmp.resolve("t.json");

        fx.run(() -> {
            model.exportCsv(csv);
            model.exportJson(json);
        });

        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(csv) && Files.exists(json));
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.readAllLines(csv).size() == 4);
        assertThat(Files.readAllLines(csv).get(0)).startsWith("mode,engines,slots,images,wall_s");
        assertThat(Files.readAllLines(csv).get(3)).startsWith("balanced,2,2,10,2.000,5.00,5.00,2.00,1.00");
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.size(json) > 0);
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.get("modes")).hasSize(3);
        assertThat(root.get("modes").get(1).get("speedup").asDouble()).isEqualTo(1.6);
    }

    @Test
    void markdownIsATableWithOneLinePerRun() {
        fillCompare();

        String md = fx.call(model::markdown);

        assertThat(md.lines()).hasSize(5);
        assertThat(md).startsWith("| mode | engines |").contains("| serial | 0 | 1 | 10 | 4.000 |");
    }
}
