package org.greylab.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.greylab.core.job.BatchPlanner;
import org.greylab.core.testing.Samples;
import org.greylab.core.testing.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line end to end, in this JVM, on real files; standard output and error captured. */
class ConvertCommandTest {

    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int greylab(String... args) {
        return GreylabCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    }

    /** A folder with one good photo and the usual trouble: an empty file, a text file named .png, a cut JPEG. */
    private Path troubledFolder() throws IOException {
        Path in = tmp.resolve("in");
        TestFiles.copySample("space/iss.png", in.resolve("good.png"));
        Files.createFile(in.resolve("empty.jpg"));
        Files.writeString(in.resolve("fake.png"), "this is text, not a picture");
        byte[] jpeg = Files.readAllBytes(Samples.file("china.jpg"));
        Files.write(in.resolve("cut.jpg"), Arrays.copyOf(jpeg, 600));
        Files.writeString(in.resolve("notes.txt"), "not an image either");
        return in;
    }

    private void assertNoStackTrace() {
        for (String text : List.of(out.toString(), err.toString())) {
            assertThat(text).doesNotContainPattern("(?m)^\\s+at [\\w.$]+\\(").doesNotContain("Exception in thread");
        }
    }

    @Test
    void folderWithoutImagesInBalancedModeSaysBalancedAndStartsNoEngine() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("no-images"));
        Files.writeString(in.resolve("notes.txt"), "not an image");

        int status = greylab("convert", in.toString(), "--mode", "balanced", "--engines", "2",
                "--output", tmp.resolve("out").toString());

        assertThat(status).isZero();
        assertThat(out.toString()).contains("(balanced mode)").doesNotContain("serial mode")
                .doesNotContain("local engine");
    }

    @Test
    void convertsTheSamplesAndExitsZero() throws Exception {
        Path output = tmp.resolve("out");

        int status = greylab("convert", Samples.folder().toString(), "--output", output.toString());

        List<String> photos = Samples.files(Samples.folder()).stream()
                .filter(f -> f.toLowerCase(Locale.ROOT).matches(".*\\.(jpe?g|png)$")).toList();
        assertThat(status).as(err.toString()).isZero();
        assertThat(Samples.files(output)).containsExactlyElementsOf(photos);
        assertThat(out.toString()).contains("Done: " + photos.size() + " converted, 1 skipped, 0 failed")
                .contains("images/s").contains("MP/s").contains("LICENSES.md: not an image");
        assertNoStackTrace();
    }

    @Test
    void exitsOneAndReportsEachFailureWithItsStageAndReason() throws Exception {
        Path in = troubledFolder();
        Path report = tmp.resolve("reports/run.json");

        int status = greylab("convert", in.toString(), "--output", tmp.resolve("out").toString(),
                "--report", report.toString());

        assertThat(status).isEqualTo(1);
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.get("converted").asInt()).isEqualTo(1);
        assertThat(json.get("skipped").asInt()).isEqualTo(1);
        assertThat(json.get("failed").asInt()).isEqualTo(3);
        assertThat(json.get("wallSeconds").isNumber()).isTrue();
        List<JsonNode> rows = new ArrayList<>();
        json.get("files").forEach(rows::add);
        assertThat(rows).extracting(r -> r.get("input").asText())
                .containsExactly("cut.jpg", "empty.jpg", "fake.png", "good.png", "notes.txt");
        for (JsonNode row : rows) {
            assertThat(row.has("output") && row.has("status") && row.has("stage") && row.has("reason")
                    && row.get("warnings").isArray()).as(row.toString()).isTrue();
            if (row.get("status").asText().equals("failed")) {
                assertThat(row.get("stage").asText()).isIn("read", "decode");
                assertThat(row.get("reason").asText()).isNotBlank();
                assertThat(row.get("output").isNull()).isTrue();
            }
        }
        assertThat(rows.get(3).get("status").asText()).isEqualTo("converted");
        assertThat(rows.get(3).get("output").asText()).isEqualTo("good.png");
        assertThat(rows.get(4).get("status").asText()).isEqualTo("skipped");
        assertThat(out.toString()).contains("Failed (3):").contains("empty.jpg: read: the file is empty")
                // the bytes of the one image converted, not of the batch's five files
                .contains("converted images " + BatchPlanner.humanBytes(Files.size(in.resolve("good.png"))) + " in");
        assertNoStackTrace();
    }

    @Test
    void dryRunListsThePlanAndWritesNothing() throws Exception {
        Path in = troubledFolder();
        Path output = tmp.resolve("out");
        Path report = tmp.resolve("report.json");

        int status = greylab("convert", in.toString(), "--output", output.toString(), "--format", "png",
                "--dry-run", "--report", report.toString());

        assertThat(status).isZero();
        assertThat(output).doesNotExist();
        assertThat(report).doesNotExist();
        assertThat(out.toString()).contains("cut.jpg -> cut.png").contains("notes.txt: not an image")
                .contains("would be created");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "convert --colour red IN",
        "convert --format gif IN",
        "convert --jpeg-quality 0 IN",
        "convert --png-compression 12 IN",
        "convert --connect 127.0.0.1 IN",
        "convert --mode balanced --connect 127.0.0.1 IN",
        "convert --mode direct --engines 2 --connect 127.0.0.1 --cluster lab1 IN",
        "convert --mode balanced --engines 0 IN",
        "convert --mode balanced --task-timeout 0s IN",
        "convert --mode balanced --task-timeout soon IN",
        "convert",
        "photos",
    })
    void exitsTwoWithAMessageThatSaysWhatToDo(String commandLine) throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        String[] args = commandLine.replace("IN", in.toString()).split(" ");

        int status = greylab(args);

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).startsWith("greylab: ").containsPattern("--help|greylab convert|Use ");
        assertThat(Samples.files(tmp)).isEmpty();
        assertNoStackTrace();
    }

    @Test
    void exitsTwoWhenAnInputDoesNotExist() {
        int status = greylab("convert", tmp.resolve("nowhere").toString(), "--output", tmp.resolve("o").toString());

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("Input not found").contains("nowhere");
        assertThat(tmp.resolve("o")).doesNotExist();
    }

    @Test
    void exitsTwoBeforeAnythingRunsWhenTheOutputFolderCannotBeCreated() throws Exception {
        Path in = troubledFolder();
        Path blocker = Files.writeString(tmp.resolve("blocker"), "a file");

        int status = greylab("convert", in.toString(), "--output", blocker.resolve("out").toString());

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("cannot be created").contains("Choose another output folder");
        assertThat(out.toString()).doesNotContain("converted");
        assertNoStackTrace();
    }

    @Test
    void printsTheBuildVersion() {
        int status = greylab("--version");

        assertThat(status).isZero();
        assertThat(out.toString()).containsPattern("greylab \\d+\\.\\d+\\.\\d+").contains("Java ");
    }

    @Test
    void helpListsTheOptions() {
        int status = greylab("convert", "--help");

        assertThat(status).isZero();
        assertThat(out.toString()).contains("--output", "--format", "--formula", "--overwrite", "--dry-run",
                "--report", "--no-recursive", "--mode", "Exit status");
    }

    @Test
    void writesDetailsToTheLogFileButNotTheTerminal() throws Exception {
        Path in = troubledFolder();
        Path log = tmp.resolve("logs/greylab.log");

        int status = greylab("convert", in.toString(), "--output", tmp.resolve("out").toString(),
                "--log", log.toString());

        assertThat(status).isEqualTo(1);
        assertThat(Files.readString(log)).contains("DEBUG").contains("fake.png failed at decode");
        assertNoStackTrace();
    }
}
