package org.greylab.engine.wire;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fault for the fault-injection suite ({@code app/scripts/chaos.sh}) and its tests, nothing else: a task that never
 * ends on an engine that stays alive and keeps answering heartbeats, as a decoder looping on a crafted file or a
 * wedged thread would. It exists only in an engine started with {@value #VARIABLE}{@code =MARKER:PATH} in its
 * environment, which nothing in Greylab sets: the first engine to start converting the image {@code PATH} (its path
 * relative to the input folder) creates the file {@code MARKER}, atomically, so that of several engines one wins, and
 * then holds that slot for ever, deaf to cancels and interrupts; every later attempt, on any engine, converts as
 * usual. The client must give the image up at its deadline and have it converted elsewhere.
 */
public final class TestStall {

    /** The environment variable that arms it. */
    public static final String VARIABLE = "GREYLAB_TEST_STALL_TASK";
    private static final Logger LOG = LoggerFactory.getLogger(TestStall.class);
    private static final Armed ARMED = parse(System.getenv(VARIABLE));

    private record Armed(Path marker, String image) {
    }

    private TestStall() {
    }

    static Armed parse(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        int colon = value.lastIndexOf(':');
        try {
            if (colon > 0 && colon < value.length() - 1) {
                return new Armed(Path.of(value.substring(0, colon)), value.substring(colon + 1));
            }
        } catch (InvalidPathException e) {
            // said below, as any other malformed value
        }
        LOG.warn("{} is set but is not MARKER:PATH ({}): no task stalls", VARIABLE, value);
        return null;
    }

    /** What an armed engine says at start, so that its log shows it was no ordinary engine; empty when unarmed. */
    public static Optional<String> armed() {
        return ARMED == null ? Optional.empty() : Optional.of(VARIABLE + " is set: the first task of "
                + ARMED.image() + " on any engine of this test will never end (marker " + ARMED.marker() + ")");
    }

    /** Returns at once, unless this engine is armed for {@code relativePath} and is the first to take it. */
    static void maybeStall(String relativePath) {
        if (ARMED == null || !ARMED.image().equals(relativePath)) {
            return;
        }
        try {
            Files.createFile(ARMED.marker());
        } catch (FileAlreadyExistsException e) {
            return; // a later attempt: it converts
        } catch (IOException e) {
            LOG.warn("{}: the marker {} cannot be made ({}): {} converts as usual", VARIABLE, ARMED.marker(), e,
                    relativePath);
            return;
        }
        LOG.warn("{}: the task of {} stalls here for ever, as the test asked", VARIABLE, relativePath);
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                // a wedged decoder does not hear the cancel either
            }
        }
    }
}
