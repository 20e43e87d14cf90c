package org.greylab.core.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.greylab.core.image.ConversionSettings;
import org.greylab.core.image.GreyscaleKernel;
import org.greylab.core.image.Stage;
import org.greylab.core.schedule.Mode;
import org.greylab.core.job.BatchPlan;
import org.greylab.core.job.BatchPlanner;
import org.greylab.core.job.FileResult;
import org.greylab.core.job.ImagePipeline;
import org.greylab.core.job.OverwritePolicy;
import org.greylab.core.schedule.SerialStrategy;
import org.greylab.core.testing.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchReportTest {

    @TempDir
    Path tmp;

    private BatchPlan plan(Path in, Path out) throws Exception {
        BatchPlan plan = new BatchPlanner().plan(List.of(in), out, ConversionSettings.defaults(),
                OverwritePolicy.SKIP, true);
        BatchPlanner.prepareOutputFolder(plan);
        return plan;
    }

    @Test
    void countsBytesAndPixelsFromTheRowsOfARealRun() throws Exception {
        Path in = tmp.resolve("in");
        TestFiles.copySample("china.jpg", in.resolve("b/china.jpg"));
        TestFiles.copySample("space/iss.png", in.resolve("a.png"));
        TestFiles.write(in.resolve("c-fake.png"), "text");
        TestFiles.write(in.resolve("readme.txt"), "words");
        Path out = tmp.resolve("out");
        BatchPlan plan = plan(in, out);

        List<FileResult> rows = new SerialStrategy(new ImagePipeline(new GreyscaleKernel())).run(plan, e -> { });
        BatchReport report = BatchReport.of(plan, Mode.SERIAL, rows, 2_000_000_000L, false);

        BufferedImage china = ImageIO.read(in.resolve("b/china.jpg").toFile());
        BufferedImage iss = ImageIO.read(in.resolve("a.png").toFile());
        long pixels = (long) china.getWidth() * china.getHeight() + (long) iss.getWidth() * iss.getHeight();
        assertThat(report.converted()).isEqualTo(2);
        assertThat(report.skipped()).isEqualTo(1);
        assertThat(report.failed()).isEqualTo(1);
        assertThat(report.notRun()).isZero();
        assertThat(report.pixels()).isEqualTo(pixels);
        assertThat(report.bytesIn()).isEqualTo(Files.size(in.resolve("b/china.jpg")) + Files.size(in.resolve("a.png")));
        assertThat(report.bytesOut()).isEqualTo(Files.size(out.resolve("b/china.jpg")) + Files.size(out.resolve("a.png")));
        assertThat(report.imagesPerSecond()).isEqualTo(1.0);
        assertThat(report.megapixelsPerSecond()).isEqualTo(pixels / 1e6 / 2);
        assertThat(report.files()).extracting(FileResult::input)
                .containsExactly("a.png", "b/china.jpg", "c-fake.png", "readme.txt");
        assertThat(report.errors()).singleElement().satisfies(row -> {
            assertThat(row.input()).isEqualTo("c-fake.png");
            assertThat(row.stage()).isEqualTo(Stage.DECODE);
        });
        assertThat(report.stageTotals().decodeNanos()).isPositive();
    }

    @Test
    void countsImagesACancelLeftUndone() throws Exception {
        Path in = tmp.resolve("in");
        TestFiles.copySample("space/iss.png", in.resolve("a.png"));
        TestFiles.copySample("space/shuttle.png", in.resolve("b.png"));
        BatchPlan plan = plan(in, tmp.resolve("out"));
        FileResult first = new ImagePipeline(new GreyscaleKernel()).convertLocally(plan, plan.jobs().get(0));

        BatchReport report = BatchReport.of(plan, Mode.SERIAL, List.of(first), 1_000_000L, true);

        assertThat(report.cancelled()).isTrue();
        assertThat(report.converted()).isEqualTo(1);
        assertThat(report.notRun()).isEqualTo(1);
    }

    @Test
    void givesNoThroughputWhenNoTimePassed() throws Exception {
        Path in = tmp.resolve("in");
        TestFiles.copySample("space/iss.png", in.resolve("a.png"));
        BatchPlan plan = plan(in, tmp.resolve("out"));

        BatchReport report = BatchReport.of(plan, Mode.SERIAL, List.of(), 0, false);

        assertThat(report.imagesPerSecond()).isZero();
        assertThat(report.megapixelsPerSecond()).isZero();
    }
}
