package org.greylab.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.greylab.core.image.ConversionSettings;
import org.greylab.core.image.GreyscaleKernel;
import org.greylab.core.image.OutputFormat;
import org.greylab.core.job.BatchPlan;
import org.greylab.core.job.BatchPlanner;
import org.greylab.core.job.FileResult;
import org.greylab.core.job.FileStatus;
import org.greylab.core.job.ImagePipeline;
import org.greylab.core.job.OverwritePolicy;
import org.junit.jupiter.api.Assumptions;
import org.greylab.core.schedule.ProgressEvent;
import org.greylab.core.testing.Samples;
import org.greylab.core.testing.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SerialStrategyTest {

    @TempDir
    Path tmp;

    private final SerialStrategy serial = new SerialStrategy(new ImagePipeline(new GreyscaleKernel()));

    private static BatchPlan plan(Path in, Path out, ConversionSettings settings) throws Exception {
        BatchPlan plan = new BatchPlanner().plan(List.of(in), out, settings, OverwritePolicy.SKIP, true);
        BatchPlanner.prepareOutputFolder(plan);
        return plan;
    }

    /** The image files of a folder by extension, relative '/'-paths: what a user would call its photos. */
    private static List<String> photosIn(Path folder) throws Exception {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile)
                    .map(p -> folder.relativize(p).toString().replace('\\', '/'))
                    .filter(p -> p.toLowerCase(Locale.ROOT).matches(".*\\.(jpe?g|png)$"))
                    .sorted().toList();
        }
    }

    @Test
    void convertsEverySampleUnderItsOwnName() throws Exception {
        Path samples = Samples.folder();
        Path out = tmp.resolve("out");
        List<String> photos = photosIn(samples);

        List<FileResult> rows = serial.run(plan(samples, out, ConversionSettings.defaults()),
                event -> { });

        assertThat(rows).allSatisfy(row -> assertThat(row.status()).as(row.input() + ": " + row.reason())
                .isEqualTo(FileStatus.CONVERTED));
        assertThat(rows).extracting(FileResult::output).containsExactlyInAnyOrderElementsOf(photos);
        assertThat(Samples.files(out)).containsExactlyElementsOf(photos);
        for (String photo : photos) {
            BufferedImage in = ImageIO.read(samples.resolve(photo).toFile());
            BufferedImage grey = ImageIO.read(out.resolve(photo).toFile());
            assertThat(grey.getRaster().getNumBands()).as(photo).isEqualTo(1);
            assertThat(grey.getWidth() * (long) grey.getHeight()).as(photo)
                    .isEqualTo(in.getWidth() * (long) in.getHeight());
        }
    }

    @Test
    void anOutputFolderDeletedMidRunStopsTheBatchAndIsNotMadeAgain() throws Exception {
        Path samples = Samples.folder();
        Path out = tmp.resolve("out");
        BatchPlan plan = plan(samples, out, ConversionSettings.defaults());

        BatchStoppedException stop = catchStop(() -> serial.run(plan, event -> {
            if (event instanceof ProgressEvent.ImageFinished f && f.result().input().equals(
                    plan.jobs().get(0).relativePath())) {
                TestFiles.deleteTree(out);
            }
        }));

        assertThat(stop.getMessage()).isEqualTo("the output folder " + out.toAbsolutePath() + " is gone");
        assertThat(stop.done()).isNotEmpty().hasSizeLessThan(plan.jobs().size()).allSatisfy(row ->
                assertThat(row.status()).isEqualTo(FileStatus.CONVERTED));
        assertThat(out).as("the rest of the batch is not written into a folder made anew").doesNotExist();
    }

    @Test
    void aFullOutputDiskStopsTheBatchWithTheRestNotDoneAndNoPartialFile() throws Exception {
        Path disk = Files.createDirectory(tmp.resolve("disk"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", disk.toString())
                .redirectErrorStream(true).start();
        String said = new String(mount.getInputStream().readAllBytes());
        Assumptions.assumeTrue(mount.waitFor() == 0, "a small file system to fill needs root to mount: " + said);
        try {
            Path samples = Samples.folder();
            Path out = disk.resolve("out");
            BatchPlan plan = plan(samples, out, ConversionSettings.defaults());

            BatchStoppedException stop = catchStop(() -> serial.run(plan, event -> {
                if (event instanceof ProgressEvent.ImageFinished f && f.result().input().equals(
                        plan.jobs().get(0).relativePath())) {
                    TestFiles.fill(disk.resolve("filler"));
                }
            }));

            assertThat(stop.getMessage()).startsWith("the output disk is full (" + out.toAbsolutePath() + ")");
            // the images written before the disk filled up: the first, and any whose write was already done
            assertThat(stop.done()).isNotEmpty().hasSizeLessThan(plan.jobs().size()).allSatisfy(row ->
                    assertThat(row.status()).isEqualTo(FileStatus.CONVERTED));
            try (Stream<Path> files = Files.walk(out)) {
                assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
            }
        } finally {
            new ProcessBuilder("umount", "-l", disk.toString()).start().waitFor();
        }
    }

    private static BatchStoppedException catchStop(org.assertj.core.api.ThrowableAssert.ThrowingCallable run) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(run);
        assertThat(thrown).isInstanceOf(BatchStoppedException.class);
        return (BatchStoppedException) thrown;
    }

    @Test
    void reportsEventsInTheOrderThingsHappen() throws Exception {
        Path in = tmp.resolve("in");
        TestFiles.copySample("space/iss.png", in.resolve("a.png"));
        TestFiles.copySample("space/shuttle.png", in.resolve("b.png"));
        TestFiles.write(in.resolve("notes.txt"), "not an image");
        List<ProgressEvent> events = new ArrayList<>();

        serial.run(plan(in, tmp.resolve("out"), ConversionSettings.defaults()), events::add);

        assertThat(events).hasSize(6);
        assertThat(events.get(0)).isEqualTo(new ProgressEvent.BatchStarted(Mode.SERIAL, 2, 1));
        assertThat(events.get(1)).isInstanceOfSatisfying(ProgressEvent.ImageStarted.class,
                e -> assertThat(e.job().relativePath()).isEqualTo("a.png"));
        // b converts while a's output is forced to disk: a may finish before or after b starts, never after b ends
        List<String> middle = events.subList(2, 5).stream().map(e -> e instanceof ProgressEvent.ImageStarted s
                ? "start " + s.job().relativePath() : e instanceof ProgressEvent.ImageFinished f
                ? "finish " + f.result().input() : e.toString()).toList();
        assertThat(middle).isIn(List.of("finish a.png", "start b.png", "finish b.png"),
                List.of("start b.png", "finish a.png", "finish b.png"));
        assertThat(events.get(5)).isInstanceOfSatisfying(ProgressEvent.BatchFinished.class,
                e -> assertThat(e.cancelled()).isFalse());
    }

    @Test
    void goesOnPastImagesThatFail() throws Exception {
        Path in = tmp.resolve("in");
        TestFiles.write(in.resolve("a-fake.png"), "text");
        TestFiles.copySample("space/iss.png", in.resolve("b.png"));

        List<FileResult> rows = serial.run(plan(in, tmp.resolve("out"), ConversionSettings.defaults()), e -> { });

        assertThat(rows).extracting(FileResult::status).containsExactly(FileStatus.FAILED, FileStatus.CONVERTED);
    }

    @Test
    void stopsCleanlyWhenInterrupted() throws Exception {
        Path in = tmp.resolve("in");
        for (int i = 0; i < 12; i++) {
            TestFiles.copySample("retina.jpg", in.resolve("retina-" + i + ".jpg"));
        }
        Path out = tmp.resolve("out");
        BatchPlan plan = plan(in, out, ConversionSettings.defaults().withFormat(OutputFormat.PNG));
        CountDownLatch firstDone = new CountDownLatch(1);
        List<ProgressEvent> events = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<Thread> worker = new AtomicReference<>();

        CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
            worker.set(Thread.currentThread());
            try {
                serial.run(plan, event -> {
                    events.add(event);
                    if (event instanceof ProgressEvent.ImageFinished) {
                        firstDone.countDown();
                    }
                });
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        assertThat(firstDone.await(60, TimeUnit.SECONDS)).isTrue();
        worker.get().interrupt();

        assertThat(outcome).succeedsWithin(Duration.ofSeconds(30))
                .isInstanceOf(InterruptedException.class);
        assertThat(events.get(events.size() - 1)).isInstanceOfSatisfying(ProgressEvent.BatchFinished.class,
                e -> assertThat(e.cancelled()).isTrue());
        assertThat(events).filteredOn(ProgressEvent.ImageFinished.class::isInstance)
                .map(e -> ((ProgressEvent.ImageFinished) e).result().status())
                .as("an interrupted image is a cancel, not a failure").containsOnly(FileStatus.CONVERTED);
        List<String> written = Samples.files(out);
        assertThat(written).hasSizeLessThan(plan.jobs().size()).noneMatch(name -> name.endsWith(".part"));
        for (String name : written) {
            assertThat(ImageIO.read(out.resolve(name).toFile())).as(name).isNotNull();
        }
    }

    @Test
    void throwsAtOnceWhenStartedInterrupted() throws Exception {
        Path in = tmp.resolve("in");
        TestFiles.copySample("space/iss.png", in.resolve("a.png"));
        BatchPlan plan = plan(in, tmp.resolve("out"), ConversionSettings.defaults());

        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> serial.run(plan, e -> { })).isInstanceOf(InterruptedException.class);
        } finally {
            Thread.interrupted();
        }
        assertThat(Samples.files(tmp.resolve("out"))).isEmpty();
    }

    @Test
    void leavesTheInputFolderByteIdentical() throws Exception {
        Path in = tmp.resolve("in");
        TestFiles.copySample("china.jpg", in.resolve("china.jpg"));
        TestFiles.copySample("space/iss.png", in.resolve("deep/iss.png"));
        TestFiles.write(in.resolve("fake.png"), "text");
        TestFiles.write(in.resolve(".hidden"), "secret");
        TestFiles.truncatedSample("china.jpg", 5000, in.resolve("cut.jpg"));
        Map<String, String> before = TestFiles.hashTree(in);

        serial.run(plan(in, in.resolve("grey"), ConversionSettings.defaults().withFormat(OutputFormat.PNG)),
                e -> { });

        Map<String, String> after = TestFiles.hashTree(in);
        after.keySet().removeIf(name -> name.startsWith("grey/"));
        assertThat(after).isEqualTo(before);
        assertThat(Samples.files(in.resolve("grey"))).isNotEmpty();
    }

    @Test
    void convertsTheWholeDevelopmentCorpusWithoutFailures() throws Exception {
        Path corpus = Samples.corpusOrSkip();
        Path out = tmp.resolve("out");

        List<FileResult> rows = serial.run(plan(corpus, out,
                ConversionSettings.defaults().withFormat(OutputFormat.PNG)), e -> { });

        assertThat(rows).isNotEmpty().allSatisfy(row -> assertThat(row.status())
                .as(row.input() + ": " + row.reason()).isEqualTo(FileStatus.CONVERTED));
        assertThat(Samples.files(out)).hasSize(rows.size()).allMatch(name -> name.endsWith(".png"));
    }
}
