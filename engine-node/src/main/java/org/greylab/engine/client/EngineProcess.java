package org.greylab.engine.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.greylab.engine.node.EngineNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One engine-node process that {@link LocalEngines} started, with the tail of its output for error messages. */
public final class EngineProcess {

    private static final Logger LOG = LoggerFactory.getLogger(EngineProcess.class);
    private static final int OUTPUT_LINES = 40;

    private final String name;
    private final int port;
    /** What this process started: the engine itself, or the shell that started it. */
    private final Process process;
    /** The engine's own process. */
    private final ProcessHandle handle;
    private final Path classListRecording;
    private final Deque<String> output = new ArrayDeque<>();
    private final CompletableFuture<String> ready = new CompletableFuture<>();
    private final boolean readUntilReady;

    /** An engine that is this process's child: its output (stdout and logs) is read to the end. */
    EngineProcess(String name, int port, Process process, BufferedReader output, Path classListRecording) {
        this(name, port, process, process.toHandle(), output, classListRecording, false);
    }

    /**
     * An engine started through a shell that ends once the engine is ready ({@link LocalEngines}' detached start):
     * {@code engine} is the engine's own process, {@code output} its stdout, which is read only until the ready line.
     * Why: the JVM's exit waits about 0.3 s for any thread in native code, and both a thread blocked reading a
     * pipe and the JDK's reaper thread waiting for a child are (measured: {@code greylab engines start} spent 0.31 s
     * between its last line and its exit with the engines as its children).
     */
    EngineProcess(String name, int port, Process shell, ProcessHandle engine, BufferedReader output,
                  Path classListRecording) {
        this(name, port, shell, engine, output, classListRecording, true);
    }

    private EngineProcess(String name, int port, Process process, ProcessHandle handle, BufferedReader in,
                          Path classListRecording, boolean readUntilReady) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.handle = handle;
        this.readUntilReady = readUntilReady;
        this.classListRecording = classListRecording;
        Thread reader = new Thread(() -> readOutput(in), "greylab-engine-output-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    private void readOutput(BufferedReader source) {
        try (BufferedReader in = source) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!ready.isDone() && line.contains(EngineNode.READY_MARKER)) {
                    ready.complete(line);
                }
                LOG.debug("[{}] {}", name, line);
                synchronized (output) {
                    output.addLast(line);
                    if (output.size() > OUTPUT_LINES) {
                        output.removeFirst();
                    }
                }
                if (readUntilReady && ready.isDone()) {
                    // the engine writes nothing more on stdout, and the shell that relayed it ends here: nothing is
                    // left to read
                    return;
                }
            }
        } catch (IOException e) {
            LOG.debug("[{}] output closed: {}", name, e.toString());
        }
        if (!ready.isDone()) {
            int code = waitForExitCode();
            ready.completeExceptionally(new EngineConnectException(EngineConnectException.Reason.START_FAILED,
                    "engine " + name + " exited" + (code >= 0 ? " with code " + code : "")
                            + " before it was ready" + outputBlock(), null));
        }
    }

    private int waitForExitCode() {
        if (readUntilReady) {
            // not this process's child: its exit status is not ours to read
            return -1;
        }
        try {
            return process.waitFor(5, TimeUnit.SECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Its label, {@code local-0}, {@code local-1}, ... */
    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public EngineAddress address() {
        return new EngineAddress(LocalEngines.LOOPBACK, port);
    }

    public long pid() {
        return handle.pid();
    }

    public boolean isAlive() {
        return handle.isAlive();
    }

    /** Completes when the engine's process has ended, however it ended. */
    public CompletableFuture<ProcessHandle> onExit() {
        return handle.onExit();
    }

    /** Kills the process at once (SIGKILL), as a crash would: for tests and for engines that do not stop. */
    public void kill() {
        handle.destroyForcibly();
    }

    /** Asks the engine to stop (SIGTERM); it leaves the cluster in order. */
    public void stop() {
        handle.destroy();
    }

    /** The ready line, once printed; fails if the process ends first. */
    CompletableFuture<String> ready() {
        return ready;
    }

    /** The line it printed when it became ready; empty until then, or if it failed first. */
    public Optional<String> readyLine() {
        return ready.isDone() && !ready.isCompletedExceptionally() ? Optional.of(ready.join()) : Optional.empty();
    }

    /** The last lines the engine printed. */
    public String output() {
        synchronized (output) {
            return String.join(System.lineSeparator(), output);
        }
    }

    String outputBlock() {
        String text = output();
        return text.isEmpty() ? " (no output)" : "; its output:" + System.lineSeparator() + text;
    }

    /** The class list this engine records for {@link EngineClassArchive}, or {@code null}. */
    Path classListRecording() {
        return classListRecording;
    }

    /** What this process started (the engine, or for a detached engine the shell that started it). */
    Process process() {
        return process;
    }

    @Override
    public String toString() {
        return name + " (pid " + pid() + ", port " + port + ")";
    }
}
