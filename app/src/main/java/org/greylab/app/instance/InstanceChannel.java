package org.greylab.app.instance;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Greylab window per user: a Unix-domain socket that only this user can reach, in
 * {@code $XDG_RUNTIME_DIR/greylab/} (emptied at every boot), or {@code ~/.cache/greylab/} where there is none; the
 * folder is made 0700 and the socket 0600. {@link #claim} either hands the paths to the window already listening
 * there, or listens itself for the window about to open. A socket left by a window that died (nothing answers) is
 * replaced. A lock file beside it makes the check and the bind one step, so two {@code greylab} started at once
 * never both open a window.
 */
public final class InstanceChannel {

    private static final Logger LOG = LoggerFactory.getLogger(InstanceChannel.class);
    static final String SOCKET_NAME = "window.socket";
    static final String LOCK_NAME = "window.lock";
    /** How long a new {@code greylab} waits for the running window's answer. */
    static final long ANSWER_TIMEOUT_MILLIS = 5000;
    private static final Set<PosixFilePermission> PRIVATE_FOLDER = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");

    private final Path socket;

    /** @param socket where the socket is; its folder is created 0700 where missing */
    public InstanceChannel(Path socket) {
        this.socket = socket.toAbsolutePath().normalize();
    }

    /** This user's channel. */
    public static InstanceChannel forUser() {
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        Path folder = runtime != null && !runtime.isBlank() && Files.isDirectory(Path.of(runtime))
                ? Path.of(runtime, "greylab") : Path.of(System.getProperty("user.home"), ".cache", "greylab");
        return new InstanceChannel(folder.resolve(SOCKET_NAME));
    }

    public Path socket() {
        return socket;
    }

    /** What {@link #claim} found. */
    public sealed interface Claim permits HandedOver, Serving, Unavailable {
    }

    /** A window was running: it took the paths and raises itself. */
    public record HandedOver() implements Claim {
    }

    /** No window was running: this process listens now, for the window it opens. */
    public record Serving(InstanceServer server) implements Claim {
    }

    /**
     * The channel cannot be used (why, in words): a window that does not answer or refused, or a folder that is not
     * private. {@code windowRunning} says whether a window seems to be there.
     */
    public record Unavailable(String why, boolean windowRunning) implements Claim {
    }

    /**
     * Hands {@code paths} (absolute; empty: only raise) to the window running for this user, or starts listening
     * for the window this process opens.
     */
    @SuppressWarnings("try") // the file lock is held for the try's body, not used in it
    public Claim claim(List<Path> paths) {
        Path folder = socket.getParent();
        try {
            makePrivate(folder);
        } catch (IOException e) {
            LOG.warn("No single window: {}", e.getMessage());
            return new Unavailable(e.getMessage(), false);
        }
        try (FileChannel lockFile = FileChannel.open(folder.resolve(LOCK_NAME), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
             FileLock lock = lockFile.lock()) {
            if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
                Claim handed = handOver(paths);
                if (handed != null) {
                    return handed;
                }
                // nothing listens: a window that died left it
                LOG.debug("replacing the stale socket {}", socket);
                Files.delete(socket);
            }
            return listen();
        } catch (IOException e) {
            LOG.warn("No single window: {} ({})", socket, e.toString());
            return new Unavailable("the channel " + socket + " cannot be used: " + e.getMessage(), false);
        }
    }

    /** The answer of the window listening at the socket; null when none listens (the socket is stale). */
    private Claim handOver(List<Path> paths) {
        SocketChannel client;
        try {
            client = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            LOG.debug("nothing listens at {}", socket, e);
            return null;
        }
        try (client) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ANSWER_TIMEOUT_MILLIS);
            Exchange.writeAll(client, InstanceProtocol.encode(paths), deadline);
            client.shutdownOutput();
            String answer = new String(Exchange.readToEnd(client, 4096, deadline), StandardCharsets.UTF_8).trim();
            if (answer.equals(InstanceProtocol.OK)) {
                return new HandedOver();
            }
            return new Unavailable("the Greylab window already open " + (answer.isEmpty() ? "did not answer"
                    : "answered: " + answer), true);
        } catch (java.net.SocketTimeoutException e) {
            return new Unavailable("the Greylab window already open did not answer within "
                    + ANSWER_TIMEOUT_MILLIS / 1000 + " s", true);
        } catch (IOException e) {
            return new Unavailable("the Greylab window already open could not be reached: " + e.getMessage(), true);
        }
    }

    private Serving listen() throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(socket));
            if (posix(socket)) {
                Files.setPosixFilePermissions(socket, PRIVATE_FILE);
            }
            return new Serving(new InstanceServer(server, socket));
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /**
     * Creates the folder 0700; one that is there must belong to this user and is made 0700 (it is Greylab's own
     * folder in the user's runtime or cache folder, never one the user named).
     */
    static void makePrivate(Path folder) throws IOException {
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(folder);
            if (posix(folder)) {
                Files.setPosixFilePermissions(folder, PRIVATE_FOLDER);
            }
            return;
        }
        if (!posix(folder)) {
            return;
        }
        Path probe = Files.createTempFile(folder, ".owner-", ".tmp");
        try {
            if (!Files.getOwner(folder, LinkOption.NOFOLLOW_LINKS).equals(Files.getOwner(probe))) {
                throw new IOException(folder + " belongs to another user");
            }
        } finally {
            Files.deleteIfExists(probe);
        }
        if (!Files.getPosixFilePermissions(folder, LinkOption.NOFOLLOW_LINKS).equals(PRIVATE_FOLDER)) {
            Files.setPosixFilePermissions(folder, PRIVATE_FOLDER);
        }
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
