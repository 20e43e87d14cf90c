package org.greylab.app.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One window per user: the channel, its folder and socket, and a protocol that takes nothing but paths. */
class InstanceChannelTest {

    @TempDir
    Path tmp;

    private final List<InstanceServer> servers = new ArrayList<>();
    private final BlockingQueue<List<Path>> received = new LinkedBlockingQueue<>();

    @AfterEach
    void close() {
        servers.forEach(InstanceServer::close);
    }

    private InstanceChannel channel() {
        return new InstanceChannel(tmp.resolve("run/greylab/window.socket"));
    }

    /** The first claim listens, as the window about to open does, and takes requests. */
    private InstanceServer serving() {
        InstanceChannel.Claim claim = channel().claim(List.of());
        assertThat(claim).isInstanceOf(InstanceChannel.Serving.class);
        InstanceServer server = ((InstanceChannel.Serving) claim).server();
        servers.add(server);
        server.onRequest(received::add);
        return server;
    }

    /** Sends raw bytes as a client that closes its output after them; returns the answer line. */
    private String send(byte[] request) throws IOException {
        try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(channel().socket()))) {
            ByteBuffer buffer = ByteBuffer.wrap(request);
            while (buffer.hasRemaining()) {
                client.write(buffer);
            }
            client.shutdownOutput();
            return readAnswer(client);
        }
    }

    private static String readAnswer(SocketChannel client) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        ByteBuffer in = ByteBuffer.allocate(1024);
        while (client.read(in.clear()) >= 0) {
            answer.write(in.array(), 0, in.position());
        }
        return answer.toString(StandardCharsets.UTF_8).trim();
    }

    private static byte[] request(String body) {
        return ("greylab-open 1\n" + body).getBytes(StandardCharsets.UTF_8);
    }

    private void assertRefusedAndNothingDelivered(String answer, String reason) throws Exception {
        assertThat(answer).startsWith("refused: ").contains(reason);
        // the channel still works, and only the good request after the refused one arrives
        assertThat(channel().claim(List.of(Path.of("/after")))).isInstanceOf(InstanceChannel.HandedOver.class);
        assertThat(received.poll(5, TimeUnit.SECONDS)).containsExactly(Path.of("/after"));
        assertThat(received).isEmpty();
    }

    @Test
    void aSecondClaimHandsItsPathsToTheWindowAlreadyListening() throws Exception {
        serving();

        InstanceChannel.Claim second = channel().claim(List.of(tmp.resolve("a"), tmp.resolve("b c")));

        assertThat(second).isInstanceOf(InstanceChannel.HandedOver.class);
        assertThat(received.poll(5, TimeUnit.SECONDS)).containsExactly(tmp.resolve("a"), tmp.resolve("b c"));
    }

    @Test
    void aClaimWithoutPathsOnlyAsksTheWindowToComeForward() throws Exception {
        serving();

        assertThat(channel().claim(List.of())).isInstanceOf(InstanceChannel.HandedOver.class);

        assertThat(received.poll(5, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void theFolderIsPrivateAndTheSocketReadableByTheUserAlone() throws Exception {
        serving();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(channel().socket().getParent())))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(channel().socket())))
                .isEqualTo("rw-------");
    }

    @Test
    void aFolderOpenToOthersIsMadePrivateBeforeTheSocketGoesIn() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("run/greylab"));
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxrwxrwx"));

        serving();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");
    }

    @Test
    void aSocketLeftByAWindowThatDiedIsReplaced() throws Exception {
        Path socket = channel().socket();
        Files.createDirectories(socket.getParent());
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket));
        }
        assertThat(socket).exists();

        serving();

        assertThat(channel().claim(List.of(Path.of("/x")))).isInstanceOf(InstanceChannel.HandedOver.class);
        assertThat(received.poll(5, TimeUnit.SECONDS)).containsExactly(Path.of("/x"));
    }

    @Test
    void closingRemovesTheSocketSoTheNextClaimListens() {
        InstanceServer first = serving();

        first.close();

        assertThat(channel().socket()).doesNotExist();
        assertThat(channel().claim(List.of())).isInstanceOf(InstanceChannel.Serving.class)
                .satisfies(c -> servers.add(((InstanceChannel.Serving) c).server()));
    }

    @Test
    void requestsThatComeBeforeTheWindowIsReadyWaitForIt() throws Exception {
        InstanceServer server = ((InstanceChannel.Serving) channel().claim(List.of())).server();
        servers.add(server);

        assertThat(channel().claim(List.of(Path.of("/early")))).isInstanceOf(InstanceChannel.HandedOver.class);
        server.onRequest(received::add);

        assertThat(received.poll(5, TimeUnit.SECONDS)).containsExactly(Path.of("/early"));
    }

    @Test
    void refusesARequestWithoutTheHeader() throws Exception {
        serving();

        String answer = send("open /etc/passwd\n".getBytes(StandardCharsets.UTF_8));

        assertRefusedAndNothingDelivered(answer, "not a Greylab request");
    }

    @Test
    void refusesARelativePath() throws Exception {
        serving();

        String answer = send(request("/ok\0relative/path\0\0"));

        assertRefusedAndNothingDelivered(answer, "not an absolute path");
    }

    @Test
    void refusesBytesAfterTheEndOfTheList() throws Exception {
        serving();

        String answer = send(request("/a\0\0rm -rf /\n"));

        assertRefusedAndNothingDelivered(answer, "after the end of the list");
    }

    @Test
    void refusesAListThatDoesNotEnd() throws Exception {
        serving();

        String answer = send(request("/a\0/b"));

        assertRefusedAndNothingDelivered(answer, "does not end");
    }

    @Test
    void refusesBytesThatAreNotUtf8() throws Exception {
        serving();
        byte[] head = request("/");
        byte[] bad = new byte[head.length + 4];
        System.arraycopy(head, 0, bad, 0, head.length);
        bad[head.length] = (byte) 0xC3;
        bad[head.length + 1] = (byte) 0x28;

        String answer = send(bad);

        assertRefusedAndNothingDelivered(answer, "not UTF-8");
    }

    @Test
    void refusesMoreThanTheMostPaths() throws Exception {
        serving();

        String answer = send(request(String.join("", Collections.nCopies(InstanceProtocol.MAX_PATHS + 1, "/a\0"))
                + "\0"));

        assertRefusedAndNothingDelivered(answer, "more than " + InstanceProtocol.MAX_PATHS + " paths");
    }

    @Test
    void refusesARequestLargerThanTheLimit() throws Exception {
        serving();
        String longPath = "/" + "x".repeat(4000) + "\0";

        String answer = send(request(longPath.repeat(InstanceProtocol.MAX_REQUEST_BYTES / longPath.length() + 1)
                + "\0"));

        assertRefusedAndNothingDelivered(answer, "larger than");
    }

    @Test
    void refusesAClientThatConnectsAndSaysNothing() throws Exception {
        serving();

        try (SocketChannel silent = SocketChannel.open(UnixDomainSocketAddress.of(channel().socket()))) {
            long start = System.nanoTime();
            String answer = readAnswer(silent);

            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                    .isLessThan(InstanceServer.READ_TIMEOUT_MILLIS + 3000);
            assertRefusedAndNothingDelivered(answer, "did not end within");
        }
    }

    @Test
    void whatTheClientSendsIsWhatTheWindowReadsAndARelativePathIsNeverSent() throws Exception {
        List<Path> paths = List.of(Path.of("/photos/été 2024"), Path.of("/a/b.jpg"));

        assertThat(InstanceProtocol.decode(InstanceProtocol.encode(paths))).isEqualTo(paths);
        assertThatThrownBy(() -> InstanceProtocol.encode(List.of(Path.of("relative"))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
