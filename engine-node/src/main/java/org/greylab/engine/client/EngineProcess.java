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
    private final Process process;
    private final Path classListRecording;
    private final Deque<String> output = new ArrayDeque<>();
    private final CompletableFuture<String> ready = new CompletableFuture<>();

    EngineProcess(String name, int port, Process process, Path classListRecording) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.classListRecording = classListRecording;
        Thread reader = new Thread(this::readOutput, "greylab-engine-output-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    private void readOutput() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
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
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Completes when the process has ended, however it ended. */
    public CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    /** Kills the process at once (SIGKILL), as a crash would: for tests and for engines that do not stop. */
    public void kill() {
        process.destroyForcibly();
    }

    /** Asks the engine to stop (SIGTERM); it leaves the cluster in order. */
    public void stop() {
        process.destroy();
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

    Process process() {
        return process;
    }

    @Override
    public String toString() {
        return name + " (pid " + pid() + ", port " + port + ")";
    }
}
