package org.greylab.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.greylab.core.testing.Samples.files;
import static org.greylab.core.testing.TestFiles.copySample;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.greylab.core.image.ConversionResult;
import org.greylab.core.image.ConversionSettings;
import org.greylab.core.image.GreyscaleKernel;
import org.greylab.core.image.Stage;
import org.greylab.core.image.StageTimings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Outputs made durable in groups: one sync for many outputs, and no name before its bytes are on disk. */
class GroupSyncTest {

    private static final int IMAGES = 60;

    @TempDir
    Path tmp;

    private final GreyscaleKernel kernel = new GreyscaleKernel();

    /**
     * The platform's file-system sync where there is one (Java 22+ on Linux), else a real fsync of the folder: either
     * goes to the disk, which is all the grouping needs here.
     */
    private static FileSystemSync realSync() {
        FileSystemSync platform = FileSystemSync.available();
        return platform != null ? platform : folder -> {
            try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
                dir.force(true);
            }
        };
    }

    private BatchPlan plan(Path in, Path out) throws Exception {
        for (int i = 0; i < IMAGES; i++) {
            copySample("space/shuttle.png", in.resolve(String.format("%03d.png", i)));
        }
        return new BatchPlanner().plan(List.of(in), out, ConversionSettings.defaults(), OverwritePolicy.SKIP, true);
    }

    @Test
    void manyOutputsShareOneSyncAndNoneIsRenamedBeforeIt() throws Exception {
        Path out = tmp.resolve("out");
        BatchPlan plan = plan(tmp.resolve("in"), out);
        ConversionResult result = kernel.convert(Files.readAllBytes(plan.jobs().get(0).source()), plan.settings());
        CountDownLatch allHandedOver = new CountDownLatch(1);
        CountDownLatch firstSyncStarted = new CountDownLatch(1);
        AtomicInteger syncCalls = new AtomicInteger();
        FileSystemSync real = realSync();
        // the first sync waits until every write is handed over: all the others then fall into one group
        FileSystemSync held = folder -> {
            if (syncCalls.incrementAndGet() == 1) {
                firstSyncStarted.countDown();
                try {
                    allHandedOver.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            real.sync(folder);
        };
        ImagePipeline pipeline = new ImagePipeline(kernel, BatchJournal.NONE, held);

        List<CompletableFuture<FileResult>> rows = new ArrayList<>();
        rows.add(pipeline.writeOutputAsync(plan, plan.jobs().get(0), result, StageTimings.NONE, TaskTrace.NONE));
        assertThat(firstSyncStarted.await(30, TimeUnit.SECONDS)).isTrue();
        for (ImageJob job : plan.jobs().subList(1, IMAGES)) {
            rows.add(pipeline.writeOutputAsync(plan, job, result, StageTimings.NONE, TaskTrace.NONE));
        }

        // every byte is written, under temporary names only: no name points at bytes not yet synced
        assertThat(rows).noneMatch(CompletableFuture::isDone);
        assertThat(files(out)).hasSize(IMAGES).allMatch(name -> name.startsWith(ImagePipeline.TEMPORARY_PREFIX));
        allHandedOver.countDown();

        for (CompletableFuture<FileResult> row : rows) {
            assertThat(row.get(30, TimeUnit.SECONDS).status()).isEqualTo(FileStatus.CONVERTED);
        }
        pipeline.awaitWrites();
        assertThat(pipeline.groupSyncs()).isEqualTo(2);
        assertThat(files(out)).hasSize(IMAGES).noneMatch(name -> name.startsWith(ImagePipeline.TEMPORARY_PREFIX));
        for (ImageJob job : plan.jobs()) {
            assertThat(Files.readAllBytes(out.resolve(job.outputPath()))).isEqualTo(result.output());
        }
    }

    @Test
    void aFailedSyncFailsItsGroupsImagesAtWriteAndLeavesNothingBehind() throws Exception {
        Path out = tmp.resolve("out");
        BatchPlan plan = plan(tmp.resolve("in"), out);
        ConversionResult result = kernel.convert(Files.readAllBytes(plan.jobs().get(0).source()), plan.settings());
        ImagePipeline pipeline = new ImagePipeline(kernel, BatchJournal.NONE, folder -> {
            throw new IOException("Input/output error (errno 5)");
        });

        List<CompletableFuture<FileResult>> rows = new ArrayList<>();
        for (ImageJob job : plan.jobs()) {
            rows.add(pipeline.writeOutputAsync(plan, job, result, StageTimings.NONE, TaskTrace.NONE));
        }

        for (CompletableFuture<FileResult> row : rows) {
            FileResult r = row.get(30, TimeUnit.SECONDS);
            assertThat(r.status()).isEqualTo(FileStatus.FAILED);
            assertThat(r.stage()).isEqualTo(Stage.WRITE);
            assertThat(r.reason()).contains("Input/output error");
        }
        pipeline.awaitWrites();
        assertThat(files(out)).isEmpty();
    }

    @Test
    void theLinuxSyncSyncsAFolderAndSaysWhyItCannot() throws Exception {
        FileSystemSync platform = FileSystemSync.available();
        assumeThat(platform).as("syncfs through the FFM API: Java 22+ on Linux").isNotNull();

        platform.sync(tmp);

        assertThatThrownBy(() -> platform.sync(tmp.resolve("missing"))).isInstanceOf(IOException.class)
                .hasMessageContaining("missing").hasMessageContaining("No such file");
    }
}
