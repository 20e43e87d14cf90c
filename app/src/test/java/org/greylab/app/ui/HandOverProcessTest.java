package org.greylab.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.greylab.app.instance.InstanceChannel;
import org.greylab.app.instance.InstanceServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real second {@code greylab PATH} process, with this test listening as the window already open: it finds the
 * channel from {@code $XDG_RUNTIME_DIR}, hands over the absolute path, and exits 0 without opening anything.
 */
class HandOverProcessTest {

    @TempDir
    Path tmp;

    @Test
    void aSecondGreylabHandsItsPathToTheWindowAlreadyOpenAndExitsZero() throws Exception {
        Assumptions.assumeTrue(System.getProperty("os.name", "").toLowerCase().contains("linux"), "Linux only");
        Path runtime = Files.createDirectory(tmp.resolve("run"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path other = Files.createDirectories(tmp.resolve("other"));
        BlockingQueue<List<Path>> received = new LinkedBlockingQueue<>();
        InstanceChannel.Claim claim = new InstanceChannel(runtime.resolve("greylab/window.socket")).claim(List.of());
        try (InstanceServer window = ((InstanceChannel.Serving) claim).server()) {
            window.onRequest(received::add);

            String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
            ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    "org.greylab.app.Main", "other").redirectErrorStream(true).directory(tmp.toFile());
            pb.environment().put("DISPLAY", ":99");
            pb.environment().put("XDG_RUNTIME_DIR", runtime.toString());
            Process process = pb.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(output).isZero();
            assertThat(output).contains("Added to the Greylab window already open.");
            assertThat(received.poll(5, TimeUnit.SECONDS)).containsExactly(other);
        }
    }
}
