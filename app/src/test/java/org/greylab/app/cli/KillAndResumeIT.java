package org.greylab.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.greylab.core.job.ImagePipeline;
import org.greylab.core.testing.Samples;
import org.greylab.core.testing.TestFiles;
import org.greylab.core.testing.Thumbnails;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code greylab convert} process killed with SIGKILL at a random moment of its batch, then
 * {@code greylab convert --resume}: the output folder ends byte for byte as an uninterrupted run leaves it, with no
 * temporary file. ({@code app/scripts/kill-resume.sh} does the same in a loop, in every mode.)
 */
class KillAndResumeIT {

    private static final Random RANDOM = new Random();

    @TempDir
    Path tmp;

    /** The sample photos four times over, in four folders: long enough for a kill to land mid-batch. */
    private Path photos() throws IOException {
        Path in = tmp.resolve("in");
        for (String photo : Samples.files(Samples.folder())) {
            if (photo.matches("[^/]*\\.(jpe?g|png)")) {
                for (int copy = 1; copy <= 4; copy++) {
                    TestFiles.copySample(photo, in.resolve(Integer.toString(copy)).resolve(photo));
                }
            }
        }
        return in;
    }

    private ProcessBuilder greylab(String... args) {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "org.greylab.app.Main"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("XDG_RUNTIME_DIR", tmp.resolve("runtime").toString());
        pb.environment().put("XDG_CONFIG_HOME", tmp.resolve("config").toString());
        return pb;
    }

    private String runToEnd(Path log, String... args) throws Exception {
        Process process = greylab(args).redirectOutput(log.toFile()).start();
        assertThat(process.waitFor(180, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(log);
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    /** {@code kill -NAME pid}; one that finds the process gone already is left to the caller's checks. */
    private static void signal(String name, long pid) throws Exception {
        new ProcessBuilder("kill", "-" + name, Long.toString(pid)).start().waitFor();
    }

    private static long journalLines(Path output) {
        try {
            return Files.readAllLines(output.resolve(".greylab/journal.jsonl")).size();
        } catch (IOException e) {
            return 0;
        }
    }

    @RepeatedTest(2)
    void aClientKilledMidBatchAndResumedLeavesTheOutputsOfAnUninterruptedRun() throws Exception {
        Path in = photos();
        killResumeAndCompare(in, List.of(), List.of(), log -> true);
    }

    /**
     * The same with thumbnails sent to two local engines in tasks of 16 images: the client killed while groups are
     * in flight, then resumed in balanced mode again. Images of a group that had come back and been journalled are
     * kept; the rest of that group, and every group not answered, are converted again.
     */
    @RepeatedTest(2)
    void aGroupedBalancedBatchKilledAndResumedLeavesTheOutputsOfAnUninterruptedRun() throws Exception {
        Path in = tmp.resolve("thumbs");
        Thumbnails.write(in, 600);
        List<String> grouped = List.of("--mode", "balanced", "--engines", "2", "--group", "16");
        // the journal gets a group's lines a moment before its rows are printed: the kill waits for a printed row
        // of an engine too, so that it never lands before the first group came back
        String killed = killResumeAndCompare(in, grouped, grouped, log -> log.contains(", engine "));
        assertThat(killed).as("images converted by engines before the kill").contains(", engine ");
    }

    /**
     * Converts {@code in} serially to one folder, then with {@code killedArgs} to another, killed once its journal
     * lists a random number of outputs, then resumed there with {@code resumedArgs}; the two folders must hold the
     * same files, byte for byte. The kill waits also until the killed run's output passes {@code readyToKill}.
     * Returns the killed run's output.
     */
    private String killResumeAndCompare(Path in, List<String> killedArgs, List<String> resumedArgs,
                                        Predicate<String> readyToKill) throws Exception {
        Path whole = tmp.resolve("whole");
        Path output = tmp.resolve("out");
        runToEnd(tmp.resolve("whole.log"), "convert", in.toString(), "--output", whole.toString());
        int images = Samples.files(whole).size();

        // a run killed once its journal lists a random number of outputs (1 to half of them)
        int killAfter = 1 + RANDOM.nextInt(images / 2);
        List<String> killedCommand = new ArrayList<>(List.of("convert", in.toString(), "--output",
                output.toString()));
        killedCommand.addAll(killedArgs);
        Path killedLog = tmp.resolve("killed.log");
        Process victim = greylab(killedCommand.toArray(String[]::new)).redirectOutput(killedLog.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (victim.isAlive() && System.nanoTime() < deadline
                && (journalLines(output) < 1 + killAfter || !readyToKill.test(Files.readString(killedLog)))) {
            Thread.sleep(5);
        }
        // frozen first, so that what is checked below is what the kill finds
        signal("STOP", victim.pid());
        assertThat(victim.isAlive()).as("the batch ended before the kill: %s", Files.readString(killedLog))
                .isTrue();
        assertThat(Samples.files(output).stream()
                .filter(name -> !name.substring(name.lastIndexOf('/') + 1)
                        .startsWith(ImagePipeline.TEMPORARY_PREFIX)))
                .as("outputs in place when killed").hasSizeLessThan(images);
        victim.destroyForcibly();
        assertThat(victim.waitFor(30, TimeUnit.SECONDS)).isTrue();

        List<String> resumedCommand = new ArrayList<>(List.of("convert", in.toString(), "--output",
                output.toString(), "--resume"));
        resumedCommand.addAll(resumedArgs);
        String resumed = runToEnd(tmp.resolve("resumed.log"), resumedCommand.toArray(String[]::new));

        assertThat(resumed).contains("Resuming the batch in").contains("Done: " + images + " converted");
        List<String> names = Samples.files(whole);
        assertThat(Samples.files(output)).containsExactlyElementsOf(names);
        for (String name : names) {
            assertThat(Files.readAllBytes(output.resolve(name))).as(name)
                    .isEqualTo(Files.readAllBytes(whole.resolve(name)));
        }
        return Files.readString(killedLog);
    }
}
