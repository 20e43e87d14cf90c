package org.greylab.engine.security;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;

/**
 * The secret a Greylab cluster shares, like ipyparallel's connection file key: 32 random bytes, kept base64 in a file
 * only its owner can read. Engines and clients derive their sealing and proof keys from it ({@link Sealer}).
 * {@link #none()} is the key of an engine that runs without one ({@code --insecure-no-key}): all zeros, known to
 * everyone, so such a cluster works the same way but protects nothing.
 */
public final class ClusterKey {

    public static final int LENGTH = 32;
    /** Read from standard input instead of a file: {@code --key-file -}. */
    public static final String STDIN = "-";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private final byte[] bytes;

    private ClusterKey(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a cluster key has " + LENGTH + " bytes, not " + bytes.length);
        }
        this.bytes = bytes.clone();
    }

    /** A fresh random key. */
    public static ClusterKey generate() {
        byte[] b = new byte[LENGTH];
        RANDOM.nextBytes(b);
        return new ClusterKey(b);
    }

    /** The key of a cluster without one: public, so it authenticates nothing. */
    public static ClusterKey none() {
        return new ClusterKey(new byte[LENGTH]);
    }

    public boolean isNone() {
        return MessageDigest.isEqual(bytes, new byte[LENGTH]);
    }

    byte[] bytes() {
        return bytes.clone();
    }

    /** The key as its file holds it. */
    public String toBase64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** Parses a key file's text; {@code source} names it in the error. */
    public static ClusterKey parse(String text, String source) {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(text.strip());
        } catch (IllegalArgumentException e) {
            throw new KeyFileException(source + " is not a Greylab key (base64 expected): make one with"
                    + " 'greylab key new FILE'", e);
        }
        if (decoded.length != LENGTH) {
            throw new KeyFileException(source + " is not a Greylab key (" + decoded.length + " bytes instead of "
                    + LENGTH + "): make one with 'greylab key new FILE'", null);
        }
        ClusterKey key = new ClusterKey(decoded);
        if (key.isNone()) {
            throw new KeyFileException(source + " holds the all-zero key, which protects nothing: make a key with"
                    + " 'greylab key new FILE'", null);
        }
        Arrays.fill(decoded, (byte) 0);
        return key;
    }

    /**
     * Reads the key file at {@code path}, refusing one that others could read or change: a file that is missing,
     * not a regular file, readable or writable by group or others, or owned by another user (root aside).
     */
    public static ClusterKey read(Path path) {
        if (!Files.exists(path)) {
            throw new KeyFileException("the key file " + path + " does not exist: make one with 'greylab key new "
                    + path + "'", null);
        }
        if (!Files.isRegularFile(path)) {
            throw new KeyFileException("the key file " + path + " is not a regular file", null);
        }
        checkPrivate(path);
        try {
            return parse(Files.readString(path, StandardCharsets.US_ASCII), "the key file " + path);
        } catch (IOException e) {
            throw new KeyFileException("the key file " + path + " cannot be read: " + e.getMessage()
                    + " (it must be readable by the user that runs Greylab, and by no one else)", e);
        }
    }

    /** Reads one key line from {@code in} (a pipe from the process that started this one). */
    public static ClusterKey readFrom(InputStream in) {
        try {
            String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII)).readLine();
            if (line == null) {
                throw new KeyFileException("--key-file -: standard input ended before a key was read", null);
            }
            return parse(line, "the key on standard input");
        } catch (IOException e) {
            throw new KeyFileException("--key-file -: standard input cannot be read: " + e.getMessage(), e);
        }
    }

    /** {@link #read(Path)}, or standard input for {@value #STDIN}. */
    public static ClusterKey load(String fileOrDash) {
        return STDIN.equals(fileOrDash) ? readFrom(System.in) : read(Path.of(fileOrDash));
    }

    /** Refuses a file that group or others may read or change, or that another user (root aside) owns. */
    public static void checkPrivate(Path path) {
        if (!path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, PosixFileAttributes.class);
        } catch (IOException e) {
            throw new KeyFileException("the key file " + path + " cannot be read: " + e.getMessage(), e);
        }
        Set<PosixFilePermission> open = EnumSet.noneOf(PosixFilePermission.class);
        open.addAll(attributes.permissions());
        open.retainAll(OTHERS);
        if (!open.isEmpty()) {
            throw new KeyFileException("the key file " + path + " can be read or changed by other users ("
                    + PosixFilePermissions.toString(attributes.permissions()) + "): run 'chmod 600 " + path
                    + "', and make a new key if others may have read it", null);
        }
        UserPrincipal owner = attributes.owner();
        String me = System.getProperty("user.name");
        if (!owner.getName().equals(me) && !owner.getName().equals("root")) {
            throw new KeyFileException("the key file " + path + " belongs to " + owner.getName() + ", not to "
                    + me + ": copy it to a file of your own with mode 600 (chmod 600 FILE)", null);
        }
    }

    /** Writes this key to a new file at {@code path}, mode 0600 from the start; never replaces a file. */
    public void writeNew(Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        boolean posix = path.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(path.toString());
        }
        if (posix) {
            Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(path);
        }
        Files.writeString(path, toBase64() + "\n", StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClusterKey other && MessageDigest.isEqual(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** Never the key itself: it must not reach a log. */
    @Override
    public String toString() {
        return isNone() ? "ClusterKey[none]" : "ClusterKey[secret]";
    }
}
