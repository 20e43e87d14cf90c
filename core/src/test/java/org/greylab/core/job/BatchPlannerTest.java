package org.greylab.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.greylab.core.testing.TestFiles.copySample;
import static org.greylab.core.testing.TestFiles.write;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.greylab.core.image.ConversionSettings;
import org.greylab.core.image.OutputFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchPlannerTest {

    @TempDir
    Path tmp;

    private final BatchPlanner planner = new BatchPlanner();

    private BatchPlan plan(Path in, Path out, OutputFormat format, OverwritePolicy policy) throws Exception {
        return planner.plan(List.of(in), out, ConversionSettings.defaults().withFormat(format), policy, true);
    }

    private static List<String> outputs(BatchPlan plan) {
        return plan.jobs().stream().map(ImageJob::outputPath).toList();
    }

    @Test
    void mirrorsTheInputTreeUnderTheOutputFolder() throws Exception {
        Path in = tmp.resolve("in");
        copySample("china.jpg", in.resolve("2024/june/china.jpg"));
        copySample("space/iss.png", in.resolve("2024/iss.png"));
        copySample("space/shuttle.png", in.resolve("shuttle.png"));

        BatchPlan plan = plan(in, tmp.resolve("out"), OutputFormat.KEEP, OverwritePolicy.SKIP);

        assertThat(plan.outputRoot()).isEqualTo(tmp.resolve("out").toAbsolutePath());
        assertThat(plan.jobs()).extracting(ImageJob::relativePath, ImageJob::outputPath).containsExactly(
                org.assertj.core.groups.Tuple.tuple("2024/iss.png", "2024/iss.png"),
                org.assertj.core.groups.Tuple.tuple("2024/june/china.jpg", "2024/june/china.jpg"),
                org.assertj.core.groups.Tuple.tuple("shuttle.png", "shuttle.png"));
        assertThat(plan.jobs()).extracting(ImageJob::index).containsExactly(0, 1, 2);
    }

    @Test
    void changesTheExtensionOnlyWhenTheFormatChanges() throws Exception {
        Path in = tmp.resolve("in");
        copySample("china.jpg", in.resolve("upper.JPEG"));
        copySample("space/iss.png", in.resolve("png-named.jpg"));
        copySample("skyline-sf-dusk.jpeg", in.resolve("noext"));

        BatchPlan keep = plan(in, tmp.resolve("keep"), OutputFormat.KEEP, OverwritePolicy.SKIP);
        BatchPlan png = plan(in, tmp.resolve("png"), OutputFormat.PNG, OverwritePolicy.SKIP);

        assertThat(outputs(keep)).containsExactly("noext.jpg", "png-named.png", "upper.JPEG");
        assertThat(outputs(png)).containsExactly("noext.png", "png-named.png", "upper.png");
    }

    @Test
    void numbersNamesThatWouldCollideIgnoringCaseInListOrder() throws Exception {
        Path in = tmp.resolve("in");
        copySample("china.jpg", in.resolve("a.jpg"));
        copySample("space/iss.png", in.resolve("a.png"));
        copySample("space/iss.png", in.resolve("A.PNG"));

        BatchPlan plan = plan(in, tmp.resolve("out"), OutputFormat.PNG, OverwritePolicy.SKIP);

        assertThat(plan.jobs()).extracting(ImageJob::relativePath, ImageJob::outputPath).containsExactly(
                org.assertj.core.groups.Tuple.tuple("a.jpg", "a.png"),
                org.assertj.core.groups.Tuple.tuple("A.PNG", "A (1).PNG"),
                org.assertj.core.groups.Tuple.tuple("a.png", "a (2).png"));
    }

    @Test
    void namesAJpegAndAPngOfOneNameAPngAndAPngOne() throws Exception {
        Path in = tmp.resolve("in");
        copySample("china.jpg", in.resolve("a.jpg"));
        copySample("space/iss.png", in.resolve("a.png"));

        BatchPlan plan = plan(in, tmp.resolve("out"), OutputFormat.PNG, OverwritePolicy.SKIP);

        assertThat(outputs(plan)).containsExactly("a.png", "a (1).png");
    }

    @Test
    void skipPolicyLeavesExistingOutputsAndSaysSo() throws Exception {
        Path in = tmp.resolve("in");
        copySample("space/iss.png", in.resolve("iss.png"));
        copySample("space/shuttle.png", in.resolve("shuttle.png"));
        Path out = tmp.resolve("out");
        write(out.resolve("iss.png"), "already here");

        BatchPlan plan = plan(in, out, OutputFormat.KEEP, OverwritePolicy.SKIP);

        assertThat(outputs(plan)).containsExactly("shuttle.png");
        assertThat(plan.skipped()).singleElement().satisfies(row -> {
            assertThat(row.input()).isEqualTo("iss.png");
            assertThat(row.reason()).contains("output exists").contains("iss.png");
        });
    }

    @Test
    void skipPolicyConvertsAgainAnOutputThatACrashLeftEmptyOrCutShort() throws Exception {
        Path in = tmp.resolve("in");
        copySample("space/iss.png", in.resolve("iss.png"));
        copySample("space/shuttle.png", in.resolve("shuttle.png"));
        copySample("china.jpg", in.resolve("china.jpg"));
        Path out = tmp.resolve("out");
        ImagePipeline pipeline = new ImagePipeline(new org.greylab.core.image.GreyscaleKernel());
        BatchPlan first = plan(in, out, OutputFormat.KEEP, OverwritePolicy.SKIP);
        BatchPlanner.prepareOutputFolder(first);
        for (ImageJob job : first.jobs()) {
            assertThat(pipeline.convertLocally(first, job).status()).isEqualTo(FileStatus.CONVERTED);
        }
        byte[] whole = Files.readAllBytes(out.resolve("shuttle.png"));
        Files.write(out.resolve("iss.png"), new byte[0]);
        Files.write(out.resolve("shuttle.png"), java.util.Arrays.copyOf(whole, whole.length - 5));

        BatchPlan again = plan(in, out, OutputFormat.KEEP, OverwritePolicy.SKIP);
        ImagePipeline rerun = new ImagePipeline(new org.greylab.core.image.GreyscaleKernel());
        for (ImageJob job : again.jobs()) {
            assertThat(rerun.convertLocally(again, job).status()).isEqualTo(FileStatus.CONVERTED);
        }

        assertThat(outputs(again)).containsExactly("iss.png", "shuttle.png");
        assertThat(again.skipped()).extracting(FileResult::input).containsExactly("china.jpg");
        assertThat(Files.readAllBytes(out.resolve("shuttle.png"))).isEqualTo(whole);
        assertThat(OutputCompleteness.looksComplete(out.resolve("iss.png"))).isTrue();
    }

    @Test
    void preparingRemovesTemporaryFilesAKilledRunLeftAndKeepsFreshOnes() throws Exception {
        Path in = tmp.resolve("in");
        copySample("space/iss.png", in.resolve("iss.png"));
        Path out = tmp.resolve("out");
        Path old = write(out.resolve("sub/.greylab-1a2b.part"), "half an image");
        Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.fromMillis(
                System.currentTimeMillis() - 3_600_000));
        // another run writing into the same folder right now
        Path fresh = write(out.resolve(".greylab-3c4d.part"), "being written");
        Path unrelated = write(out.resolve("notes.part"), "the user's");

        List<Path> removed = BatchPlanner.prepareOutputFolder(plan(in, out, OutputFormat.KEEP,
                OverwritePolicy.SKIP));

        assertThat(removed).containsExactly(old);
        assertThat(old).doesNotExist();
        assertThat(fresh).exists();
        assertThat(unrelated).exists();
    }

    @Test
    void overwritePolicyReplacesExistingOutputs() throws Exception {
        Path in = tmp.resolve("in");
        copySample("space/iss.png", in.resolve("iss.png"));
        Path out = tmp.resolve("out");
        write(out.resolve("iss.png"), "already here");

        BatchPlan plan = plan(in, out, OutputFormat.KEEP, OverwritePolicy.OVERWRITE);
        FileResult row = new ImagePipeline(new org.greylab.core.image.GreyscaleKernel())
                .convertLocally(plan, plan.jobs().get(0));

        assertThat(outputs(plan)).containsExactly("iss.png");
        assertThat(row.status()).isEqualTo(FileStatus.CONVERTED);
        assertThat(javax.imageio.ImageIO.read(out.resolve("iss.png").toFile())).isNotNull();
    }

    @Test
    void renamePolicyPicksTheNextFreeName() throws Exception {
        Path in = tmp.resolve("in");
        copySample("space/iss.png", in.resolve("iss.png"));
        Path out = tmp.resolve("out");
        write(out.resolve("iss.png"), "already here");
        write(out.resolve("iss (1).png"), "also here");

        BatchPlan plan = plan(in, out, OutputFormat.KEEP, OverwritePolicy.RENAME);

        assertThat(outputs(plan)).containsExactly("iss (2).png");
        assertThat(plan.skipped()).isEmpty();
    }

    @Test
    void planningWritesNothing() throws Exception {
        Path in = tmp.resolve("in");
        copySample("space/iss.png", in.resolve("iss.png"));
        Path out = tmp.resolve("not/yet/there");

        BatchPlan plan = plan(in, out, OutputFormat.KEEP, OverwritePolicy.SKIP);

        assertThat(plan.jobs()).hasSize(1);
        assertThat(tmp.resolve("not")).doesNotExist();
    }

    @Test
    void defaultOutputIsAGreySiblingOfTheFirstInputFolder() throws Exception {
        Path in = tmp.resolve("photos");
        Path file = copySample("space/iss.png", in.resolve("iss.png"));

        assertThat(BatchPlanner.defaultOutputFolder(List.of(in))).isEqualTo(tmp.resolve("photos-grey").toAbsolutePath());
        assertThat(BatchPlanner.defaultOutputFolder(List.of(file)))
                .isEqualTo(tmp.resolve("photos-grey").toAbsolutePath());
    }

    @Test
    void refusesTheInputFolderAsOutputFolder() throws Exception {
        Path in = tmp.resolve("in");
        copySample("space/iss.png", in.resolve("iss.png"));

        assertThatThrownBy(() -> plan(in, in, OutputFormat.KEEP, OverwritePolicy.OVERWRITE))
                .isInstanceOf(BatchSetupException.class).hasMessageContaining("is the input");
    }

    @Test
    void refusesAnOutputFolderThatHoldsAnInput() throws Exception {
        Path in = tmp.resolve("all/in");
        copySample("space/iss.png", in.resolve("iss.png"));

        assertThatThrownBy(() -> plan(in, tmp.resolve("all"), OutputFormat.KEEP, OverwritePolicy.OVERWRITE))
                .isInstanceOf(BatchSetupException.class).hasMessageContaining("contains the input");
    }

    @Test
    void refusesAnOutputFolderUnderARegularFileBeforeAnythingRuns() throws Exception {
        Path in = tmp.resolve("in");
        copySample("space/iss.png", in.resolve("iss.png"));
        Path blocker = write(tmp.resolve("blocker"), "a file where a folder should be");

        assertThatThrownBy(() -> plan(in, blocker.resolve("out"), OutputFormat.KEEP, OverwritePolicy.SKIP))
                .isInstanceOf(BatchSetupException.class)
                .hasMessageContaining("cannot be created")
                .hasMessageContaining("Choose another output folder");
        assertThat(Files.isRegularFile(blocker)).isTrue();
    }

    @Test
    void preparingAnOutputFolderThatCannotBeCreatedFailsWithWords() throws Exception {
        Path in = tmp.resolve("in");
        copySample("space/iss.png", in.resolve("iss.png"));
        Path out = tmp.resolve("out");
        BatchPlan plan = plan(in, out, OutputFormat.KEEP, OverwritePolicy.SKIP);
        write(out, "appeared as a file after planning");

        assertThatThrownBy(() -> BatchPlanner.prepareOutputFolder(plan))
                .isInstanceOf(BatchSetupException.class).hasMessageContaining("cannot be created");
    }

    @Test
    void preparingCreatesTheOutputFolder() throws Exception {
        Path in = tmp.resolve("in");
        copySample("space/iss.png", in.resolve("iss.png"));
        BatchPlan plan = plan(in, tmp.resolve("a/b/out"), OutputFormat.KEEP, OverwritePolicy.SKIP);

        BatchPlanner.prepareOutputFolder(plan);

        assertThat(tmp.resolve("a/b/out")).isEmptyDirectory();
    }

    @Test
    void keepsEveryOutputPathInsideTheOutputFolder() {
        Path root = tmp.resolve("out");

        assertThat(OutputPaths.resolveInside(root, "a/b.png")).isEqualTo(root.resolve("a/b.png").toAbsolutePath());
        for (String bad : List.of("../escape.png", "a/../../escape.png", "/etc/passwd", "a//b.png", "./a.png", "")) {
            assertThatThrownBy(() -> OutputPaths.resolveInside(root, bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
