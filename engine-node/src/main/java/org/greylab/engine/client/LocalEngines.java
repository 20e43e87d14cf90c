package org.greylab.engine.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.greylab.engine.node.EngineNode;
import org.greylab.engine.security.ClusterKey;
import org.greylab.engine.security.Sealer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Engines on this machine, like {@code ipcluster start -n N}: N engine-node processes ({@code java -jar
 * engine-node.jar}, or the installed app's class path: {@link EngineCode}) on 127.0.0.1 with a random cluster
 * name. They stop with {@link #close()}, with this JVM's shutdown, and, because each is told this process's pid, on
 * their own within seconds of this process being killed.
 *
 * <p>Usually reached through {@link HazelcastEngineCluster#startLocal}, which also waits until all are visible.
 */
public final class LocalEngines implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalEngines.class);

    static final String LOOPBACK = "127.0.0.1";
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    /** How long an engine that records the class archive is given to write it on its way out. */
    private static final Duration RECORDING_STOP_GRACE = Duration.ofSeconds(10);
    /** How long {@link #close()} waits for a class archive dump still running (it takes about 4 s of CPU). */
    private static final Duration ARCHIVE_DUMP_WAIT = Duration.ofSeconds(30);

    /**
     * How to start local engines.
     *
     * @param engines        how many
     * @param slotsPerEngine images each converts at once
     * @param startTimeout   how long all may take to be ready
     * @param maxHeap        each engine's -Xmx, e.g. {@code 1g}
     * @param engineCode     what the engines run (engine-node.jar, or a class path), or null to find it
     * @param extraJvmArgs   more JVM flags for each engine
     * @param idleTimeout    how long an engine may go without a task before it stops itself; null for never
     * @param detachedLog    for engines that outlive this process ({@link #detach()}): the file their logs go to;
     *                       null for engines tied to this process
     */
    public record Options(int engines, int slotsPerEngine, Duration startTimeout, String maxHeap, EngineCode engineCode,
                          List<String> extraJvmArgs, Duration idleTimeout, Path detachedLog) {

        public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);
        public static final String DEFAULT_MAX_HEAP = "1g";

        public Options {
            if (engines < 1) {
                throw new IllegalArgumentException("at least one engine, not " + engines);
            }
            if (slotsPerEngine < 1) {
                throw new IllegalArgumentException("at least one slot per engine, not " + slotsPerEngine);
            }
            extraJvmArgs = List.copyOf(extraJvmArgs);
        }

        /** {@code engines} engines of {@code slots} slots, found jar, 1 GiB heap each, 60 s to start. */
        public static Options of(int engines, int slots) {
            return new Options(engines, slots, DEFAULT_START_TIMEOUT, DEFAULT_MAX_HEAP, null, List.of(), null, null);
        }

        public Options withStartTimeout(Duration timeout) {
            return new Options(engines, slotsPerEngine, timeout, maxHeap, engineCode, extraJvmArgs,
                    idleTimeout, detachedLog);
        }

        public Options withMaxHeap(String heap) {
            return new Options(engines, slotsPerEngine, startTimeout, heap, engineCode, extraJvmArgs,
                    idleTimeout, detachedLog);
        }

        public Options withEngineJar(Path jar) {
            return withEngineCode(EngineCode.jar(jar));
        }

        public Options withEngineCode(EngineCode code) {
            return new Options(engines, slotsPerEngine, startTimeout, maxHeap, code, extraJvmArgs,
                    idleTimeout, detachedLog);
        }

        public Options withIdleTimeout(Duration timeout) {
            return new Options(engines, slotsPerEngine, startTimeout, maxHeap, engineCode, extraJvmArgs,
                    timeout, detachedLog);
        }

        /**
         * Engines that keep running when this process ends, like {@code ipcluster start}'s: they stop on their idle
         * timeout (which these options must have) or when asked, log to {@code log}, and warm their kernel up by
         * themselves once ready, since no client may come to do it.
         */
        public Options detached(Path log) {
            if (idleTimeout == null) {
                throw new IllegalArgumentException("detached engines need an idle timeout");
            }
            return new Options(engines, slotsPerEngine, startTimeout, maxHeap, engineCode, extraJvmArgs, idleTimeout,
                    log);
        }

        public Options withExtraJvmArgs(List<String> args) {
            return new Options(engines, slotsPerEngine, startTimeout, maxHeap, engineCode, args,
                    idleTimeout, detachedLog);
        }
    }

    private final Options options;
    private final EngineLauncher launcher;
    private final String clusterName;
    /** Fresh for these engines alone; they read it from a pipe, never from their command line or a file. */
    private final ClusterKey key = ClusterKey.generate();
    private final List<EngineProcess> processes = new ArrayList<>();
    private final Set<Integer> usedPorts = new HashSet<>();
    private static final long SHUTDOWN_HOLD_SECONDS = 15;

    private final Thread shutdownHook;
    private final long startedNanos = System.nanoTime();
    private volatile Duration readyTime;
    private volatile Duration startupTime;
    private final Optional<EngineClassArchive> classArchive;
    private boolean classListBeingRecorded;
    private volatile CompletableFuture<Void> archiveDump;
    private boolean closed;
    /** What the JVM's shutdown waits for before it stops the engines (a cancelled run finishing). */
    private volatile CompletionStage<?> stopAfter = CompletableFuture.completedFuture(null);

    private LocalEngines(Options options) {
        this.options = options;
        this.launcher = new EngineLauncher(options.engineCode() != null ? options.engineCode()
                : EngineLauncher.findCode());
        this.classArchive = EngineClassArchive.of(launcher.java(), launcher.code());
        this.clusterName = "greylab-local-" + UUID.randomUUID().toString().substring(0, 8);
        if (options.detachedLog() == null) {
            this.shutdownHook = new Thread(this::stopAtShutdown, "greylab-local-engines-stop");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } else {
            this.shutdownHook = null;
        }
    }

    /**
     * What to put before a command so that it runs in a session of its own ({@code setsid} where there is one):
     * for a process that must outlive the terminal and its Ctrl-C, as local engines do.
     */
    public static List<String> ownSessionPrefix() {
        return EngineLauncher.ownSession();
    }

    /**
     * Starts the engines and returns when every one has printed its ready line.
     *
     * @throws EngineConnectException (START_FAILED) naming the engine that failed, with its output
     */
    public static LocalEngines start(Options options) {
        LocalEngines engines = launch(options);
        try {
            engines.awaitAllReady();
            return engines;
        } catch (RuntimeException e) {
            engines.close();
            throw e;
        }
    }

    /** Starts the processes and returns at once; {@link #awaitAllReady()} waits for them. */
    static LocalEngines launch(Options options) {
        LocalEngines engines = new LocalEngines(options);
        try {
            // The first engine is master at once (it has no one to ask); the others ask only it, so there is no
            // master election among engines starting together (which costs about 3 s).
            EngineProcess first = engines.launch(List.of());
            for (int i = 1; i < options.engines(); i++) {
                engines.launch(List.of(first.address()));
            }
            return engines;
        } catch (RuntimeException e) {
            engines.close();
            throw e;
        }
    }

    /** The engine that {@code shell} started, from the pid it printed; the shell itself is gone or going. */
    private static ProcessHandle startedByShell(String name, Process shell, BufferedReader output) throws IOException {
        String line = output.readLine();
        long pid;
        try {
            pid = Long.parseLong(line == null ? "" : line.strip());
        } catch (NumberFormatException e) {
            shell.destroyForcibly();
            throw new IOException("the shell that starts engine " + name + " said " + (line == null ? "nothing"
                    : "'" + line + "'") + " instead of its pid");
        }
        return ProcessHandle.of(pid).orElseThrow(() -> new IOException("engine " + name + " (pid " + pid
                + ") ended as soon as it started"));
    }

    /** Waits until every engine started so far is ready. */
    void awaitAllReady() {
        awaitReady(processes(), remaining());
        if (readyTime == null) {
            readyTime = Duration.ofNanos(System.nanoTime() - startedNanos);
            // now, not before: the dump would slow down the start it is meant to speed up
            classArchive.flatMap(EngineClassArchive::dumpIfListed).ifPresent(dump -> archiveDump = dump);
        }
    }

    /** What is left of the start timeout. */
    Duration remaining() {
        Duration left = options.startTimeout().minusNanos(System.nanoTime() - startedNanos);
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** Starts one more engine that joins the running ones (e.g. mid-batch); returns once it is ready. */
    public EngineProcess addEngine() {
        List<EngineAddress> peers;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("these local engines are closed");
            }
            peers = processes.stream().filter(EngineProcess::isAlive).map(EngineProcess::address)
                    .collect(Collectors.toList());
        }
        EngineProcess process = launch(peers);
        awaitReady(List.of(process), options.startTimeout());
        return process;
    }

    private synchronized EngineProcess launch(List<EngineAddress> peers) {
        int index = processes.size();
        String name = "local-" + index;
        int port = freePort();
        List<String> command = new ArrayList<>(EngineLauncher.ownSession());
        command.addAll(EngineLauncher.lowerPriority());
        command.add(launcher.java().toString());
        command.addAll(EngineLauncher.jvmFlags(options.maxHeap()));
        EngineClassArchive.Flags archiveFlags = classArchive
                .map(archive -> archive.flagsForEngine(!classListBeingRecorded, Integer.toString(index)))
                .orElse(new EngineClassArchive.Flags(List.of(), null));
        classListBeingRecorded |= archiveFlags.recording() != null;
        command.addAll(archiveFlags.jvmFlags());
        command.addAll(options.extraJvmArgs());
        if (Boolean.getBoolean(Sealer.UNSEALED_PROPERTY)) {
            // measuring what sealing costs: both sides must leave it off
            command.add("-D" + Sealer.UNSEALED_PROPERTY + "=true");
        }
        command.addAll(launcher.code().javaArguments());
        boolean detached = options.detachedLog() != null;
        command.addAll(List.of("--cluster", clusterName, "--interface", LOOPBACK, "--port", Integer.toString(port),
                "--slots", Integer.toString(options.slotsPerEngine()), "--name", name,
                "--key-file", ClusterKey.STDIN));
        if (detached) {
            command.add("--warm-up");
        } else {
            command.addAll(List.of("--parent-pid", Long.toString(ProcessHandle.current().pid())));
        }
        if (options.idleTimeout() != null) {
            command.addAll(List.of("--idle-timeout", Long.toString(Math.max(1, options.idleTimeout().toSeconds()))));
        }
        List<EngineAddress> join = new ArrayList<>(peers);
        join.add(new EngineAddress(LOOPBACK, port));
        command.add("--join");
        command.add(join.stream().map(EngineAddress::toString).collect(Collectors.joining(",")));
        LOG.debug("starting engine {}: {}", name, command);
        Path shell = detached ? EngineLauncher.shell() : null;
        if (shell != null) {
            // the shell starts the engine in the background and says its pid, relays its output up to the ready
            // line, and ends: the engine is then not this process's child (see EngineProcess). The JDK closes a
            // child's pipes when the child ends, so the shell must outlive the ready line. The engine's stdin is the
            // pipe (fd 3), not the /dev/null a shell gives a background command
            List<String> wrapped = new ArrayList<>(List.of(shell.toString(), "-c", "exec 3<&0; { \"$@\" 0<&3 3<&- &"
                    + " echo \"$!\"; } | while IFS= read -r line; do printf '%s\\n' \"$line\"; case $line in *'"
                    + EngineNode.READY_MARKER.replace("'", "") + "'*) exit 0;; esac; done", "greylab-engine"));
            wrapped.addAll(command);
            command = wrapped;
        }
        Process process;
        BufferedReader output;
        ProcessHandle engineHandle;
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            if (detached) {
                // the ready line comes through the pipe; the logs go to the file, which outlives this process
                builder.redirectError(ProcessBuilder.Redirect.appendTo(options.detachedLog().toFile()));
            } else {
                builder.redirectErrorStream(true);
            }
            process = builder.start();
            try (var stdin = process.getOutputStream()) {
                stdin.write((key.toBase64() + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
            output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            engineHandle = shell != null ? startedByShell(name, process, output) : process.toHandle();
        } catch (IOException e) {
            throw new EngineConnectException(EngineConnectException.Reason.START_FAILED,
                    "engine " + name + " could not be started: " + e.getMessage(), e);
        }
        Path recording = archiveFlags.recording();
        if (detached && recording != null) {
            // this process will not be there when the engine ends and writes it: a later launch keeps it
            Path noted = recording;
            long pid = engineHandle.pid();
            classArchive.ifPresent(archive -> archive.noteDetachedRecording(noted, pid));
            recording = null;
        }
        EngineProcess engine = shell != null
                ? new EngineProcess(name, port, process, engineHandle, output, recording)
                : new EngineProcess(name, port, process, output, recording);
        processes.add(engine);
        return engine;
    }

    private void awaitReady(List<EngineProcess> started, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (EngineProcess engine : started) {
            try {
                engine.ready().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof EngineConnectException failure ? failure
                        : new EngineConnectException(EngineConnectException.Reason.START_FAILED,
                        "engine " + engine.name() + " failed to start: " + e.getCause(), e.getCause());
            } catch (TimeoutException e) {
                throw new EngineConnectException(EngineConnectException.Reason.START_FAILED,
                        "engine " + engine.name() + " was not ready within " + timeout.toSeconds() + " s"
                                + engine.outputBlock(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EngineConnectException(EngineConnectException.Reason.START_FAILED,
                        "interrupted while engines were starting", e);
            }
        }
    }

    /** A port nothing listens on now; the engine is told to take exactly that one. */
    private int freePort() {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0));
                int port = socket.getLocalPort();
                if (usedPorts.add(port)) {
                    return port;
                }
            } catch (IOException e) {
                throw new EngineConnectException(EngineConnectException.Reason.START_FAILED,
                        "no free port on " + LOOPBACK + ": " + e.getMessage(), e);
            }
        }
        throw new EngineConnectException(EngineConnectException.Reason.START_FAILED, "no free port on " + LOOPBACK,
                null);
    }

    public String clusterName() {
        return clusterName;
    }

    /** The key these engines were given (for their cluster file, and for clients of them). */
    public ClusterKey key() {
        return key;
    }

    /** Where the engines listen, for a client to connect to. */
    public synchronized List<EngineAddress> addresses() {
        return processes.stream().filter(EngineProcess::isAlive).map(EngineProcess::address)
                .collect(Collectors.toList());
    }

    /** Every engine started so far, in start order (dead ones included). */
    public synchronized List<EngineProcess> processes() {
        return List.copyOf(processes);
    }

    /** How long from start until every engine printed its ready line. */
    public Duration readyTime() {
        return readyTime;
    }

    /** From start until a client saw every engine, when {@link HazelcastEngineCluster#startLocal} measured it. */
    public Optional<Duration> startupTime() {
        return Optional.ofNullable(startupTime != null ? startupTime : readyTime);
    }

    void recordReady(Duration untilVisible) {
        startupTime = untilVisible;
    }

    /** The tail of each engine's output, for an error message. */
    synchronized String outputSummary() {
        StringBuilder text = new StringBuilder();
        for (EngineProcess engine : processes) {
            text.append(System.lineSeparator()).append("--- ").append(engine).append(engine.isAlive() ? "" : ", ended")
                    .append(engine.outputBlock());
        }
        return text.toString();
    }

    /**
     * Leaves the engines running, for good: this object lets go of them and {@link #close()} no longer stops them.
     * For engines started with {@link Options#detached}, which stop on their idle timeout or when asked.
     */
    public List<EngineProcess> detach() {
        if (options.detachedLog() == null) {
            throw new IllegalStateException("only detached engines can be left running");
        }
        synchronized (this) {
            closed = true;
        }
        return processes();
    }

    /** Stops every engine: SIGTERM, then SIGKILL for any still running after 5 s. Returns once all have ended. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            if (shutdownHook != null) {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            }
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: it stops them
        }
        stopAll(STOP_GRACE);
        CompletableFuture<Void> dump = archiveDump;
        if (dump != null && !dump.isDone()) {
            // a short run: let the class archive land, or the next run would have to dump it again
            LOG.debug("waiting for the engine class archive to be written");
            try {
                dump.get(ARCHIVE_DUMP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                LOG.debug("the engine class archive was not written: {}", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * At the JVM's shutdown (Ctrl-C, SIGTERM), engines keep running until {@code finished} completes (at most
     * {@value #SHUTDOWN_HOLD_SECONDS} s): shutdown hooks run all at once, and a run that is cancelling must still
     * reach its engines to end cleanly and print its summary, instead of losing them mid-cancel.
     */
    public void keepRunningAtShutdownUntil(CompletionStage<?> finished) {
        this.stopAfter = finished;
    }

    private void stopAtShutdown() {
        try {
            stopAfter.toCompletableFuture().get(SHUTDOWN_HOLD_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.debug("stopping the engines without waiting any longer: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopAll(Duration.ofSeconds(2));
    }

    private void stopAll(Duration asked) {
        List<EngineProcess> all = processes();
        // an engine recording the class archive writes it as it exits: on Java 25 an AOT configuration of about
        // 40 MB, which took 1.9 s alone on an idle machine; killed before, it writes nothing
        Duration grace = all.stream().anyMatch(e -> e.classListRecording() != null && e.isAlive())
                && asked.compareTo(RECORDING_STOP_GRACE) < 0 ? RECORDING_STOP_GRACE : asked;
        for (EngineProcess engine : all) {
            if (engine.isAlive()) {
                engine.stop();
            }
        }
        CompletableFuture<?>[] exits = all.stream().map(EngineProcess::onExit).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(exits).get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.debug("engines still running after {} ms: killing them", grace.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (EngineProcess engine : all) {
            if (engine.isAlive()) {
                LOG.warn("engine {} did not stop in {} s: killed", engine, grace.toSeconds());
                engine.kill();
            }
        }
        try {
            CompletableFuture.allOf(exits).get(2, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.warn("engines still running after SIGKILL: {}", all.stream().filter(EngineProcess::isAlive)
                    .map(EngineProcess::toString).collect(Collectors.joining(", ")));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        classArchive.ifPresent(archive -> all.forEach(engine ->
                archive.keepRecording(engine.classListRecording(), engine.process())));
    }
}
