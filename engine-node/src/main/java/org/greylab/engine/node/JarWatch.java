package org.greylab.engine.node;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops an engine whose jar is replaced while it runs: a rebuild, or a package upgrade under engines left running
 * by {@code greylab engines start} or a systemd unit. The JVM keeps the old jar's open file but reads classes it has
 * not loaded yet through the new one, and the engine then fails in the middle of a task with class-loading errors;
 * stopping at once lets a client see it gone, and systemd ({@code Restart=on-failure}) start the new build.
 */
final class JarWatch {

    private static final Logger LOG = LoggerFactory.getLogger(JarWatch.class);

    private JarWatch() {
    }

    /** What identifies one copy of the jar: its inode (a replacement by rename), size and modification time. */
    record Stamp(Object fileKey, long size, long modifiedMillis) {
        static Optional<Stamp> of(Path jar) {
            try {
                BasicFileAttributes a = Files.readAttributes(jar, BasicFileAttributes.class);
                return Optional.of(new Stamp(a.fileKey(), a.size(), a.lastModifiedTime().toMillis()));
            } catch (IOException e) {
                return Optional.empty();
            }
        }
    }

    /**
     * The jar this class was loaded from: engine-node.jar, or in the installed app (whose engines run from its class
     * path) the plain engine-node jar in its {@code lib/}, which an upgrade replaces like the rest; empty when run
     * from a classes folder (tests, the IDE).
     */
    static Optional<Path> ownJar() {
        try {
            var source = JarWatch.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return Optional.empty();
            }
            Path path = Path.of(source.getLocation().toURI());
            return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Checks {@code jar} every {@code period}; runs {@code onReplaced} once when it changed or went away. */
    static ScheduledExecutorService watch(Path jar, Duration period, Runnable onReplaced) {
        Optional<Stamp> first = Stamp.of(jar);
        return Watch.until("greylab-jar-watch", period, () -> !Objects.equals(first, Stamp.of(jar)), () -> {
            LOG.warn("{} was replaced or removed (a rebuild or an upgrade): this engine could no longer load its"
                    + " own classes, so it stops", jar);
            onReplaced.run();
        });
    }
}
