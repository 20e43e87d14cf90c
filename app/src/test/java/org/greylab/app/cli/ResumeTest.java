package org.greylab.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.greylab.app.journal.JournalFile;
import org.greylab.core.testing.Samples;
import org.greylab.core.testing.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batch journal and {@code convert --resume}, in this JVM, on real files. An interrupted batch is made the way a
 * {@code kill -9} leaves one: the journal cut after some lines (the last one half written) and the outputs it does
 * not list gone. {@code KillAndResumeIT} kills a real client process.
 */
class ResumeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** An old time given to the outputs a resume must keep: a rewritten output gets a new one. */
    private static final FileTime LONG_AGO = FileTime.fromMillis(946_684_800_000L);

    @TempDir
    Path tmp;

    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    private int greylab(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        return GreylabCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    }

    /** Twelve photos in two folders. */
    private Path photos() throws IOException {
        Path in = tmp.resolve("in");
        for (String photo : Samples.files(Samples.folder())) {
            if (photo.matches("[^/]*\\.(jpe?g|png)")) {
                TestFiles.copySample(photo, in.resolve(photo.hashCode() % 2 == 0 ? "a" : "b").resolve(photo));
            }
        }
        return in;
    }

    private static List<JsonNode> journal(Path output) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(output.resolve(".greylab/journal.jsonl"))) {
            if (line.endsWith("}")) {
                // (a line that interrupt() cut short does not end so)
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    /**
     * Leaves {@code output} as a client killed after {@code kept} outputs leaves it: the journal's header and first
     * {@code kept} lines, then half a line; the outputs of the other images gone. Returns the kept outputs, dated
     * long ago.
     */
    private static List<Path> interrupt(Path output, int kept) throws IOException {
        Path file = output.resolve(".greylab/journal.jsonl");
        List<String> lines = Files.readAllLines(file);
        List<Path> keptOutputs = new ArrayList<>();
        for (int i = 1; i < lines.size() - 1; i++) {
            Path image = output.resolve(JSON.readTree(lines.get(i)).get("output").asText());
            if (i <= kept) {
                Files.setLastModifiedTime(image, LONG_AGO);
                keptOutputs.add(image);
            } else {
                Files.delete(image);
            }
        }
        String cut = lines.get(kept + 1).substring(0, lines.get(kept + 1).length() / 2);
        Files.writeString(file, String.join("\n", lines.subList(0, kept + 1)) + "\n" + cut, StandardCharsets.UTF_8);
        return keptOutputs;
    }

    private static void assertSameFiles(Path expected, Path actual) throws IOException {
        List<String> names = Samples.files(expected);
        assertThat(Samples.files(actual)).containsExactlyElementsOf(names);
        for (String name : names) {
            assertThat(Files.readAllBytes(actual.resolve(name))).as(name)
                    .isEqualTo(Files.readAllBytes(expected.resolve(name)));
        }
    }

    @Test
    void theJournalHoldsTheSettingsThenOneLinePerImageThenTheEnd() throws Exception {
        Path in = photos();
        Path output = tmp.resolve("out");

        int status = greylab("convert", in.toString(), "--output", output.toString(), "--format", "png");

        assertThat(status).as(err.toString()).isZero();
        List<JsonNode> lines = journal(output);
        JsonNode header = lines.get(0);
        assertThat(header.path("settings").path("format").asText()).isEqualTo("png");
        assertThat(header.path("settings").path("inputs").asText()).isEqualTo(in.toAbsolutePath().toString());
        assertThat(header.path("images").asInt()).isEqualTo(Samples.files(output).size());
        assertThat(header.path("planHash").asText()).startsWith("sha256:");
        List<JsonNode> done = lines.subList(1, lines.size() - 1);
        assertThat(done).allSatisfy(line -> {
            Path image = output.resolve(line.get("output").asText());
            assertThat(line.get("outSize").asLong()).isEqualTo(Files.size(image));
            assertThat(line.get("inSize").asLong()).isEqualTo(Files.size(in.resolve(line.get("done").asText())));
        });
        assertThat(done.stream().map(l -> l.get("output").asText()).collect(Collectors.toSet()))
                .isEqualTo(Set.copyOf(Samples.files(output)));
        assertThat(lines.get(lines.size() - 1).path("end").asText()).isEqualTo("complete");
    }

    @Test
    void aFailedImageHasItsLineWithStageAndReason() throws Exception {
        Path in = photos();
        byte[] jpeg = Files.readAllBytes(Samples.file("china.jpg"));
        Files.write(in.resolve("cut.jpg"), Arrays.copyOf(jpeg, 600));
        Path output = tmp.resolve("out");

        greylab("convert", in.toString(), "--output", output.toString());

        JsonNode failed = journal(output).stream().filter(l -> l.has("failed")).findFirst().orElseThrow();
        assertThat(failed.get("failed").asText()).isEqualTo("cut.jpg");
        assertThat(failed.get("stage").asText()).isEqualTo("decode");
        assertThat(failed.get("reason").asText()).isNotBlank();
    }

    @Test
    void aDryRunWritesNoJournal() throws Exception {
        Path output = tmp.resolve("out");

        greylab("convert", photos().toString(), "--output", output.toString(), "--dry-run");

        assertThat(output).doesNotExist();
    }

    @Test
    void resumeConvertsOnlyWhatTheJournalDoesNotListAndEndsWithTheOutputsOfAWholeRun() throws Exception {
        Path in = photos();
        Path whole = tmp.resolve("whole");
        Path output = tmp.resolve("out");
        greylab("convert", in.toString(), "--output", whole.toString());
        greylab("convert", in.toString(), "--output", output.toString());
        int images = Samples.files(whole).size();
        List<Path> kept = interrupt(output, 5);

        int status = greylab("convert", in.toString(), "--output", output.toString(), "--resume");

        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString()).contains("5 image(s) done earlier, " + (images - 5) + " to convert")
                .contains("Done: " + images + " converted, 0 skipped, 0 failed")
                .contains("5 of the converted images were converted by the run this one resumed");
        assertThat(kept).allSatisfy(f -> assertThat(Files.getLastModifiedTime(f)).isEqualTo(LONG_AGO));
        assertSameFiles(whole, output);
        List<JsonNode> lines = journal(output);
        assertThat(lines.stream().filter(l -> l.has("journal"))).hasSize(1);
        assertThat(lines.get(lines.size() - 1).path("end").asText()).isEqualTo("complete");
    }

    @Test
    void underOverwriteRenameAResumeKeepsTheNamesTheFirstRunChose() throws Exception {
        Path in = photos();
        Path whole = tmp.resolve("whole");
        Path output = tmp.resolve("out");
        // files already there under two of the names: the first run writes "name (1).ext" beside them
        List<String> taken = Samples.files(in).subList(0, 2);
        for (Path folder : List.of(whole, output)) {
            for (String name : taken) {
                Files.createDirectories(folder.resolve(name).getParent());
                Files.writeString(folder.resolve(name), "someone else's file");
            }
        }
        greylab("convert", in.toString(), "--output", whole.toString(), "--overwrite", "rename");
        greylab("convert", in.toString(), "--output", output.toString(), "--overwrite", "rename");
        interrupt(output, 3);

        int status = greylab("convert", in.toString(), "--output", output.toString(), "--overwrite", "rename",
                "--resume");

        assertThat(status).as(err.toString()).isZero();
        assertThat(Samples.files(whole)).anyMatch(f -> f.contains(" (1)"));
        assertSameFiles(whole, output);
    }

    @Test
    void resumeWithOtherSettingsExitsTwoNamingWhatDiffersAndHowToStartFresh() throws Exception {
        Path in = photos();
        Path output = tmp.resolve("out");
        greylab("convert", in.toString(), "--output", output.toString(), "--format", "png");
        interrupt(output, 3);

        int status = greylab("convert", in.toString(), "--output", output.toString(), "--resume",
                "--format", "jpeg", "--jpeg-quality", "80");

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("--format was png, not jpeg").contains("--jpeg-quality was 90, not 80")
                .contains("without --resume");
        assertThat(Samples.files(output)).hasSize(3);
    }

    @Test
    void anInputChangedSinceTheJournalIsConvertedAgain() throws Exception {
        Path in = photos();
        Path output = tmp.resolve("out");
        greylab("convert", in.toString(), "--output", output.toString());
        List<Path> kept = interrupt(output, 4);
        Path changedOutput = kept.get(0);
        String changedName = output.relativize(changedOutput).toString();
        Path changedInput = in.resolve(changedName);
        Files.write(changedInput, new byte[] {0}, StandardOpenOption.APPEND);

        int status = greylab("convert", in.toString(), "--output", output.toString(), "--resume");

        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString()).contains("3 image(s) done earlier").contains("1 image(s) converted again");
        assertThat(Files.getLastModifiedTime(changedOutput)).isNotEqualTo(LONG_AGO);
        assertThat(kept.subList(1, 4)).allSatisfy(f -> assertThat(Files.getLastModifiedTime(f)).isEqualTo(LONG_AGO));
        assertThat(Samples.files(output)).doesNotContain(changedName.replaceFirst("(\\.[a-z]+)$", " (1)$1"));
    }

    @Test
    void anOutputNotAsRecordedIsConvertedAgain() throws Exception {
        Path in = photos();
        Path whole = tmp.resolve("whole");
        Path output = tmp.resolve("out");
        greylab("convert", in.toString(), "--output", whole.toString());
        greylab("convert", in.toString(), "--output", output.toString());
        List<Path> kept = interrupt(output, 4);
        Files.write(kept.get(1), new byte[0]);

        int status = greylab("convert", in.toString(), "--output", output.toString(), "--resume");

        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString()).contains("3 image(s) done earlier").contains("1 image(s) converted again");
        assertSameFiles(whole, output);
    }

    @Test
    void resumeOfAFinishedBatchHasNothingToDoAndExitsZero() throws Exception {
        Path in = photos();
        Path output = tmp.resolve("out");
        greylab("convert", in.toString(), "--output", output.toString());
        long journalSize = Files.size(output.resolve(".greylab/journal.jsonl"));

        int status = greylab("convert", in.toString(), "--output", output.toString(), "--resume");

        assertThat(status).isZero();
        assertThat(out.toString()).contains("Nothing to do").doesNotContain("Converting");
        assertThat(Files.size(output.resolve(".greylab/journal.jsonl"))).isEqualTo(journalSize);
    }

    @Test
    void aBatchKilledAfterItsLastImageButBeforeItsEndHasNothingToDoAndIsEndedThen() throws Exception {
        Path in = photos();
        Path output = tmp.resolve("out");
        greylab("convert", in.toString(), "--output", output.toString());
        Path file = output.resolve(".greylab/journal.jsonl");
        List<String> lines = Files.readAllLines(file);
        Files.write(file, lines.subList(0, lines.size() - 1));

        int status = greylab("convert", in.toString(), "--output", output.toString(), "--resume");

        assertThat(status).isZero();
        assertThat(out.toString()).contains("Nothing to do").doesNotContain("Converting");
        List<JsonNode> after = journal(output);
        assertThat(after.get(after.size() - 1).path("end").asText()).isEqualTo("complete");
    }

    @Test
    void resumeWithoutAJournalSkipsTheCompleteOutputsAndSaysSo() throws Exception {
        Path in = photos();
        Path output = tmp.resolve("out");
        greylab("convert", in.toString(), "--output", output.toString());
        List<Path> kept = interrupt(output, 6);
        TestFiles.deleteTree(output.resolve(".greylab"));
        int images = Samples.files(in).size();

        int status = greylab("convert", in.toString(), "--output", output.toString(), "--resume",
                "--overwrite", "overwrite");

        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString()).contains("No journal in").contains("Converting " + (images - 6) + " image(s)")
                .contains("6 skipped");
        assertThat(kept).allSatisfy(f -> assertThat(Files.getLastModifiedTime(f)).isEqualTo(LONG_AGO));
        assertThat(journal(output).get(0).path("settings").path("overwrite").asText()).isEqualTo("skip");
    }

    @Test
    void aSecondBatchIntoAFolderWhileOneWritesThereIsRefusedAndTheFirstOnesTemporaryFilesAreKept() throws Exception {
        Path in = photos();
        Path output = Files.createDirectories(tmp.resolve("out"));
        JournalFile first = JournalFile.fresh(output, true);
        first.claim(output);
        // the first batch's output being written
        Path writing = Files.write(output.resolve(".greylab-0123456789abcdef.part"), new byte[] {1, 2, 3});
        try {
            int status = greylab("convert", in.toString(), "--output", output.toString());

            assertThat(status).isEqualTo(2);
            assertThat(err.toString()).contains("Another Greylab batch is writing into " + output);
            assertThat(writing).exists();
        } finally {
            first.ended(false);
        }

        int status = greylab("convert", in.toString(), "--output", output.toString());

        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString()).contains("Removed 1 temporary file(s)");
        assertThat(writing).doesNotExist();
    }

    @Test
    void manyTemporaryFilesOfAKilledRunAreRemovedAndTheFirstTenNamedTheRestCounted() throws Exception {
        Path in = photos();
        Path output = Files.createDirectories(tmp.resolve("out"));
        List<Path> leftovers = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            leftovers.add(Files.write(output.resolve(String.format(Locale.ROOT,
                    ".greylab-%016x.part", 0xabc000L + i)), new byte[] {1, 2, 3}));
        }

        int status = greylab("convert", in.toString(), "--output", output.toString());

        assertThat(status).as(err.toString()).isZero();
        String said = out.toString();
        assertThat(said).contains("Removed 25 temporary file(s)").contains("  ... and 15 more");
        long named = leftovers.stream().filter(f -> said.contains("  " + f.getFileName() + System.lineSeparator()))
                .count();
        assertThat(named).isEqualTo(ConvertCommand.LEFTOVERS_LISTED);
        assertThat(leftovers).allSatisfy(f -> assertThat(f).doesNotExist());
    }

    @Test
    void aNewBatchWithoutResumeReplacesTheJournal() throws Exception {
        Path in = photos();
        Path output = tmp.resolve("out");
        greylab("convert", in.toString(), "--output", output.toString(), "--format", "png");

        greylab("convert", in.toString(), "--output", output.toString(), "--format", "png",
                "--overwrite", "overwrite", "--formula", "average");

        List<JsonNode> lines = journal(output);
        assertThat(lines.get(0).path("settings").path("formula").asText()).isEqualTo("average");
        assertThat(lines.stream().filter(l -> l.has("journal"))).hasSize(1);
    }

    @Test
    void aJournalFolderInAnInputIsNeitherAnImageNorListed() throws Exception {
        Path in = photos();
        Path first = tmp.resolve("first");
        greylab("convert", in.toString(), "--output", first.toString());
        TestFiles.copySample("camera.png", first.resolve(".greylab/camera.png"));

        int status = greylab("convert", first.toString(), "--output", tmp.resolve("second").toString());

        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString()).doesNotContain(".greylab").contains("0 skipped");
        assertThat(Samples.files(tmp.resolve("second"))).containsExactlyElementsOf(Samples.files(first));
    }
}
