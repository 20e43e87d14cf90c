package org.greylab.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The built jars hold no class that the AOT cache skips: on JDK 24+ the build rewrites pre-Java 6 classes
 * (picocli's) as Java 8 classes (installer/build/AotLinkableClasses.java). Without it each start of the app and of
 * every engine loads, parses and verifies picocli from its jar. The other tests run these very jars, picocli parsing
 * every command line with the rewritten classes.
 */
class AotLinkableClassesIT {

    /** Java 6's class file version: the oldest the AOT cache links. */
    private static final int FIRST_LINKABLE = 50;

    @Test
    void theAppsLibrariesAndTheEngineJarHoldOnlyClassesTheAotCacheLinks() throws IOException {
        Assumptions.assumeTrue(Runtime.version().feature() >= 24, "the build rewrites the classes on JDK 24+ only");
        List<Path> jars = new ArrayList<>();
        try (Stream<Path> lib = Files.list(Path.of("target", "lib"))) {
            lib.filter(p -> p.toString().endsWith(".jar")).forEach(jars::add);
        }
        jars.add(Path.of(System.getProperty("greylab.engine.jar")));
        assertThat(jars).anyMatch(p -> p.getFileName().toString().startsWith("picocli-"));

        List<String> old = new ArrayList<>();
        int picocliClasses = 0;
        for (Path jar : jars) {
            try (JarFile file = new JarFile(jar.toFile(), false)) {
                for (JarEntry entry : Collections.list(file.entries())) {
                    String name = entry.getName();
                    if (!name.endsWith(".class") || name.startsWith("META-INF/")) {
                        continue;
                    }
                    int version = version(file, entry);
                    if (version < FIRST_LINKABLE) {
                        old.add(jar.getFileName() + "!" + name + " (" + version + ")");
                    }
                    if (name.startsWith("picocli/")) {
                        picocliClasses++;
                    }
                }
            }
        }
        assertThat(picocliClasses).as("picocli's classes, in the app's lib and in the engine jar").isGreaterThan(200);
        assertThat(old).isEmpty();
    }

    private static int version(JarFile file, JarEntry entry) throws IOException {
        try (InputStream in = file.getInputStream(entry)) {
            byte[] head = in.readNBytes(8);
            return ((head[6] & 0xff) << 8) | (head[7] & 0xff);
        }
    }
}
