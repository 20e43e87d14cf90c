package org.greylab.core.job;

import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forces everything written to one file system onto its disk with one call: Linux's {@code syncfs(2)}, reached
 * through the Foreign Function &amp; Memory API on Java 22+ (the multi-release layer's {@code LinuxSyncfs}). One
 * such call makes a whole group of outputs durable, where forcing each file costs a disk flush per file.
 */
interface FileSystemSync {

    /** Forces to disk every write made so far to the file system that holds {@code folder}. */
    void sync(Path folder) throws IOException;

    /** The system property that turns group syncs off ({@code file}: force each output, as on Java 17). */
    String PROPERTY = "greylab.sync";

    /** This platform's {@code syncfs}, or null where there is none (Java 17-21, not Linux, or turned off). */
    static FileSystemSync available() {
        return Holder.AVAILABLE;
    }

    /** Looked up once: linking the call costs a few milliseconds. */
    final class Holder {
        private static final Logger LOG = LoggerFactory.getLogger(FileSystemSync.class);
        private static final String LINUX_CLASS = "org.greylab.core.job.LinuxSyncfs";
        static final FileSystemSync AVAILABLE = find();

        private Holder() {
        }

        private static FileSystemSync find() {
            if ("file".equals(System.getProperty(PROPERTY))
                    || !System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
                return null;
            }
            try {
                return (FileSystemSync) Class.forName(LINUX_CLASS).getDeclaredConstructor().newInstance();
            } catch (ClassNotFoundException e) {
                // Java 17-21: the class is in the Java 22 layer only
                return null;
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                LOG.debug("syncfs not available: {}", e.toString());
                return null;
            }
        }
    }
}
