package org.greylab.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.greylab.core.testing.TestFiles.copySample;
import static org.greylab.core.testing.TestFiles.write;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.greylab.core.image.ImageFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputScannerTest {

    @TempDir
    Path tmp;

    private static List<String> images(ScanResult scan) {
        return scan.images().stream().map(ScannedImage::relativePath).toList();
    }

    private static List<String> skipped(ScanResult scan) {
        return scan.skipped().stream().map(FileResult::input).toList();
    }

    @Test
    void findsImagesInNestedFolders() throws Exception {
        Path in = tmp.resolve("in");
        copySample("china.jpg", in.resolve("china.jpg"));
        copySample("space/shuttle.png", in.resolve("a/b/c/shuttle.png"));

        ScanResult scan = new InputScanner(true, null).scan(List.of(in));

        assertThat(images(scan)).containsExactly("a/b/c/shuttle.png", "china.jpg");
        assertThat(scan.images().get(0).format()).isEqualTo(ImageFormat.PNG);
        assertThat(scan.images().get(0).sizeBytes()).isEqualTo(Files.size(in.resolve("a/b/c/shuttle.png")));
    }

    @Test
    void keepsUnicodeFileNames() throws Exception {
        Path in = tmp.resolve("in");
        copySample("space/iss.png", in.resolve("Köln/東京 ☀.png"));

        ScanResult scan = new InputScanner(true, null).scan(List.of(in));

        assertThat(images(scan)).containsExactly("Köln/東京 ☀.png");
    }

    @Test
    void skipsHiddenFilesAndFoldersWithAReason() throws Exception {
        Path in = tmp.resolve("in");
        copySample("space/iss.png", in.resolve(".hidden.png"));
        copySample("space/iss.png", in.resolve(".cache/inside.png"));
        copySample("space/iss.png", in.resolve("visible.png"));

        ScanResult scan = new InputScanner(true, null).scan(List.of(in));

        assertThat(images(scan)).containsExactly("visible.png");
        assertThat(scan.skipped()).extracting(FileResult::input, FileResult::reason).containsExactly(
                org.assertj.core.groups.Tuple.tuple(".cache/", "hidden folder (not scanned)"),
                org.assertj.core.groups.Tuple.tuple(".hidden.png", "hidden file"));
    }

    @Test
    void skipsFilesThatAreNotImages() throws Exception {
        Path in = tmp.resolve("in");
        write(in.resolve("notes.txt"), "not a picture");
        copySample("space/iss.png", in.resolve("iss.png"));

        ScanResult scan = new InputScanner(true, null).scan(List.of(in));

        assertThat(images(scan)).containsExactly("iss.png");
        assertThat(scan.skipped()).singleElement().satisfies(row -> {
            assertThat(row.input()).isEqualTo("notes.txt");
            assertThat(row.status()).isEqualTo(FileStatus.SKIPPED);
            assertThat(row.reason()).isEqualTo("not an image");
            assertThat(row.output()).isNull();
        });
    }

    @Test
    void takesATextFileNamedPngAsACandidate() throws Exception {
        Path in = tmp.resolve("in");
        write(in.resolve("fake.png"), "this is text, whatever the name says");

        ScanResult scan = new InputScanner(true, null).scan(List.of(in));

        assertThat(scan.images()).singleElement().satisfies(image -> {
            assertThat(image.relativePath()).isEqualTo("fake.png");
            assertThat(image.format()).isEqualTo(ImageFormat.PNG);
            assertThat(image.sniffed()).isFalse();
        });
    }

    @Test
    void recognisesAnImageByItsContentWhateverItsName() throws Exception {
        Path in = tmp.resolve("in");
        copySample("skyline-sf-dusk.jpeg", in.resolve("no-extension"));
        copySample("space/iss.png", in.resolve("misnamed.txt"));

        ScanResult scan = new InputScanner(true, null).scan(List.of(in));

        assertThat(scan.images()).extracting(ScannedImage::relativePath, ScannedImage::format).containsExactly(
                org.assertj.core.groups.Tuple.tuple("misnamed.txt", ImageFormat.PNG),
                org.assertj.core.groups.Tuple.tuple("no-extension", ImageFormat.JPEG));
    }

    @Test
    void stopsAtASymbolicLinkLoopAndReportsIt() throws Exception {
        Path in = tmp.resolve("in");
        copySample("space/iss.png", in.resolve("sub/iss.png"));
        Files.createSymbolicLink(in.resolve("sub/back-up"), in);

        ScanResult scan = org.assertj.core.api.Assertions.assertThat(
                        java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                            try {
                                return new InputScanner(true, null).scan(List.of(in));
                            } catch (BatchSetupException e) {
                                throw new IllegalStateException(e);
                            }
                        }))
                .succeedsWithin(Duration.ofSeconds(30)).actual();

        assertThat(images(scan)).containsExactly("sub/iss.png");
        assertThat(scan.skipped()).singleElement().satisfies(row -> {
            assertThat(row.input()).isEqualTo("sub/back-up/");
            assertThat(row.reason()).contains("symbolic link loop");
        });
    }

    @Test
    void followsALinkToAFolderOutsideTheInput() throws Exception {
        Path elsewhere = tmp.resolve("elsewhere");
        copySample("space/iss.png", elsewhere.resolve("far.png"));
        Path in = tmp.resolve("in");
        Files.createDirectories(in);
        Files.createSymbolicLink(in.resolve("linked"), elsewhere);

        ScanResult scan = new InputScanner(true, null).scan(List.of(in));

        assertThat(images(scan)).containsExactly("linked/far.png");
    }

    @Test
    void ordersPathsNaturally() throws Exception {
        Path in = tmp.resolve("in");
        for (String name : List.of("img10.png", "img2.png", "IMG3.png", "img1.png")) {
            copySample("space/shuttle.png", in.resolve(name));
        }

        ScanResult scan = new InputScanner(true, null).scan(List.of(in));

        assertThat(images(scan)).containsExactly("img1.png", "img2.png", "IMG3.png", "img10.png");
    }

    @Test
    void leavesOutTheOutputFolderInsideTheInput() throws Exception {
        Path in = tmp.resolve("in");
        copySample("space/shuttle.png", in.resolve("shuttle.png"));
        copySample("space/shuttle.png", in.resolve("grey/shuttle.png"));

        ScanResult scan = new InputScanner(true, in.resolve("grey")).scan(List.of(in));

        assertThat(images(scan)).containsExactly("shuttle.png");
        assertThat(skipped(scan)).containsExactly("grey/");
        assertThat(scan.skipped().get(0).reason()).contains("output folder");
    }

    @Test
    void prefixesEachRootsNameWhenThereAreSeveral() throws Exception {
        Path first = tmp.resolve("holiday");
        Path second = tmp.resolve("x/holiday");
        copySample("space/shuttle.png", first.resolve("a.png"));
        copySample("space/shuttle.png", second.resolve("a.png"));
        Path single = copySample("space/iss.png", tmp.resolve("loose/iss.png"));

        ScanResult scan = new InputScanner(true, null).scan(List.of(first, second, single));

        assertThat(images(scan)).containsExactly("holiday/a.png", "holiday (2)/a.png", "iss.png");
    }

    @Test
    void scansOnlyTheTopFolderWhenNotRecursive() throws Exception {
        Path in = tmp.resolve("in");
        copySample("space/shuttle.png", in.resolve("top.png"));
        copySample("space/shuttle.png", in.resolve("sub/deep.png"));

        ScanResult scan = new InputScanner(false, null).scan(List.of(in));

        assertThat(images(scan)).containsExactly("top.png");
        assertThat(scan.skipped()).isEmpty();
    }

    @Test
    void reportsAFileReachedTwiceOnlyOnce() throws Exception {
        Path in = tmp.resolve("in");
        Path file = copySample("space/shuttle.png", in.resolve("a.png"));

        ScanResult scan = new InputScanner(true, null).scan(List.of(in, file));

        assertThat(scan.images()).hasSize(1);
    }

    @Test
    void refusesAnInputThatDoesNotExist() {
        assertThatThrownBy(() -> new InputScanner(true, null).scan(List.of(tmp.resolve("missing"))))
                .isInstanceOf(BatchSetupException.class)
                .hasMessageContaining("Input not found")
                .hasMessageContaining("missing");
    }
}
