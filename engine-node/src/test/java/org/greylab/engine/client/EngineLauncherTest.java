package org.greylab.engine.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.Hazelcast;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The code and JVM flags local engines start with. */
class EngineLauncherTest {

    @Test
    void theInstalledAppsSettingRunsEnginesFromThisJvmsOwnClassPathAndMainClass() {
        String before = System.getProperty(EngineLauncher.CLASS_PATH_PROPERTY);
        System.setProperty(EngineLauncher.CLASS_PATH_PROPERTY, "true");
        try {
            EngineCode code = EngineLauncher.findCode();

            List<Path> own = java.util.Arrays.stream(System.getProperty("java.class.path")
                    .split(java.io.File.pathSeparator)).filter(e -> !e.isBlank())
                    .map(e -> Path.of(e).toAbsolutePath().normalize()).toList();
            assertThat(code.executableJar()).isFalse();
            assertThat(code.classPath()).isEqualTo(own);
            List<String> arguments = code.javaArguments();
            assertThat(arguments).doesNotContain("-jar").endsWith("-cp", String.join(java.io.File.pathSeparator,
                    own.stream().map(Path::toString).toList()), EngineCode.MAIN_CLASS);
        } finally {
            restore(EngineLauncher.CLASS_PATH_PROPERTY, before);
        }
    }

    @Test
    void anExplicitEngineJarWinsOverTheClassPathSetting(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path jar = java.nio.file.Files.createFile(dir.resolve(EngineLauncher.JAR_NAME));
        String beforeClassPath = System.getProperty(EngineLauncher.CLASS_PATH_PROPERTY);
        String beforeJar = System.getProperty(EngineLauncher.JAR_PROPERTY);
        System.setProperty(EngineLauncher.CLASS_PATH_PROPERTY, "true");
        System.setProperty(EngineLauncher.JAR_PROPERTY, jar.toString());
        try {
            EngineCode code = EngineLauncher.findCode();

            assertThat(code.executableJar()).isTrue();
            assertThat(code.javaArguments()).containsExactly("-jar", jar.toAbsolutePath().normalize().toString());
        } finally {
            restore(EngineLauncher.CLASS_PATH_PROPERTY, beforeClassPath);
            restore(EngineLauncher.JAR_PROPERTY, beforeJar);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    @Test
    void hugePagesAreAskedForOnlyWhereTheKernelGrantsThem(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path setting = dir.resolve("enabled");

        java.nio.file.Files.writeString(setting, "always [madvise] never\n");
        boolean onRequest = EngineLauncher.transparentHugePagesOnRequest(setting);
        java.nio.file.Files.writeString(setting, "[always] madvise never\n");
        boolean always = EngineLauncher.transparentHugePagesOnRequest(setting);
        java.nio.file.Files.writeString(setting, "always madvise [never]\n");
        boolean never = EngineLauncher.transparentHugePagesOnRequest(setting);

        org.assertj.core.api.Assertions.assertThat(onRequest).isTrue();
        org.assertj.core.api.Assertions.assertThat(always).isTrue();
        org.assertj.core.api.Assertions.assertThat(never).isFalse();
        org.assertj.core.api.Assertions.assertThat(EngineLauncher.transparentHugePagesOnRequest(dir.resolve("none")))
                .isFalse();
    }

    @Test
    void everyDispatchPathPatternNamesClassesThatExist() throws Exception {
        // a Hazelcast upgrade that moves a package would leave its pattern matching nothing, silently
        Path hazelcastJar = Path.of(Hazelcast.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> classes;
        try (JarFile jar = new JarFile(hazelcastJar.toFile())) {
            classes = jar.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
                    .collect(Collectors.toCollection(ArrayList::new));
        }
        classes.add(EngineLauncher.class.getName());

        assertThat(EngineLauncher.DISPATCH_PATH).isNotEmpty().allSatisfy(pattern -> {
            assertThat(pattern).endsWith("*");
            String prefix = pattern.substring(0, pattern.length() - 1);
            assertThat(classes).as("classes matching %s", pattern).anyMatch(c -> c.startsWith(prefix));
        });
    }

    @Test
    void theDispatchPathCompilesSoonerThanTheRestAndQuietly() {
        List<String> flags = EngineLauncher.jvmFlags("1g");

        assertThat(flags).contains("-XX:CompileThresholdScaling=3");
        // without "quiet" the JVM prints each command on stdout, where an engine prints only its ready line
        int quiet = flags.indexOf("-XX:CompileCommand=quiet");
        assertThat(quiet).isNotNegative();
        for (String pattern : EngineLauncher.DISPATCH_PATH) {
            String flag = "-XX:CompileCommand=CompileThresholdScaling," + pattern + "::*,0.1";
            assertThat(flags.indexOf(flag)).as(flag).isGreaterThan(quiet);
        }
        for (String flag : EngineLauncher.CLASS_FILE_WRITER_LATE) {
            assertThat(flags.indexOf(flag)).as(flag).isGreaterThan(quiet);
        }
    }
}
