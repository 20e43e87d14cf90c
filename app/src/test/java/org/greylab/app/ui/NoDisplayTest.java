package org.greylab.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** greylab without a display: a sentence, the convert command to use instead, exit status 2. */
class NoDisplayTest {

    @TempDir
    Path tmp;

    private Path runtime;

    @BeforeEach
    void privateRuntimeFolder() throws Exception {
        Assumptions.assumeTrue(System.getProperty("os.name", "").toLowerCase().contains("linux"), "Linux only");
        // never the user's own channel: a window of theirs must not take the test's paths
        runtime = Files.createDirectory(tmp.resolve("run"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    private record Result(int status, String output) {
    }

    private Result greylab(String... args) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "org.greylab.app.Main"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).directory(tmp.toFile());
        pb.environment().remove("DISPLAY");
        pb.environment().remove("WAYLAND_DISPLAY");
        pb.environment().put("XDG_RUNTIME_DIR", runtime.toString());
        Process process = pb.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }

    @Test
    void withoutADisplayItSaysSoPointsToConvertAndExitsTwo() throws Exception {
        Result result = greylab();

        assertThat(result.status()).isEqualTo(2);
        assertThat(result.output()).contains("no display").contains("greylab convert");
    }

    @Test
    void aFolderWithoutADisplayExitsTwoWithTheConvertCommandThatWouldDoTheJob() throws Exception {
        Files.createDirectories(tmp.resolve("My Photos"));
        Files.createDirectories(tmp.resolve("scans"));

        Result result = greylab("My Photos", "scans");

        assertThat(result.status()).isEqualTo(2);
        assertThat(result.output()).contains("cannot open the window: there is no display")
                .contains("greylab convert 'My Photos' scans");
    }
}
