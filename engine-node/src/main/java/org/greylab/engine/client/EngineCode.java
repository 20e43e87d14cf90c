package org.greylab.engine.client;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The code a local engine runs: the self-contained {@code engine-node.jar} ({@code java -jar}, a checkout's build or
 * a lab's copy), or a class path of separate jars with the engine's main class: the installed app's own jars, so
 * that its package carries the libraries once.
 *
 * @param classPath      the jar alone, or the class path's entries in order
 * @param executableJar  whether {@code classPath} is one jar run with {@code java -jar} (its manifest names the main
 *                       class and opens what Hazelcast needs)
 */
public record EngineCode(List<Path> classPath, boolean executableJar) {

    /** What {@code java -jar engine-node.jar} starts. */
    public static final String MAIN_CLASS = "org.greylab.engine.node.EngineNodeMain";

    /**
     * What engine-node.jar's manifest grants Hazelcast (Add-Exports, Add-Opens), as flags: a class path start reads
     * no manifest. The same list as the parent pom's {@code greylab.hazelcast.jvm}.
     */
    static final List<String> HAZELCAST_ACCESS = List.of(
            "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.management/sun.management=ALL-UNNAMED",
            "--add-opens=jdk.management/com.sun.management.internal=ALL-UNNAMED");

    public EngineCode {
        classPath = classPath.stream().map(entry -> entry.toAbsolutePath().normalize())
                .collect(Collectors.toUnmodifiableList());
        if (classPath.isEmpty()) {
            throw new IllegalArgumentException("an engine needs code to run: the class path is empty");
        }
        if (executableJar && classPath.size() != 1) {
            throw new IllegalArgumentException("java -jar runs one jar, not " + classPath);
        }
    }

    /** {@code java -jar jar}. */
    public static EngineCode jar(Path jar) {
        return new EngineCode(List.of(Objects.requireNonNull(jar, "jar")), true);
    }

    /** {@code java -cp ENTRIES org.greylab.engine.node.EngineNodeMain}. */
    public static EngineCode classPath(List<Path> entries) {
        return new EngineCode(entries, false);
    }

    /**
     * This JVM's own class path ({@code java.class.path}): the installed app starts its engines from the jars it
     * runs from itself.
     */
    static EngineCode ownClassPath() {
        String property = System.getProperty("java.class.path", "");
        List<Path> entries = new ArrayList<>();
        for (String entry : property.split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                entries.add(Paths.get(entry));
            }
        }
        if (entries.isEmpty()) {
            throw new EngineConnectException(EngineConnectException.Reason.START_FAILED,
                    "this program has no class path to start engines from (java.class.path is empty)", null);
        }
        return classPath(entries);
    }

    /** The jar of {@link #jar(Path)}; for a class path, its first entry. */
    public Path first() {
        return classPath.get(0);
    }

    /** Whether every entry is a jar file (a class data archive cannot be made over class folders). */
    boolean allJars() {
        return classPath.stream().allMatch(Files::isRegularFile);
    }

    /** What follows the JVM flags on the engine's command line: the code and the main class. */
    List<String> javaArguments() {
        if (executableJar) {
            return List.of("-jar", first().toString());
        }
        List<String> arguments = new ArrayList<>(HAZELCAST_ACCESS);
        arguments.add("-cp");
        arguments.add(classPath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
        arguments.add(MAIN_CLASS);
        return arguments;
    }

    @Override
    public String toString() {
        return executableJar ? first().toString() : "class path " + classPath;
    }
}
