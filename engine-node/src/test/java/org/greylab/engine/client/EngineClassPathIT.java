package org.greylab.engine.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.greylab.core.image.ConversionSettings;
import org.greylab.core.image.GreyscaleKernel;
import org.greylab.core.schedule.ConvertTask;
import org.greylab.core.schedule.TaskOutcome;
import org.greylab.core.testing.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Engines started as the installed app starts them: from a class path of separate jars (the plain engine-node jar and
 * its dependencies, copied into a lib folder as the app image holds them), not from the self-contained
 * engine-node.jar.
 */
class EngineClassPathIT {

    private static final String SAMPLE = "chelsea.png";

    @Test
    void anEngineRunsFromAClassPathOfSeparateJarsAndConvertsByteIdenticalToInProcess(@TempDir Path temp)
            throws Exception {
        EngineCode code = EngineCode.classPath(libFolder(temp));
        Optional<EngineClassArchive> archive = EngineClassArchive.of(EngineLauncher.javaBinary(), code);
        LocalEngines.Options options = LocalEngines.Options.of(1, 1).withEngineCode(code);
        byte[] expected = new GreyscaleKernel().convert(Samples.bytes(SAMPLE), ConversionSettings.defaults())
                .output();

        try (HazelcastEngineCluster cluster = HazelcastEngineCluster.startLocal(options)) {
            long pid = cluster.localEngines().orElseThrow().processes().get(0).pid();
            List<String> arguments = List.of(ProcessHandle.of(pid).orElseThrow().info().arguments().orElseThrow());

            assertThat(arguments).contains("-cp", EngineCode.MAIN_CLASS).doesNotContain("-jar")
                    .noneMatch(argument -> argument.contains(EngineLauncher.JAR_NAME));
            assertThat(convert(cluster).result().output()).isEqualTo(expected);
        }
        if (archive.isEmpty()) {
            return;
        }
        // the class data archive works over a class path too: the second launch dumps it, the third maps it
        assertThat(archive.get().classList()).isRegularFile();
        try (HazelcastEngineCluster second = HazelcastEngineCluster.startLocal(options)) {
            assertThat(second.engines()).hasSize(1);
        }
        assertThat(archive.get().archive()).isRegularFile();
        try (HazelcastEngineCluster third = HazelcastEngineCluster.startLocal(options)) {
            long pid = third.localEngines().orElseThrow().processes().get(0).pid();
            List<String> arguments = List.of(ProcessHandle.of(pid).orElseThrow().info().arguments().orElseThrow());
            assertThat(arguments).anyMatch(argument -> argument.endsWith(archive.get().archive().toString()));

            assertThat(convert(third).result().output()).isEqualTo(expected);
        }
    }

    @Test
    void anEngineStopsWithStatusThreeWhenTheEngineJarInItsClassPathIsReplaced(@TempDir Path temp) throws Exception {
        List<Path> classPath = libFolder(temp);
        Path engineJar = classPath.get(0);
        LocalEngines.Options options = LocalEngines.Options.of(1, 1).withEngineCode(EngineCode.classPath(classPath));
        // no class list recording: what the JVM says when it writes one on the way out would hide the engine's reason
        String cds = System.getProperty(EngineLauncher.CDS_PROPERTY);
        System.setProperty(EngineLauncher.CDS_PROPERTY, "false");

        try (LocalEngines engines = LocalEngines.start(options)) {
            EngineProcess engine = engines.processes().get(0);

            // as a package upgrade does it: the new copy written beside, then renamed over the old
            Path next = engineJar.resolveSibling(engineJar.getFileName() + ".new");
            Files.copy(engineJar, next);
            Files.move(next, engineJar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

            engine.onExit().get(30, TimeUnit.SECONDS);
            assertThat(engine.process().waitFor()).isEqualTo(3);
            assertThat(engine.output()).contains("was replaced or removed");
        } finally {
            if (cds == null) {
                System.clearProperty(EngineLauncher.CDS_PROPERTY);
            } else {
                System.setProperty(EngineLauncher.CDS_PROPERTY, cds);
            }
        }
    }

    @Test
    void aClassPathStartGrantsHazelcastWhatEngineNodeJarsManifestGrants() throws Exception {
        Manifest manifest;
        try (JarFile jar = new JarFile(EngineLauncher.findJar().toFile())) {
            manifest = jar.getManifest();
        }
        List<String> granted = new ArrayList<>();
        for (String exported : manifest.getMainAttributes().getValue("Add-Exports").trim().split("\\s+")) {
            granted.add("--add-exports=" + exported + "=ALL-UNNAMED");
        }
        for (String opened : manifest.getMainAttributes().getValue("Add-Opens").trim().split("\\s+")) {
            granted.add("--add-opens=" + opened + "=ALL-UNNAMED");
        }

        assertThat(EngineCode.HAZELCAST_ACCESS).containsExactlyInAnyOrderElementsOf(granted);
        assertThat(EngineCode.classPath(List.of(Paths.get("a.jar"))).javaArguments())
                .containsAll(EngineCode.HAZELCAST_ACCESS);
    }

    /**
     * The engine's jar and its dependencies copied into {@code temp/lib} (the engine's jar first); a folder entry
     * (classes a reactor build has not packaged) is kept where it is.
     */
    private static List<Path> libFolder(Path temp) throws Exception {
        String property = System.getProperty("greylab.engine.test.classpath", "");
        assumeTrue(!property.isBlank(), "needs the engine's class path (failsafe passes it after package)");
        Path lib = Files.createDirectories(temp.resolve("lib"));
        List<Path> copies = new ArrayList<>();
        for (String entry : Arrays.stream(property.split(File.pathSeparator)).filter(e -> !e.isBlank()).toList()) {
            Path source = Paths.get(entry);
            copies.add(Files.isRegularFile(source)
                    ? Files.copy(source, lib.resolve(source.getFileName()), StandardCopyOption.COPY_ATTRIBUTES)
                    : source);
        }
        assertThat(copies.get(0).getFileName().toString()).startsWith("greylab-engine-node-").endsWith(".jar");
        return copies;
    }

    private static TaskOutcome convert(HazelcastEngineCluster cluster) throws Exception {
        return cluster.submit(0, new ConvertTask(1, SAMPLE, Samples.bytes(SAMPLE),
                ConversionSettings.defaults())).get(60, TimeUnit.SECONDS);
    }
}
