package org.greylab.engine.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ssh or scp command run to its end, or stopped at its deadline: exit status, standard output and standard
 * error.
 *
 * @param exitStatus the command's exit status; -1 when it was stopped at the deadline or could not start
 * @param stdout     what it printed
 * @param stderr     what it printed on standard error (ssh's own messages are there)
 * @param timedOut   whether the deadline stopped it
 */
record CommandRun(int exitStatus, String stdout, String stderr, boolean timedOut) {

    private static final Logger LOG = LoggerFactory.getLogger(CommandRun.class);

    /** ssh's own exit status for its errors (the remote command's status otherwise). */
    static final int SSH_ERROR = 255;

    static CommandRun run(List<String> command, String stdin, Duration timeout) {
        LOG.debug("running {}", command);
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            return new CommandRun(-1, "", command.get(0) + " could not be run: " + e.getMessage(), false);
        }
        CompletableFuture<String> out = drain(process.getInputStream());
        CompletableFuture<String> err = drain(process.getErrorStream());
        try (OutputStream in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // ssh ended before reading its input (it failed to connect): its standard error says why
            LOG.debug("{} did not take its input: {}", command.get(0), e.toString());
        }
        boolean ended;
        try {
            ended = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return new CommandRun(-1, "", "interrupted", false);
        }
        if (!ended) {
            process.destroyForcibly();
        }
        return new CommandRun(ended ? process.exitValue() : -1, collect(out), collect(err), !ended);
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }, runnable -> {
            Thread reader = new Thread(runnable, "greylab-ssh-output");
            reader.setDaemon(true);
            reader.start();
        });
    }

    private static String collect(CompletableFuture<String> text) {
        try {
            return text.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    boolean succeeded() {
        return exitStatus == 0 && !timedOut;
    }

    /** The {@code greylab-NAME=} lines' values, in order. */
    List<String> values(String name) {
        String prefix = "greylab-" + name + "=";
        return stdout.lines().filter(line -> line.startsWith(prefix)).map(line -> line.substring(prefix.length()))
                .toList();
    }

    /** The value of a probe's {@code name=value} line, or "" when there is none. */
    String probed(String name) {
        String prefix = name + "=";
        return stdout.lines().filter(line -> line.startsWith(prefix)).map(line -> line.substring(prefix.length()))
                .findFirst().orElse("").strip();
    }
}
