package org.greylab.engine.client;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * How to start an engine from here: which java, which code ({@link EngineCode}: engine-node.jar, or the installed
 * app's own class path), which JVM flags (the class data archive is {@link EngineClassArchive}'s).
 */
final class EngineLauncher {

    /** Where the engine jar is, when it is not where Greylab looks by itself. */
    static final String JAR_PROPERTY = "greylab.engine.jar";
    /**
     * {@code true}: engines run from this JVM's own class path (the installed app sets it, so that its package needs
     * no second copy of the libraries in an engine-node.jar). {@code -Dgreylab.engine.jar} still wins.
     */
    static final String CLASS_PATH_PROPERTY = "greylab.engine.classpath";
    /** The repository or installation root; the launcher script sets it. */
    static final String HOME_PROPERTY = "greylab.home";
    /** {@code false} turns the engines' class data archive off. */
    static final String CDS_PROPERTY = "greylab.engine.cds";

    /** The niceness of local engines (0 turns lowering their priority off). */
    static final String NICE_PROPERTY = "greylab.engine.nice";
    private static final int DEFAULT_NICENESS = 10;

    static final String JAR_NAME = "engine-node.jar";

    private final Path java;
    private final EngineCode code;

    EngineLauncher(EngineCode code) {
        this.java = javaBinary();
        this.code = code;
    }

    Path java() {
        return java;
    }

    EngineCode code() {
        return code;
    }

    /**
     * What engines run: {@code -Dgreylab.engine.jar}'s jar; else this JVM's class path with
     * {@code -Dgreylab.engine.classpath=true} (the installed app); else engine-node.jar found by {@link #findJar()}.
     */
    static EngineCode findCode() {
        String explicit = System.getProperty(JAR_PROPERTY);
        if ((explicit == null || explicit.isBlank()) && Boolean.getBoolean(CLASS_PATH_PROPERTY)) {
            return EngineCode.ownClassPath();
        }
        return EngineCode.jar(findJar());
    }

    /** The java of this JVM: engines run on the same runtime as the client, so their outputs match byte for byte. */
    static Path javaBinary() {
        Optional<String> command = ProcessHandle.current().info().command();
        if (command.isPresent()) {
            Path path = Paths.get(command.get());
            String file = path.getFileName().toString();
            if ((file.equals("java") || file.equals("java.exe")) && Files.isExecutable(path)) {
                return path;
            }
        }
        // a jpackage'd app runs from its own launcher: use the runtime's java instead
        Path home = Paths.get(System.getProperty("java.home"), "bin");
        Path java = home.resolve(isWindows() ? "java.exe" : "java");
        if (Files.isExecutable(java)) {
            return java;
        }
        throw new EngineConnectException(EngineConnectException.Reason.START_FAILED,
                "no java executable found to start engines with (looked at " + java + ")", null);
    }

    /** Finds engine-node.jar: {@code -Dgreylab.engine.jar}, then under {@code greylab.home}, then near this code. */
    static Path findJar() {
        Set<Path> tried = new LinkedHashSet<>();
        String explicit = System.getProperty(JAR_PROPERTY);
        if (explicit != null && !explicit.isBlank()) {
            Path path = Paths.get(explicit).toAbsolutePath().normalize();
            if (Files.isRegularFile(path)) {
                return path;
            }
            throw new EngineConnectException(EngineConnectException.Reason.START_FAILED,
                    "-D" + JAR_PROPERTY + "=" + explicit + " is not a file", null);
        }
        String home = System.getProperty(HOME_PROPERTY);
        if (home != null && !home.isBlank()) {
            Path root = Paths.get(home).toAbsolutePath().normalize();
            tried.add(root.resolve("engine-node").resolve("target").resolve(JAR_NAME));
            tried.add(root.resolve("lib").resolve(JAR_NAME));
            tried.add(root.resolve(JAR_NAME));
        }
        codeLocation().ifPresent(code -> {
            // beside the running code, then up the tree: app/target/lib/x.jar, engine-node/target/classes, ...
            Path dir = Files.isDirectory(code) ? code : code.getParent();
            for (int up = 0; dir != null && up < 5; up++, dir = dir.getParent()) {
                tried.add(dir.resolve(JAR_NAME));
                tried.add(dir.resolve("engine-node").resolve("target").resolve(JAR_NAME));
            }
        });
        for (Path candidate : tried) {
            if (Files.isRegularFile(candidate)) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        throw new EngineConnectException(EngineConnectException.Reason.START_FAILED,
                JAR_NAME + " was not found (looked at " + tried + "): build it with"
                        + " `mvn -pl engine-node -am package`, say where it is with -D" + JAR_PROPERTY + "=PATH,"
                        + " or run the engines from this program's class path with -D" + CLASS_PATH_PROPERTY + "=true",
                null);
    }

    private static Optional<Path> codeLocation() {
        try {
            CodeSource source = EngineLauncher.class.getProtectionDomain().getCodeSource();
            return source == null ? Optional.empty() : Optional.of(Paths.get(source.getLocation().toURI()));
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The POSIX shell that starts a detached engine in the background ({@code /bin/sh}), or null where there is
     * none (Windows), where the engine is started directly and stays this process's child.
     */
    static Path shell() {
        if (isWindows()) {
            return null;
        }
        Path sh = Paths.get("/bin/sh");
        return Files.isExecutable(sh) ? sh : null;
    }

    /**
     * What goes first so that a local engine runs in a session (and process group) of its own: {@code setsid} on
     * Linux, nothing where there is none. A terminal's Ctrl-C goes to its whole foreground process group; engines in
     * the client's group would die with it while the client is still cancelling its run, and the run would end in a
     * lost-engine error instead of its summary. The client stops its engines itself, and an engine still ends when
     * its client dies ({@code --parent-pid}). The engine keeps its pid: {@code setsid} only forks when it is a
     * process group leader, which a child of the client is not.
     */
    static List<String> ownSession() {
        if (isWindows()) {
            return List.of();
        }
        for (String folder : List.of("/usr/bin", "/bin")) {
            Path setsid = Paths.get(folder, "setsid");
            if (Files.isExecutable(setsid)) {
                return List.of(setsid.toString());
            }
        }
        return List.of();
    }

    /**
     * What goes before {@code java} so that a local engine runs at a lower CPU priority than the app that started
     * it ({@code nice -n 10} on Linux and macOS; nothing where there is no {@code nice}, or with
     * {@code -Dgreylab.engine.nice=0}). Engines then take every cycle the app leaves, but when the app's dispatcher,
     * its Hazelcast threads or the window wake up they run at once instead of queueing behind image conversion
     * (measured on 2 cores, bench's probe, 2 runs each: dispatch overhead 1.8 ms instead of 1.9-2.1 ms; cluster
     * start unchanged).
     */
    static List<String> lowerPriority() {
        int niceness = Integer.getInteger(NICE_PROPERTY, DEFAULT_NICENESS);
        if (niceness <= 0 || isWindows()) {
            return List.of();
        }
        for (String folder : List.of("/usr/bin", "/bin")) {
            Path nice = Paths.get(folder, "nice");
            if (Files.isExecutable(nice)) {
                return List.of(nice.toString(), "-n", Integer.toString(Math.min(niceness, 19)));
            }
        }
        return List.of();
    }

    /**
     * The JDK's AES-GCM, which seals every task and answer, runs its bulk loops (GHASH, counter mode) as CPU
     * instructions only once C2 has compiled them; until then the interpreter did it about a hundred times slower,
     * and a 105-photo balanced run spent more CPU sealing than converting (client 5.4 s of user time, 4.3 s with
     * this; engines alike). The client's launchers pass the same flag.
     */
    public static final String SEAL_PATH =
            "-XX:CompileCommand=CompileThresholdScaling,com.sun.crypto.provider.*::*,0.01";

    /**
     * The classes a task runs through on an engine besides the kernel, as JIT class patterns: Hazelcast's client
     * protocol, operation and executor services, serialization and networking, and Greylab's own. The methods of
     * these that ran after an engine's warm-up (JIT log of a run of tiny images) are nearly all in these packages;
     * the rest are the JDK's.
     */
    static final List<String> DISPATCH_PATH = List.of(
            "com.hazelcast.client.impl.protocol.*",
            "com.hazelcast.client.impl.ClientEngineImpl*",
            "com.hazelcast.spi.impl.operationservice.*",
            "com.hazelcast.spi.impl.AbstractInvocationFuture*",
            "com.hazelcast.executor.impl.*",
            "com.hazelcast.internal.serialization.impl.*",
            "com.hazelcast.internal.memory.impl.*",
            "com.hazelcast.internal.networking.nio.*",
            "com.hazelcast.internal.nio.*",
            "com.hazelcast.internal.tpcengine.nio.*",
            "org.greylab.*");

    /** The launcher script's flags for the same classes: compiled at 50 times the usual thresholds. */
    static final List<String> CLASS_FILE_WRITER_LATE = List.of(
            "-XX:CompileCommand=CompileThresholdScaling,jdk.internal.classfile.*::*,50.0",
            "-XX:CompileCommand=CompileThresholdScaling,java.lang.classfile.*::*,50.0");

    /** JVM flags for a local engine (the class data archive flags come separately). */
    static List<String> jvmFlags(String maxHeap) {
        List<String> flags = new ArrayList<>();
        flags.add("-Xmx" + maxHeap);
        // throughput collector: an engine converts images with all its slots and pauses are harmless
        flags.add("-XX:+UseParallelGC");
        // compile later: start-up code runs once and the JIT's work on it was half of an engine's start-up CPU
        // (two engines booting together on 2 cores: ready in 1.2 s instead of 1.6 s); the kernel's loops are hot
        // enough to be compiled as early as before (balanced runs measured equal, first run included)
        flags.add("-XX:CompileThresholdScaling=3");
        // ...except the code every task runs through on its way in and out, which then compiles ten times sooner
        // (0.1 of the tripled thresholds): C2 reached it after about 15,000 tasks per engine, and until then each
        // task cost up to twice the overhead (see DISPATCH_PATH; one task at a time, 2 engines, 300 tiny images a
        // pass after the warm-up: 0.77-0.81 ms by the sixth pass instead of 1.20-1.22 ms; cluster start unchanged)
        flags.add("-XX:CompileCommand=quiet");
        for (String classes : DISPATCH_PATH) {
            flags.add("-XX:CompileCommand=CompileThresholdScaling," + classes + "::*,0.1");
        }
        flags.add(SEAL_PATH);
        // ...and the JDK's class-file writer much later: it runs at start-up and when the first tasks generate their
        // lambdas' and native calls' classes, and C2 then spent about 0.5 s of a cold engine's CPU compiling it
        // (5,000 thumbnails on 2 cold engines, 2 cores), beside the kernel it should be compiling
        flags.addAll(CLASS_FILE_WRITER_LATE);
        if (transparentHugePagesOnRequest(THP_SETTING)) {
            // the heap in 2 MB pages: a serial run of 105 photos took 0.94 of the CPU seconds (user 0.91: fewer TLB
            // misses over image-sized arrays); only where the kernel grants them on request, since elsewhere the JVM
            // prints a warning
            flags.add("-XX:+UseTransparentHugePages");
        }
        flags.add("--enable-native-access=ALL-UNNAMED");
        if (Runtime.version().feature() >= 23) {
            flags.add("--sun-misc-unsafe-memory-access=allow");
        }
        // the JVM's own warnings go to stderr: an engine's stdout carries only its ready line
        flags.add("-Xlog:disable");
        flags.add("-Xlog:all=warning:stderr");
        flags.add("-Djava.awt.headless=true");
        return flags;
    }

    /** Where Linux says whether transparent huge pages are given always, on request ({@code madvise}) or never. */
    static final Path THP_SETTING = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");

    /** Whether {@code setting} (a file like {@link #THP_SETTING}) selects {@code [always]} or {@code [madvise]}. */
    static boolean transparentHugePagesOnRequest(Path setting) {
        try {
            String modes = Files.readString(setting);
            return modes.contains("[always]") || modes.contains("[madvise]");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }
}
