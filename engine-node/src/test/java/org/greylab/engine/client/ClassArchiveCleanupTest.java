package org.greylab.engine.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a launch that finds its build's class archive in place does with the archives of other builds. */
class ClassArchiveCleanupTest {

    @TempDir
    Path tmp;

    @Test
    void aLaunchThatFindsItsArchiveDeletesOtherBuildsArchivesListsAndEndedRecordings() throws Exception {
        // the archive is keyed on the jar's path, size and time, which any jar has (this runs before the real one
        // is packaged)
        Path jar = tmp.resolve(EngineLauncher.JAR_NAME);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("greylab.txt"));
            out.write("a jar".getBytes(StandardCharsets.US_ASCII));
        }
        Optional<EngineClassArchive> found = EngineClassArchive.of(EngineLauncher.javaBinary(), EngineCode.jar(jar));
        assumeTrue(found.isPresent(), "this runtime has no base class data archive to build on");
        EngineClassArchive archive = found.get();
        // as a dump started by 'engines start' leaves them: ours in place, an earlier build's beside it
        Files.writeString(archive.archive(), "ours");
        Files.writeString(archive.classList(), "ours");
        String suffix = archive.isAotCache() ? ".aot" : ".jsa";
        Path otherArchive = Files.writeString(tmp.resolve("engine-node-0123456789abcdef" + suffix), "theirs");
        Path otherList = Files.writeString(tmp.resolve("engine-node-0123456789abcdef"
                + (archive.isAotCache() ? ".aotconf" : ".classlist")), "theirs");
        Path unrelated = Files.writeString(tmp.resolve("notes.txt"), "someone's");
        // recordings of detached engines of that build, each noted with its engine's pid: one engine has ended,
        // one still runs (this process stands for it), one never wrote its recording
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        String recordingName = "engine-node-0123456789abcdef" + (archive.isAotCache() ? ".aotconf" : ".classlist");
        Path endedRecording = Files.writeString(tmp.resolve(recordingName + ".11-0.tmp"), "cut short");
        Path endedNote = Files.writeString(tmp.resolve(recordingName + ".11-0.tmp.pid"), Long.toString(ended.pid()));
        Path runningRecording = Files.writeString(tmp.resolve(recordingName + ".12-0.tmp"), "being written");
        Path runningNote = Files.writeString(tmp.resolve(recordingName + ".12-0.tmp.pid"),
                Long.toString(ProcessHandle.current().pid()));
        Path orphanNote = Files.writeString(tmp.resolve(recordingName + ".13-0.tmp.pid"), Long.toString(ended.pid()));

        assertThat(archive.dumpIfListed()).isEmpty();

        assertThat(otherArchive).doesNotExist();
        assertThat(otherList).doesNotExist();
        assertThat(endedRecording).doesNotExist();
        assertThat(endedNote).doesNotExist();
        assertThat(orphanNote).doesNotExist();
        assertThat(runningRecording).exists();
        assertThat(runningNote).exists();
        assertThat(archive.archive()).hasContent("ours");
        assertThat(archive.classList()).hasContent("ours");
        assertThat(unrelated).exists();
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left).hasSize(6);
        }
    }
}
