package org.greylab.app.instance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * Reads and writes on a socket with a deadline, so that neither side waits for ever on the other: a client that
 * connects and says nothing cannot hold the window's channel, and a frozen window cannot hold a new
 * {@code greylab} (Unix-domain channels have no read timeout of their own).
 */
final class Exchange {

    private Exchange() {
    }

    /** Writes every byte, or fails once {@code deadlineNanos} (a {@link System#nanoTime()}) has passed. */
    static void writeAll(SocketChannel channel, byte[] bytes, long deadlineNanos) throws IOException {
        channel.configureBlocking(false);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        try (Selector selector = Selector.open()) {
            channel.register(selector, SelectionKey.OP_WRITE);
            while (buffer.hasRemaining()) {
                if (channel.write(buffer) == 0) {
                    await(selector, deadlineNanos);
                }
            }
        }
    }

    /**
     * Reads until the other side closes its output or the deadline passes. Keeps at most {@code limit} + 1 bytes
     * (so the caller sees that the limit was passed) and reads the rest without keeping it: a client whose data
     * is still unread when the socket closes would lose the answer that says why it was refused.
     */
    static byte[] readToEnd(SocketChannel channel, int limit, long deadlineNanos) throws IOException {
        channel.configureBlocking(false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        try (Selector selector = Selector.open()) {
            channel.register(selector, SelectionKey.OP_READ);
            while (true) {
                int n = channel.read(buffer.clear());
                if (n < 0) {
                    break;
                }
                if (n == 0) {
                    await(selector, deadlineNanos);
                } else if (out.size() <= limit) {
                    out.write(buffer.array(), 0, Math.min(n, limit + 1 - out.size()));
                }
            }
        }
        return out.toByteArray();
    }

    private static void await(Selector selector, long deadlineNanos) throws IOException {
        long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException("no answer in time");
        }
        selector.select(Math.max(1, left));
        selector.selectedKeys().clear();
    }
}
