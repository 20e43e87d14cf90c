package org.greylab.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.greylab.core.testing.Samples.files;
import static org.greylab.core.testing.TestFiles.copySample;
import static org.greylab.core.testing.TestFiles.write;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.greylab.core.image.ConversionSettings;
import org.greylab.core.image.GreyscaleKernel;
import org.greylab.core.image.Stage;
import org.greylab.core.testing.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagePipelineTest {

    @TempDir
    Path tmp;

    private final ImagePipeline pipeline = new ImagePipeline(new GreyscaleKernel());

    private BatchPlan plan(Path in, Path out, OverwritePolicy policy) throws Exception {
        return new BatchPlanner().plan(List.of(in), out, ConversionSettings.defaults(), policy, true);
    }

    private static ImageJob job(BatchPlan plan, String relativePath) {
        return plan.jobs().stream().filter(j -> j.relativePath().equals(relativePath)).findFirst().orElseThrow();
    }

    @Test
    void writesADecodableOutputUnderThePlannedName() throws Exception {
        Path in = tmp.resolve("in");
        copySample("space/iss.png", in.resolve("sub/iss.png"));
        BatchPlan plan = plan(in, tmp.resolve("out"), OverwritePolicy.SKIP);

        FileResult row = pipeline.convertLocally(plan, job(plan, "sub/iss.png"));

        assertThat(row.status()).isEqualTo(FileStatus.CONVERTED);
        assertThat(row.output()).isEqualTo("sub/iss.png");
        Path out = tmp.resolve("out/sub/iss.png");
        assertThat(row.bytesOut()).isEqualTo(Files.size(out));
        var written = ImageIO.read(out.toFile());
        var original = ImageIO.read(in.resolve("sub/iss.png").toFile());
        assertThat(written.getWidth()).isEqualTo(original.getWidth());
        assertThat(row.pixels()).isEqualTo((long) original.getWidth() * original.getHeight());
        assertThat(files(tmp.resolve("out"))).containsExactly("sub/iss.png");
    }

    @Test
    void leavesNoPartialFileWhenTheFinalMoveFails() throws Exception {
        Path in = tmp.resolve("in");
        copySample("space/iss.png", in.resolve("iss.png"));
        Path out = tmp.resolve("out");
        BatchPlan plan = plan(in, out, OverwritePolicy.OVERWRITE);
        // a non-empty folder sits where the output goes: even root cannot rename a file over it
        write(out.resolve("iss.png/keep.txt"), "in the way");

        FileResult row = pipeline.convertLocally(plan, job(plan, "iss.png"));

        assertThat(row.status()).isEqualTo(FileStatus.FAILED);
        assertThat(row.stage()).isEqualTo(Stage.WRITE);
        assertThat(row.reason()).startsWith("the output could not be written");
        assertThat(files(out)).containsExactly("iss.png/keep.txt");
    }

    @Test
    void failsAtWriteWhenAFileStandsWhereAFolderMustGo() throws Exception {
        Path in = tmp.resolve("in");
        copySample("space/iss.png", in.resolve("sub/iss.png"));
        Path out = tmp.resolve("out");
        BatchPlan plan = plan(in, out, OverwritePolicy.SKIP);
        write(out.resolve("sub"), "a file named like the folder");

        FileResult row = pipeline.convertLocally(plan, job(plan, "sub/iss.png"));

        assertThat(row.stage()).isEqualTo(Stage.WRITE);
        assertThat(files(out)).containsExactly("sub");
    }

    @Test
    void refusesToWriteThroughALinkThatLeadsOutsideTheOutputFolder() throws Exception {
        Path in = tmp.resolve("in");
        copySample("space/iss.png", in.resolve("sub/iss.png"));
        Path out = tmp.resolve("out");
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Files.createDirectories(out);
        Files.createSymbolicLink(out.resolve("sub"), elsewhere);
        BatchPlan plan = plan(in, out, OverwritePolicy.SKIP);

        FileResult row = pipeline.convertLocally(plan, job(plan, "sub/iss.png"));

        assertThat(row.status()).isEqualTo(FileStatus.FAILED);
        assertThat(row.reason()).contains("leads outside");
        assertThat(elsewhere).isEmptyDirectory();
    }

    @Test
    void leavesAFileThatAppearedAfterPlanningAloneUnderSkip() throws Exception {
        Path in = tmp.resolve("in");
        copySample("space/iss.png", in.resolve("iss.png"));
        Path out = tmp.resolve("out");
        BatchPlan plan = plan(in, out, OverwritePolicy.SKIP);
        write(out.resolve("iss.png"), "the user's own file");

        FileResult row = pipeline.convertLocally(plan, job(plan, "iss.png"));

        assertThat(row.stage()).isEqualTo(Stage.WRITE);
        assertThat(row.reason()).contains("appeared after the batch was planned");
        assertThat(Files.readString(out.resolve("iss.png"))).isEqualTo("the user's own file");
    }

    @Test
    void writingTheSameJobTwiceIsHarmless() throws Exception {
        Path in = tmp.resolve("in");
        copySample("space/iss.png", in.resolve("iss.png"));
        Path out = tmp.resolve("out");
        BatchPlan plan = plan(in, out, OverwritePolicy.SKIP);

        FileResult first = pipeline.convertLocally(plan, job(plan, "iss.png"));
        String firstHash = TestFiles.sha256(out.resolve("iss.png"));
        FileResult second = pipeline.convertLocally(plan, job(plan, "iss.png"));

        assertThat(first.status()).isEqualTo(FileStatus.CONVERTED);
        assertThat(second.status()).isEqualTo(FileStatus.CONVERTED);
        assertThat(TestFiles.sha256(out.resolve("iss.png"))).isEqualTo(firstHash);
        assertThat(files(out)).containsExactly("iss.png");
    }

    @Test
    void reportsATextFileNamedPngAsFailedAtDecode() throws Exception {
        Path in = tmp.resolve("in");
        write(in.resolve("fake.png"), "plain text pretending to be a picture");
        Path out = tmp.resolve("out");
        BatchPlan plan = plan(in, out, OverwritePolicy.SKIP);

        FileResult row = pipeline.convertLocally(plan, job(plan, "fake.png"));

        assertThat(row.status()).isEqualTo(FileStatus.FAILED);
        assertThat(row.stage()).isEqualTo(Stage.DECODE);
        assertThat(row.reason()).isNotBlank();
        assertThat(row.output()).isNull();
        assertThat(files(out)).isEmpty();
    }

    @Test
    void reportsAnEmptyFileAsFailedAtRead() throws Exception {
        Path in = tmp.resolve("in");
        TestFiles.empty(in.resolve("empty.jpg"));
        BatchPlan plan = plan(in, tmp.resolve("out"), OverwritePolicy.SKIP);

        FileResult row = pipeline.convertLocally(plan, job(plan, "empty.jpg"));

        assertThat(row.stage()).isEqualTo(Stage.READ);
        assertThat(row.reason()).contains("empty");
    }

    @Test
    void reportsAJpegCutInItsHeaderAsFailedAtDecode() throws Exception {
        Path in = tmp.resolve("in");
        TestFiles.truncatedSample("china.jpg", 600, in.resolve("cut.jpg"));
        BatchPlan plan = plan(in, tmp.resolve("out"), OverwritePolicy.SKIP);

        FileResult row = pipeline.convertLocally(plan, job(plan, "cut.jpg"));

        assertThat(row.stage()).isEqualTo(Stage.DECODE);
        assertThat(row.reason()).isNotBlank();
        assertThat(files(tmp.resolve("out"))).isEmpty();
    }

    @Test
    void reportsAnInputThatVanishedAsFailedAtRead() throws Exception {
        Path in = tmp.resolve("in");
        Path file = copySample("space/iss.png", in.resolve("iss.png"));
        BatchPlan plan = plan(in, tmp.resolve("out"), OverwritePolicy.SKIP);
        Files.delete(file);

        FileResult row = pipeline.convertLocally(plan, job(plan, "iss.png"));

        assertThat(row.stage()).isEqualTo(Stage.READ);
        assertThat(row.reason()).contains("no longer exists");
    }
}
