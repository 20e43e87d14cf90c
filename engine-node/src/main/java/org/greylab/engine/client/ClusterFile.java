package org.greylab.engine.client;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import org.greylab.engine.security.ClusterKey;
import org.greylab.engine.security.KeyFileException;

/**
 * Where engines left running by {@code greylab engines start} are, like ipyparallel's connection file: their cluster
 * name, their addresses and their process ids (engines on this machine). It lives in the user's runtime folder
 * ({@code $XDG_RUNTIME_DIR/greylab/local.cluster}, which the system empties at every boot), or in
 * {@code ~/.cache/greylab/} where there is none; the folder is 0700 and the file 0600, so no other user reads it.
 *
 * @param clusterName the engines' cluster name
 * @param addresses   where they listen
 * @param enginePids  their processes, which {@code greylab engines stop} asks to stop; empty where they are not on
 *                    this machine
 * @param started     when they were started
 * @param key         their cluster key (which is why the file is for this user only, and refused when others can
 *                    read it)
 * @param sshHosts    the hosts {@code greylab engines start --ssh} started engines on, with their pids there; empty
 *                    for engines on this machine
 * @param sshConfig   the ssh configuration file they were started with ({@code --ssh-config}), which stopping them
 *                    uses too; null for ssh's own
 */
public record ClusterFile(String clusterName, List<EngineAddress> addresses, List<Long> enginePids, Instant started,
                          ClusterKey key, List<HostEngines> sshHosts, Path sshConfig) {

    /**
     * The engines on one host reached over ssh.
     *
     * @param destination ssh's destination, {@code [user@]host}
     * @param pids        their processes on that host
     */
    public record HostEngines(String destination, List<Long> pids) {
        public HostEngines {
            pids = List.copyOf(pids);
        }
    }

    /** The least time a client of engines started over ssh is given to reach them and have them prove the key. */
    public static final Duration SSH_ENGINES_TIMEOUT = Duration.ofSeconds(10);

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ClusterFile.class);

    public ClusterFile {
        addresses = List.copyOf(addresses);
        enginePids = List.copyOf(enginePids);
        sshHosts = List.copyOf(sshHosts);
    }

    /** Engines on this machine. */
    public ClusterFile(String clusterName, List<EngineAddress> addresses, List<Long> enginePids, Instant started,
                       ClusterKey key) {
        this(clusterName, addresses, enginePids, started, key, List.of(), null);
    }

    /** Whether its engines were started over ssh on other hosts. */
    public boolean overSsh() {
        return !sshHosts.isEmpty();
    }

    /** The default file for this user. */
    public static Path defaultPath() {
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        Path folder = runtime != null && !runtime.isBlank() && Files.isDirectory(Path.of(runtime))
                ? Path.of(runtime, "greylab") : Path.of(System.getProperty("user.home"), ".cache", "greylab");
        return folder.resolve("local.cluster");
    }

    /** The file at {@code path}, if there is one that can be read and that only this user can read. */
    public static Optional<ClusterFile> read(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            return Optional.empty();
        }
        try {
            ClusterKey.checkPrivate(path);
        } catch (KeyFileException e) {
            throw new IOException(e.getMessage().replace("the key file", "the cluster file"), e);
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        String cluster = p.getProperty("cluster", "");
        String addresses = p.getProperty("addresses", "");
        if (cluster.isBlank() || addresses.isBlank()) {
            throw new IOException(path + " names no cluster or no address");
        }
        try {
            String key = p.getProperty("key");
            List<HostEngines> hosts = new ArrayList<>();
            for (int i = 0; p.getProperty("ssh-host." + i) != null; i++) {
                hosts.add(new HostEngines(p.getProperty("ssh-host." + i),
                        parsePids(p.getProperty("ssh-host." + i + ".pids", ""))));
            }
            String sshConfig = p.getProperty("ssh-config");
            return Optional.of(new ClusterFile(cluster, EngineAddress.parseList(addresses),
                    parsePids(p.getProperty("engine-pids", "")),
                    Instant.parse(p.getProperty("started", Instant.EPOCH.toString())),
                    key == null ? ClusterKey.none() : ClusterKey.parse(key, "the key in " + path), hosts,
                    sshConfig == null || sshConfig.isBlank() ? null : Path.of(sshConfig)));
        } catch (RuntimeException e) {
            throw new IOException(path + " is damaged: " + e.getMessage(), e);
        }
    }

    /**
     * Writes it atomically, readable by this user only: file 0600, in a folder made 0700 when this creates it. A
     * folder that is already there keeps its permissions (a {@code --cluster-file} in /tmp or the home folder must
     * never close that folder to everyone else).
     */
    public void write(Path path) throws IOException {
        Path folder = path.toAbsolutePath().getParent();
        boolean posix = folder.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (!Files.isDirectory(folder)) {
            Files.createDirectories(folder);
            if (posix) {
                Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
            }
        }
        Path tmp = Files.createTempFile(folder, ".local-cluster-", ".tmp");
        if (posix) {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        }
        Properties p = new Properties();
        p.setProperty("cluster", clusterName);
        p.setProperty("addresses", String.join(",", addresses.stream().map(EngineAddress::toString).toList()));
        p.setProperty("engine-pids", String.join(",", enginePids.stream().map(String::valueOf).toList()));
        p.setProperty("started", started.toString());
        if (!key.isNone()) {
            p.setProperty("key", key.toBase64());
        }
        for (int i = 0; i < sshHosts.size(); i++) {
            p.setProperty("ssh-host." + i, sshHosts.get(i).destination());
            p.setProperty("ssh-host." + i + ".pids", String.join(",", sshHosts.get(i).pids().stream()
                    .map(String::valueOf).toList()));
        }
        if (sshConfig != null) {
            p.setProperty("ssh-config", sshConfig.toAbsolutePath().toString());
        }
        try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(out, "Greylab engines started by 'greylab engines start'; 'greylab engines stop' ends them");
        }
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** How long a command waits for the file's engines that run but are not yet visible to it. */
    static final Duration ALL_ENGINES_WAIT = Duration.ofSeconds(5);

    /**
     * A client of the engines the file at {@code path} names, when they run; empty when there is no such file. A
     * file whose engines are gone (unreadable, its engine processes ended, or no answer within {@code timeout}) is
     * removed, and {@code gone} hears why, in a sentence.
     */
    public static Optional<HazelcastEngineCluster> connectToRunning(Path path, Duration timeout,
                                                                    Consumer<String> gone) {
        String why;
        try {
            Optional<ClusterFile> file = read(path);
            if (file.isEmpty()) {
                return Optional.empty();
            }
            // read once: each pid's command line comes from the system
            int running = file.get().runningEngines().size();
            if (!file.get().enginePids().isEmpty() && running == 0) {
                why = "their processes (pid " + String.join(", ", file.get().enginePids().stream()
                        .map(String::valueOf).toList()) + ") have ended";
            } else {
                // engines on other hosts get the time a lab connection gets: their proofs cross a network, and they
                // share their machines with whatever else runs there
                Duration wait = file.get().overSsh() && timeout.compareTo(SSH_ENGINES_TIMEOUT) < 0
                        ? SSH_ENGINES_TIMEOUT : timeout;
                HazelcastEngineCluster cluster = HazelcastEngineCluster.connect(file.get().clusterName(),
                        file.get().addresses(), wait, file.get().key());
                // engines started together may still be joining each other (or proving the key) when a command
                // connects right after 'engines start' returned: the run waits a little for all that still run here
                if (cluster.engines().size() < running && !cluster.awaitEngines(running, ALL_ENGINES_WAIT)) {
                    LOG.debug("{} of {} engines of {} visible after {} ms", cluster.engines().size(), running, path,
                            ALL_ENGINES_WAIT.toMillis());
                }
                return Optional.of(cluster);
            }
        } catch (IOException e) {
            why = "it cannot be read (" + e.getMessage() + ")";
        } catch (EngineConnectException e) {
            why = "its engines do not answer";
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            why += "; the file could not be removed (" + e.getMessage() + ")";
        }
        gone.accept("The engines of " + path + " are gone: " + why + "; the file is removed.");
        return Optional.empty();
    }

    /**
     * The engine processes of this file that still run. A pid counts only while its process is a Greylab engine of
     * this cluster (its command line names the cluster): the system reuses the pids of engines that ended, and
     * {@code greylab engines stop} must never signal a stranger.
     */
    public List<ProcessHandle> runningEngines() {
        String clusterArgument = clusterName;
        return enginePids.stream().map(ProcessHandle::of).flatMap(Optional::stream).filter(ProcessHandle::isAlive)
                .filter(process -> process.info().arguments()
                        .map(args -> List.of(args).contains(clusterArgument)).orElse(false))
                .toList();
    }

    private static List<Long> parsePids(String text) {
        if (text.isBlank()) {
            return List.of();
        }
        return Arrays.stream(text.split(",")).map(String::trim).map(Long::parseLong).toList();
    }
}
