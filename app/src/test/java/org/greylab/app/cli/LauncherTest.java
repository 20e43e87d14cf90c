package org.greylab.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.greylab.core.testing.Samples;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ./greylab launcher script, run for real by bash. */
class LauncherTest {

    @TempDir
    Path tmp;

    @Test
    void saysWhatToBuildFirstWhenTheJarIsMissing() throws Exception {
        Path script = Samples.repo().resolve("greylab");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash");
        Path copy = Files.copy(script, tmp.resolve("greylab"));

        Process process = new ProcessBuilder("/bin/bash", copy.toString(), "convert", "x")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output).contains("not built yet").contains("mvn -B -DskipTests package");
    }
}
