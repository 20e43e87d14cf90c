package org.greylab.engine.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The class data archive of the engine's code (engine-node.jar, or the installed app's class path) on one runtime:
 * Hazelcast loads thousands of classes, and mapping them from an archive takes a third of an engine's start-up CPU
 * away (two engines booting together on 2 cores: 1.6 s without, about 1.1 s with).
 *
 * <p>It is made in two steps, neither of which runs the JIT: one engine records the classes it loads
 * ({@code -XX:DumpLoadedClassList}); once a later launch has its engines ready, a background process turns that
 * list into a static archive ({@code -Xshare:dump}, about 4 s of CPU, once per build and runtime); engines started
 * after that map it. The one-step
 * {@code -XX:ArchiveClassesAtExit} is not used on purpose: on JDK 17 it also archives the "queued for compilation"
 * mark of every method that was waiting for the JIT when the engine exited (JDK-8306460, fixed in JDK 21), and
 * those methods then never get compiled in any engine that maps the archive. Measured here: the kernel's loops stayed
 * interpreted and a balanced run of 21 photos took 25 s instead of 3.4 s.
 *
 * <p>On Java 25 and newer the same two steps make an AOT cache instead ({@code -XX:AOTMode=record}, then
 * {@code -XX:AOTMode=create}; JEP 483 and 515): classes already loaded and linked, plus the method profiles of the
 * recording engine, which converted the client's warm-up images. One engine alone, measured side by side: ready in
 * 2.2-2.4 s from such a cache against 3.9-4.1 s without.
 */
final class EngineClassArchive {

    private static final Logger LOG = LoggerFactory.getLogger(EngineClassArchive.class);

    /** Dumps under way in this JVM, so that two launches never dump the same archive at once. */
    private static final Set<Path> DUMPING = ConcurrentHashMap.newKeySet();
    /** A temporary file this old is left over from a process that ended before it could move it into place. */
    private static final Duration STALE_TEMPORARY = Duration.ofMinutes(10);
    private static final String PREFIX = "engine-node-";
    private static final String ARCHIVE_SUFFIX = ".jsa";
    private static final String LIST_SUFFIX = ".classlist";
    private static final String AOT_CACHE_SUFFIX = ".aot";
    private static final String AOT_CONFIGURATION_SUFFIX = ".aotconf";
    /** The first Java with AOT caches that hold method profiles (JEP 515). */
    private static final int AOT_CACHE_JAVA = 25;
    private static final int KILLED = 137;

    private final Path java;
    private final EngineCode code;
    private final Path archive;
    private final Path classList;
    /** An AOT cache and its configuration rather than a CDS archive and its class list. */
    private final boolean aot;

    private EngineClassArchive(Path java, EngineCode code, Path archive, Path classList, boolean aot) {
        this.java = java;
        this.code = code;
        this.archive = archive;
        this.classList = classList;
        this.aot = aot;
    }

    /**
     * The archive for this code on the runtime of {@code java}, kept beside its (first) jar (or in the user's cache
     * folder when that folder is read-only or not the user's alone); empty when the runtime has no base archive to
     * build on, when the class path has a folder (the JVM archives jars only), or when the archive is turned off
     * with {@code -Dgreylab.engine.cds=false}.
     */
    static Optional<EngineClassArchive> of(Path java, EngineCode code) {
        if ("false".equalsIgnoreCase(System.getProperty(EngineLauncher.CDS_PROPERTY, "true"))) {
            return Optional.empty();
        }
        Path javaHome = java.getParent() == null ? null : java.getParent().getParent();
        if (javaHome == null || !Files.isRegularFile(javaHome.resolve("lib").resolve("server").resolve("classes.jsa"))) {
            // a runtime without a default archive is one built without CDS support
            return Optional.empty();
        }
        if (!code.allJars()) {
            return Optional.empty();
        }
        try {
            StringBuilder key = new StringBuilder(javaHome.toRealPath() + "|" + System.getProperty("java.vm.version"));
            // every jar counts: the JVM refuses an archive made over other copies of any of them
            for (Path jar : code.classPath()) {
                key.append('|').append(jar.toRealPath()).append('|').append(Files.size(jar)).append('|')
                        .append(Files.getLastModifiedTime(jar).toMillis());
            }
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.toString().getBytes(StandardCharsets.UTF_8))).substring(0, 16);
            Path folder = folderFor(code.first());
            boolean aot = javaFeature(javaHome) >= AOT_CACHE_JAVA;
            return Optional.of(new EngineClassArchive(java, code,
                    folder.resolve(PREFIX + hash + (aot ? AOT_CACHE_SUFFIX : ARCHIVE_SUFFIX)),
                    folder.resolve(PREFIX + hash + (aot ? AOT_CONFIGURATION_SUFFIX : LIST_SUFFIX)), aot));
        } catch (IOException | NoSuchAlgorithmException e) {
            return Optional.empty();
        }
    }

    /** The runtime's feature version, from its {@code release} file (this JVM's own when there is none). */
    private static int javaFeature(Path javaHome) {
        try {
            for (String line : Files.readAllLines(javaHome.resolve("release"), StandardCharsets.UTF_8)) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    return Runtime.Version.parse(version).feature();
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            LOG.debug("no release file version in {}: {}", javaHome, e.toString());
        }
        return Runtime.version().feature();
    }

    /**
     * Beside the jar when that folder is this user's alone, else {@code ~/.cache/greylab/class-data} (0700). Never a
     * shared temporary folder: whoever can write the archive there chooses the code the engines run.
     */
    private static Path folderFor(Path jar) throws IOException {
        Path beside = jar.getParent();
        if (beside != null && Files.isWritable(beside) && isPrivate(beside)) {
            return beside;
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path cache = xdg != null && !xdg.isBlank() && Paths.get(xdg).isAbsolute() ? Paths.get(xdg)
                : Paths.get(System.getProperty("user.home"), ".cache");
        return privateFolder(cache.resolve("greylab").resolve("class-data"));
    }

    /**
     * {@code folder}, made 0700 if it is not there; refused (IOException) when it is a symbolic link, not a folder,
     * another user's, or writable by group or others.
     */
    static Path privateFolder(Path folder) throws IOException {
        if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(folder.getParent());
            if (folder.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectory(folder);
            }
        }
        if (!isPrivate(folder)) {
            throw new IOException(folder + " is a link, not a folder, another user's, or writable by others: no"
                    + " class data archive is kept there");
        }
        return folder;
    }

    private static boolean isPrivate(Path folder) throws IOException {
        if (!folder.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS);
        }
        PosixFileAttributes attributes = Files.readAttributes(folder, PosixFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        return attributes.isDirectory() && !attributes.isSymbolicLink()
                && attributes.owner().getName().equals(System.getProperty("user.name"))
                && !attributes.permissions().contains(PosixFilePermission.GROUP_WRITE)
                && !attributes.permissions().contains(PosixFilePermission.OTHERS_WRITE);
    }

    Path archive() {
        return archive;
    }

    Path classList() {
        return classList;
    }

    /** Whether this is a Java 25+ AOT cache (with its configuration) rather than a CDS archive (with its list). */
    boolean isAotCache() {
        return aot;
    }

    /**
     * The JVM flags of the next engine: map the archive when there is one; else, when there is no class list yet and
     * {@code mayRecord}, have this engine record it (into {@link Flags#recording()}, which {@link #keepRecording}
     * moves into place once the engine has ended).
     */
    Flags flagsForEngine(boolean mayRecord, String tag) {
        if (Files.isRegularFile(archive)) {
            return new Flags(List.of((aot ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=") + archive), null);
        }
        boolean detachedRecording = adoptDetachedRecordings();
        if (!mayRecord || detachedRecording || Files.isRegularFile(classList)) {
            return new Flags(List.of(), null);
        }
        Path recording = temporary(classList, tag);
        // on its way out the JVM prints "AOTConfiguration recorded" on stdout, which carries only the ready line
        return new Flags(aot ? List.of("-XX:AOTMode=record", "-XX:AOTConfiguration=" + recording,
                "-XX:+UnlockDiagnosticVMOptions", "-XX:-DisplayVMOutput")
                : List.of("-XX:DumpLoadedClassList=" + recording), recording);
    }

    /**
     * Notes that a detached engine (one that outlives the process that started it, as {@code greylab engines start}
     * leaves them) records into {@code recording}: nobody is there to {@link #keepRecording keep} it when that engine
     * ends, so a later launch {@linkplain #adoptDetachedRecordings adopts} it, knowing from this note whose it is.
     */
    void noteDetachedRecording(Path recording, long enginePid) {
        try {
            Files.writeString(pidNote(recording), Long.toString(enginePid));
        } catch (IOException e) {
            LOG.debug("detached recording not noted: {}", e.toString());
        }
    }

    /**
     * Moves into place the lists of detached engines that have ended (the dump that follows checks them: a list cut
     * short makes it fail, and the next recording starts over). Returns whether one is still being recorded.
     */
    private boolean adoptDetachedRecordings() {
        boolean underWay = false;
        String notes = classList.getFileName() + ".*.pid";
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(classList.getParent(), notes)) {
            for (Path note : siblings) {
                Path recording = note.resolveSibling(note.getFileName().toString().replaceFirst("\\.pid$", ""));
                if (stillRecording(note)) {
                    underWay = true;
                    continue;
                }
                if (!Files.isRegularFile(classList) && Files.isRegularFile(recording) && Files.size(recording) > 0) {
                    Files.move(recording, classList, StandardCopyOption.ATOMIC_MOVE);
                    LOG.debug("engine class list of a detached engine kept: {}", classList);
                }
                Files.deleteIfExists(recording);
                Files.deleteIfExists(note);
            }
        } catch (IOException e) {
            LOG.debug("detached recordings not adopted: {}", e.toString());
        }
        return underWay;
    }

    /** Whether the engine a {@link #pidNote pid note} names still runs (and may still write its recording). */
    private static boolean stillRecording(Path note) {
        return readPid(note).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive).isPresent();
    }

    private static Optional<Long> readPid(Path note) {
        try {
            return Optional.of(Long.parseLong(Files.readString(note).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Path pidNote(Path recording) {
        return recording.resolveSibling(recording.getFileName() + ".pid");
    }

    /** Keeps the list an engine recorded, unless it was killed (then the list may stop in the middle of a line). */
    void keepRecording(Path recording, Process engine) {
        if (recording == null || engine.isAlive()) {
            return;
        }
        try {
            if (engine.exitValue() != KILLED && Files.isRegularFile(recording) && Files.size(recording) > 0) {
                Files.move(recording, classList, StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
                LOG.debug("engine class list kept: {}", classList);
            }
        } catch (IOException e) {
            LOG.debug("engine class list not kept: {}", e.toString());
        } finally {
            deleteQuietly(recording);
        }
    }

    /**
     * When there is a class list and no archive yet, starts {@code java -Xshare:dump} on it in a background process
     * (once per archive at a time) and returns what completes once the archive is in place or the dump failed;
     * otherwise returns an empty result. Once the archive is in place, other builds' archives and lists go.
     */
    Optional<CompletableFuture<Void>> dumpIfListed() {
        if (Files.isRegularFile(archive)) {
            // the dump that made it may have outlived the process that started it ('engines start' ends first), and
            // only that process cleared the other builds' files: without this, every rebuild left about 95 MB
            try {
                deleteOtherBuilds();
            } catch (IOException e) {
                LOG.debug("other builds' class archives not deleted: {}", e.toString());
            }
            deleteLeftovers();
            return Optional.empty();
        }
        adoptDetachedRecordings();
        if (!Files.isRegularFile(classList) || !DUMPING.add(archive)) {
            return Optional.empty();
        }
        deleteLeftovers();
        Path dumping = temporary(archive, "dump");
        List<String> command = new ArrayList<>();
        List<String> session = EngineLauncher.ownSession();
        if (!session.isEmpty()) {
            // in a session of its own, and moved into place by the shell: the dump completes even when the process
            // that started it is stopped first (the holder of 'greylab engines start' at 'engines stop', say)
            command.addAll(session);
            command.addAll(List.of("/bin/sh", "-c", "dumping=$1; archive=$2; shift 2; \"$@\" && mv -f -- \"$dumping\""
                    + " \"$archive\"", "dump", dumping.toString(), archive.toString()));
        }
        command.add(java.toString());
        command.addAll(EngineLauncher.jvmFlags(LocalEngines.Options.DEFAULT_MAX_HEAP));
        command.addAll(aot ? List.of("-XX:AOTMode=create", "-XX:AOTConfiguration=" + classList,
                "-XX:AOTCache=" + dumping)
                : List.of("-Xshare:dump", "-XX:SharedClassListFile=" + classList, "-XX:SharedArchiveFile=" + dumping));
        command.addAll(code.javaArguments());
        LOG.debug("dumping the engine class archive: {}", command);
        Process dump;
        try {
            dump = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            LOG.debug("the engine class archive could not be dumped: {}", e.toString());
            DUMPING.remove(archive);
            return Optional.empty();
        }
        return Optional.of(dump.onExit().thenRun(() -> {
            try {
                if (dump.exitValue() == 0 && Files.isRegularFile(archive) && !Files.isRegularFile(dumping)) {
                    LOG.debug("engine class archive ready: {}", archive);
                    deleteOtherBuilds();
                } else if (dump.exitValue() == 0 && Files.isRegularFile(dumping) && Files.size(dumping) > 0) {
                    Files.move(dumping, archive, StandardCopyOption.REPLACE_EXISTING,
                            StandardCopyOption.ATOMIC_MOVE);
                    LOG.debug("engine class archive ready: {}", archive);
                    deleteOtherBuilds();
                } else {
                    LOG.debug("dumping the engine class archive failed (exit {})", dump.exitValue());
                }
            } catch (IOException e) {
                LOG.debug("engine class archive not kept: {}", e.toString());
            } finally {
                deleteQuietly(dumping);
                DUMPING.remove(archive);
            }
        }));
    }

    private static Path temporary(Path target, String tag) {
        return target.resolveSibling(target.getFileName() + "." + ProcessHandle.current().pid() + "-" + tag + ".tmp");
    }

    /** Archives and lists of other jars or runtimes: no engine started from here can use them any more. */
    private void deleteOtherBuilds() throws IOException {
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(archive.getParent(), PREFIX + "*")) {
            for (Path other : siblings) {
                String name = other.getFileName().toString();
                boolean ours = other.getFileName().equals(archive.getFileName())
                        || other.getFileName().equals(classList.getFileName());
                if (!ours && (name.endsWith(ARCHIVE_SUFFIX) || name.endsWith(LIST_SUFFIX)
                        || name.endsWith(AOT_CACHE_SUFFIX) || name.endsWith(AOT_CONFIGURATION_SUFFIX))) {
                    Files.deleteIfExists(other);
                }
            }
        }
    }

    /**
     * Temporary files of dumps and recordings, this build's or another's, whose process ended before moving them into
     * place: a detached engine's recording (noted with its pid) once that engine has ended, with its note; any other
     * once it is stale. (This build's ended recordings were adopted first, where one was wanted.)
     */
    private void deleteLeftovers() {
        Instant before = Instant.now().minus(STALE_TEMPORARY);
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(archive.getParent(), PREFIX + "*.tmp*")) {
            for (Path leftover : siblings) {
                String name = leftover.getFileName().toString();
                if (name.endsWith(".tmp.pid")) {
                    if (!stillRecording(leftover)) {
                        Files.deleteIfExists(leftover.resolveSibling(name.substring(0, name.length() - 4)));
                        Files.deleteIfExists(leftover);
                    }
                } else if (name.endsWith(".tmp") && Files.isRegularFile(leftover) && !Files.exists(pidNote(leftover))
                        && Files.getLastModifiedTime(leftover).toInstant().isBefore(before)) {
                    Files.deleteIfExists(leftover);
                }
            }
        } catch (IOException e) {
            LOG.debug("leftover class archive files not deleted: {}", e.toString());
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.debug("could not delete {}: {}", file, e.toString());
        }
    }

    /** JVM flags for one engine, and the class list it records ({@code null} when it records none). */
    record Flags(List<String> jvmFlags, Path recording) {
    }
}
