package org.greylab.app.instance;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What one {@code greylab} process may tell the window already running: a list of absolute paths, and nothing
 * else. A request is the header line {@value #HEADER_TEXT}, then each path in UTF-8 followed by a NUL byte (the one
 * byte a Unix path cannot hold), then one more NUL that ends the list; an empty list asks only to raise the window.
 * Anything else is refused whole: another header, bytes after the end, a missing end, a relative path, bytes that
 * are not UTF-8, or more than {@link #MAX_PATHS} paths or {@link #MAX_REQUEST_BYTES} bytes. The answer is one
 * line: {@code ok}, or {@code refused: } and the reason.
 */
public final class InstanceProtocol {

    static final String HEADER_TEXT = "greylab-open 1\n";
    private static final byte[] HEADER = HEADER_TEXT.getBytes(StandardCharsets.US_ASCII);
    /** Far more than a file manager's selection of 10,000 photos with long names needs. */
    public static final int MAX_REQUEST_BYTES = 4 << 20;
    public static final int MAX_PATHS = 10_000;
    /** Linux's PATH_MAX. */
    public static final int MAX_PATH_BYTES = 4096;
    static final String OK = "ok";
    static final String REFUSED = "refused: ";

    private InstanceProtocol() {
    }

    /** A request that breaks the protocol, with the reason in words. */
    public static final class RefusedException extends Exception {
        private static final long serialVersionUID = 1L;

        public RefusedException(String reason) {
            super(reason);
        }
    }

    /** The request for these absolute paths (an empty list: only raise the window). */
    public static byte[] encode(List<Path> paths) {
        if (paths.size() > MAX_PATHS) {
            throw new IllegalArgumentException("more than " + MAX_PATHS + " paths");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(HEADER);
        for (Path path : paths) {
            if (!path.isAbsolute()) {
                throw new IllegalArgumentException("not an absolute path: " + path);
            }
            byte[] bytes = path.toString().getBytes(StandardCharsets.UTF_8);
            if (bytes.length > MAX_PATH_BYTES) {
                throw new IllegalArgumentException("a path longer than " + MAX_PATH_BYTES + " bytes: " + path);
            }
            out.writeBytes(bytes);
            out.write(0);
        }
        out.write(0);
        if (out.size() > MAX_REQUEST_BYTES) {
            throw new IllegalArgumentException("a request larger than " + MAX_REQUEST_BYTES + " bytes");
        }
        return out.toByteArray();
    }

    /** The paths of a whole request, or why it is refused. */
    public static List<Path> decode(byte[] request) throws RefusedException {
        if (request.length > MAX_REQUEST_BYTES) {
            throw new RefusedException("larger than " + MAX_REQUEST_BYTES + " bytes");
        }
        if (request.length < HEADER.length || !Arrays.equals(request, 0, HEADER.length, HEADER, 0, HEADER.length)) {
            throw new RefusedException("not a Greylab request (it must start with \"greylab-open 1\")");
        }
        List<Path> paths = new ArrayList<>();
        int start = HEADER.length;
        while (true) {
            int end = indexOfNul(request, start);
            if (end < 0) {
                throw new RefusedException("the list of paths does not end (a NUL byte ends each path, another"
                        + " the list)");
            }
            if (end == start) {
                if (end + 1 != request.length) {
                    throw new RefusedException((request.length - end - 1) + " bytes after the end of the list");
                }
                return List.copyOf(paths);
            }
            if (paths.size() == MAX_PATHS) {
                throw new RefusedException("more than " + MAX_PATHS + " paths");
            }
            if (end - start > MAX_PATH_BYTES) {
                throw new RefusedException("a path longer than " + MAX_PATH_BYTES + " bytes");
            }
            paths.add(path(request, start, end));
            start = end + 1;
        }
    }

    private static Path path(byte[] request, int from, int to) throws RefusedException {
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        String text;
        try {
            text = utf8.decode(ByteBuffer.wrap(request, from, to - from)).toString();
        } catch (CharacterCodingException e) {
            throw new RefusedException("a path that is not UTF-8");
        }
        Path path;
        try {
            path = Path.of(text);
        } catch (InvalidPathException e) {
            throw new RefusedException("not a path: " + e.getMessage());
        }
        if (!path.isAbsolute()) {
            throw new RefusedException("not an absolute path: " + text);
        }
        return path.normalize();
    }

    private static int indexOfNul(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        return -1;
    }
}
