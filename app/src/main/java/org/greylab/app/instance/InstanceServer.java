package org.greylab.app.instance;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running window's end of the channel: one thread of its own ({@code greylab-instance}) accepts one
 * connection at a time, reads one request within {@link #READ_TIMEOUT_MILLIS}, answers it and hands the paths of
 * an accepted request to the consumer set with {@link #onRequest} (on this thread: the consumer moves them to the
 * FX thread). Requests that come before there is a consumer (the window is still opening) wait for it.
 */
public final class InstanceServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InstanceServer.class);
    static final long READ_TIMEOUT_MILLIS = 2000;

    private final ServerSocketChannel channel;
    private final Path socket;
    private final UserPrincipal owner;
    private final Thread thread;
    private final List<List<Path>> waiting = new ArrayList<>();
    private Consumer<List<Path>> consumer;
    private volatile boolean closed;

    InstanceServer(ServerSocketChannel channel, Path socket) throws IOException {
        this.channel = channel;
        this.socket = socket;
        this.owner = Files.getOwner(socket);
        this.thread = new Thread(this::serve, "greylab-instance");
        thread.setDaemon(true);
        thread.start();
    }

    /** Where it listens. */
    public Path socket() {
        return socket;
    }

    /**
     * Where the paths of each accepted request go (an empty list: raise the window); requests already received
     * go there at once.
     */
    public void onRequest(Consumer<List<Path>> requests) {
        List<List<Path>> early;
        synchronized (this) {
            consumer = requests;
            early = List.copyOf(waiting);
            waiting.clear();
        }
        early.forEach(requests);
    }

    private void serve() {
        while (!closed) {
            try (SocketChannel client = channel.accept()) {
                handle(client);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    LOG.debug("a request to the running window failed", e);
                }
            }
        }
    }

    private void handle(SocketChannel client) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READ_TIMEOUT_MILLIS);
        String refusal = foreignUser(client);
        List<Path> paths = null;
        if (refusal == null) {
            try {
                paths = InstanceProtocol.decode(Exchange.readToEnd(client, InstanceProtocol.MAX_REQUEST_BYTES,
                        deadline));
            } catch (InstanceProtocol.RefusedException e) {
                refusal = e.getMessage();
            } catch (java.net.SocketTimeoutException e) {
                refusal = "the request did not end within " + READ_TIMEOUT_MILLIS + " ms";
            }
        }
        String answer = refusal == null ? InstanceProtocol.OK : InstanceProtocol.REFUSED + refusal;
        if (refusal != null) {
            LOG.warn("Refused a request to the running window: {}", refusal);
        }
        try {
            Exchange.writeAll(client, (answer + "\n").getBytes(StandardCharsets.UTF_8), deadline
                    + TimeUnit.MILLISECONDS.toNanos(READ_TIMEOUT_MILLIS));
        } catch (IOException e) {
            LOG.debug("the answer could not be sent", e);
        }
        if (paths != null) {
            deliver(paths);
        }
    }

    /**
     * The folder (0700) and the socket (0600) already keep other users out; this also refuses a peer of another
     * user where the system says who it is.
     */
    private String foreignUser(SocketChannel client) {
        try {
            UnixDomainPrincipal peer = client.getOption(ExtendedSocketOptions.SO_PEERCRED);
            if (!peer.user().getName().equals(owner.getName())) {
                return "another user (" + peer.user().getName() + ")";
            }
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("the peer of a request is unknown", e);
        }
        return null;
    }

    private void deliver(List<Path> paths) {
        Consumer<List<Path>> target;
        synchronized (this) {
            target = consumer;
            if (target == null) {
                waiting.add(paths);
                return;
            }
        }
        target.accept(paths);
    }

    /** Stops listening: the socket goes first, so a new {@code greylab} never finds a window that is closing. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            LOG.debug("{} could not be removed", socket, e);
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("the channel did not close", e);
        }
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
