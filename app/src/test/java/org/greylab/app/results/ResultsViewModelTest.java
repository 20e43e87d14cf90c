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
import org.greylab.core.image.StageTimings;
import org.greylab.core.job.OverwritePolicy;
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

    private static BatchReport report(String mode, int images, double seconds) {
        return new BatchReport(mode, false, List.of(), Path.of("out"), ConversionSettings.defaults(),
                OverwritePolicy.SKIP, images, 0, 0, 0, 1000, 1000, images * 1_000_000L, (long) (seconds * 1e9),
                StageTimings.NONE, List.of());
    }

    private void fillCompare() {
        fx.run(() -> {
            model.add(report("serial", 10, 4.0), 0, 0);
            model.add(report("direct", 10, 2.5), 2, 2);
            model.add(report("balanced", 10, 2.0), 2, 2);
        });
    }

    @Test
    void speedupIsAgainstTheLatestSerialRunAndEfficiencyPerSlot() {
        fillCompare();

        List<ResultRow> rows = fx.call(() -> List.copyOf(model.rows()));
        assertThat(rows).extracting(ResultRow::speedup).containsExactly(1.0, 1.6, 2.0);
        assertThat(rows.get(2).efficiency()).isEqualTo(1.0);
        assertThat(rows.get(0).slots()).isEqualTo(1);
        assertThat(rows.get(2).megapixelsPerSecond()).isEqualTo(5.0);
    }

    @Test
    void aDistributedRunWithoutSerialHasNoSpeedup() {
        fx.run(() -> model.add(report("balanced", 10, 2.0), 2, 2));

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
