package org.greylab.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    @Test
    void javaHomesJavaIsRunWhenItsReleaseSays22OrNewerWhetherItsJavaIsTheJdksOwnOrALinkToIt() throws Exception {
        Path checkout = builtCheckout();
        // a Java 23, and a folder whose bin/java is only a link to it
        Path args = tmp.resolve("args.txt");
        Path java = fakeJava("23.0.1", args);
        Path linked = tmp.resolve("linked");
        Files.createSymbolicLink(Files.createDirectories(linked.resolve("bin")).resolve("java"), java);

        for (Path javaHome : List.of(java.getParent().getParent(), linked)) {
            Files.deleteIfExists(args);
            ProcessBuilder builder = new ProcessBuilder("/bin/bash", checkout.resolve("greylab").toString(),
                    "--version").redirectErrorStream(true);
            builder.environment().remove("GREYLAB_JAVA");
            builder.environment().put("JAVA_HOME", javaHome.toString());
            builder.environment().put("GREYLAB_CDS", "off");
            runsWithoutError(builder, javaHome.toString());
            // the option only a Java 23 or newer is given: the version was read from the JDK's release file
            assertThat(Files.readString(args)).as(javaHome.toString())
                    .contains("--sun-misc-unsafe-memory-access=allow").contains("-jar").endsWith("--version\n");
        }
    }

    @Test
    void startingOrStoppingEnginesRecordsNoClassCacheAndListingThemDoes() throws Exception {
        Path checkout = builtCheckout();
        Path args = tmp.resolve("args.txt");
        Path fakeJava = fakeJava("25.0.3", args);

        for (String command : new String[] {"engines start --engines 2", "engines stop", "engines", "bench x"}) {
            Files.deleteIfExists(args);
            List<String> line = new ArrayList<>(List.of("/bin/bash",
                    checkout.resolve("greylab").toString()));
            line.addAll(List.of(command.split(" ")));
            ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true);
            builder.environment().put("GREYLAB_JAVA", fakeJava.toString());
            builder.environment().put("XDG_RUNTIME_DIR", Files.createDirectories(tmp.resolve("run")).toString());
            runsWithoutError(builder, command);
            String started = Files.readString(args);
            if (command.startsWith("engines s")) {
                // they connect no client: a cache recorded from them would lack its classes for every later run
                assertThat(started).as(command).contains("-jar").doesNotContain("AOTMode=record");
            } else {
                assertThat(started).as(command).contains("-XX:AOTMode=record");
            }
        }
    }

    /** Runs the launcher as {@code builder} says and checks that it exits with status 0. */
    private static void runsWithoutError(ProcessBuilder builder, String what) throws Exception {
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("%s: %s", what, output).isZero();
    }

    /** A checkout with the launcher and a built (empty) app jar (the test is skipped without bash to run it). */
    private Path builtCheckout() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash");
        Path checkout = Files.createDirectories(tmp.resolve("checkout"));
        Files.copy(Samples.repo().resolve("greylab"), checkout.resolve("greylab"));
        Files.createDirectories(checkout.resolve("app/target/lib"));
        Files.write(checkout.resolve("app/target/greylab-app.jar"), new byte[0]);
        return checkout;
    }

    /**
     * The bin/java of a JDK whose release file says {@code version}, with a class data archive of its own; it writes
     * down how it was started in {@code args}.
     */
    private Path fakeJava(String version, Path args) throws IOException {
        Path jdk = tmp.resolve("jdk");
        Files.createDirectories(jdk.resolve("lib/server"));
        Files.write(jdk.resolve("lib/server/classes.jsa"), new byte[0]);
        Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
        Path java = Files.createDirectories(jdk.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/bash\necho \"$*\" >> '" + args + "'\n");
        assertThat(java.toFile().setExecutable(true)).isTrue();
        return java;
    }
}
