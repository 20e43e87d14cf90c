package org.greylab.app.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.greylab.app.testing.TestFx;
import org.greylab.core.job.ImageJob;
import org.greylab.core.testing.Samples;
import org.greylab.core.testing.TestFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputViewModelTest {

    private final TestFx fx = new TestFx();
    private final InputViewModel model = new InputViewModel(fx.executor());

    @TempDir
    Path tmp;

    @AfterEach
    void stop() {
        fx.close();
    }

    private List<String> listed() {
        return fx.call(() -> model.images().stream().map(ImageRow::relativePath).toList());
    }

    @Test
    void addingTheSamplesFolderListsEveryImageAndNothingElse() throws Exception {
        int expected = Samples.images().size();

        fx.run(() -> model.addFolder(Samples.folder()));

        await().atMost(Duration.ofSeconds(20)).until(() -> listed().size() == expected);
        assertThat(listed()).contains("space/iss.png", "camera.png").doesNotContain("LICENSES.md");
        assertThat(fx.call(() -> model.summaryProperty().get())).startsWith(expected + " images")
                .contains("1 other file left out");
    }

    @Test
    void addingTheSameFolderTwiceListsItsImagesOnce() throws Exception {
        int expected = Samples.images().size();

        fx.run(() -> model.addFolder(Samples.folder()));
        fx.run(() -> model.add(List.of(Samples.folder(), Samples.folder().resolve("."))));

        await().atMost(Duration.ofSeconds(20)).until(() -> listed().size() == expected);
        assertThat(fx.call(() -> model.sources().size())).isEqualTo(1);
    }

    @Test
    void droppedFilesAndFoldersJoinTheList() throws Exception {
        Path folder = tmp.resolve("holiday");
        TestFiles.copySample("coffee.png", folder.resolve("coffee.png"));
        Path single = Samples.file("camera.png");

        fx.run(() -> model.add(List.of(folder, single)));

        await().atMost(Duration.ofSeconds(20)).until(() -> listed().size() == 2);
        assertThat(listed()).containsExactlyInAnyOrder("holiday/coffee.png", "camera.png");
    }

    @Test
    void pixelSizesArriveFromTheHeaders() throws Exception {
        Path folder = tmp.resolve("one");
        TestFiles.copySample("camera.png", folder.resolve("camera.png"));

        fx.run(() -> model.addFolder(folder));

        await().atMost(Duration.ofSeconds(20)).until(() -> fx.call(() -> !model.images().isEmpty()
                && !model.images().get(0).pixelSizeProperty().get().isEmpty()));
        assertThat(fx.call(() -> model.images().get(0).pixelSizeProperty().get())).isEqualTo("512 × 512");
    }

    @Test
    void removedImagesAreLeftOutOfTheRun() throws Exception {
        fx.run(() -> model.addFolder(Samples.folder()));
        await().atMost(Duration.ofSeconds(20)).until(() -> listed().size() == Samples.images().size());
        ImageRow camera = fx.call(() -> model.row("camera.png").orElseThrow());
        List<ImageJob> jobs = List.of(
                new ImageJob(0, camera.source(), "camera.png", "camera.png", 1, camera.format()),
                new ImageJob(1, Samples.file("reef.png"), "reef.png", "reef.png", 1, camera.format()));

        fx.run(() -> model.remove(List.of(camera)));

        assertThat(listed()).doesNotContain("camera.png");
        List<ImageJob> kept = fx.call(() -> model.keepListed(jobs));
        assertThat(kept).extracting(ImageJob::relativePath).containsExactly("reef.png");
        assertThat(kept.get(0).index()).isZero();
    }

    @Test
    void clearEmptiesTheList() throws Exception {
        fx.run(() -> model.addFolder(Samples.folder()));
        await().atMost(Duration.ofSeconds(20)).until(() -> !listed().isEmpty());

        fx.run(model::clear);

        assertThat(listed()).isEmpty();
        assertThat(fx.call(() -> model.sources().isEmpty())).isTrue();
    }

    @Test
    void aFolderThatNoLongerExistsListsNothing() {
        fx.run(() -> model.addFolder(tmp.resolve("gone")));

        await().atMost(Duration.ofSeconds(20)).until(() -> !fx.call(() -> model.scanningProperty().get()));
        assertThat(listed()).isEmpty();
    }
}
