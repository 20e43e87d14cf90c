package org.greylab.engine.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.greylab.engine.GreylabVersion;
import org.greylab.engine.client.ClusterFile;
import org.greylab.engine.client.EngineAddress;
import org.greylab.engine.node.EngineNode;
import org.greylab.engine.security.ClusterKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Engines on other machines, started over the system's ssh like {@code ipcluster start --engines=SSH}: for each
 * host, the engine bundle is copied into {@code ~/.cache/greylab/engine-VERSION/} when it is missing there or
 * differs, and its engines are started in the background, bound to the address the host was reached by, joining the
 * other hosts' engines, with the cluster key. Hosts are reached in parallel; a host that fails says why in its row
 * and the others go on.
 *
 * <p>Three steps per host: a probe (one ssh: the address, the bundle's hash there, free space, the platform, whether
 * the user has a systemd), the copy (scp, only when needed), and the start (one ssh: unpack, start, wait for the
 * ready lines). The starts wait for every probe, since each engine is told every host's address to join.
 */
public final class SshEngines {

    private static final Logger LOG = LoggerFactory.getLogger(SshEngines.class);

    /** Where the bundle is, when it is not where Greylab looks by itself. */
    public static final String BUNDLE_PROPERTY = "greylab.engine.bundle";
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);
    /** Beyond the connect timeout, for a probe or a stop: both are a few shell commands. */
    private static final Duration SHORT_COMMAND = Duration.ofSeconds(20);
    /** The slowest copy waited for: 1 MB/s, and never under a minute. */
    private static final long SLOWEST_COPY_BYTES_PER_SECOND = 1_000_000;
    /** Unpacked, a bundle takes about 2.3 times its compressed size; its copy is there too until unpacked. */
    private static final double ROOM_FACTOR = 3.5;
    private static final long STOP_WAIT_SECONDS = 20;

    /**
     * What to start where.
     *
     * @param hosts            the hosts, each with its engine count
     * @param bundle           the engine bundle (a {@code greylab-engine-VERSION-linux-x64.tar.gz})
     * @param ssh              how to run ssh and scp
     * @param interfaceAddress the address the engines bind, instead of the one each host was reached by (one host
     *                         only); null for that one
     * @param slots            each engine's slots; null for the host's processors
     * @param idleTimeout      each engine stops after this long without a task
     * @param startTimeout     how long a host's engines may take to print their ready lines
     * @param clusterName      the engines' cluster name
     * @param key              their key; {@link ClusterKey#none()} only for engines started without one on purpose
     */
    public record Options(List<SshHost> hosts, Path bundle, SshCommands ssh, String interfaceAddress, Integer slots,
                          Duration idleTimeout, Duration startTimeout, String clusterName, ClusterKey key) {
        public Options {
            hosts = List.copyOf(hosts);
            if (hosts.isEmpty()) {
                throw new IllegalArgumentException("no host");
            }
            if (interfaceAddress != null && hosts.size() > 1) {
                throw new IllegalArgumentException("--interface names one address: it goes with one host only (each"
                        + " host's engines otherwise bind the address ssh reached it by)");
            }
        }

        /** A fresh cluster name, as local engines get. */
        public static String newClusterName() {
            return "greylab-ssh-" + UUID.randomUUID().toString().substring(0, 8);
        }
    }

    /** A host's state in its row. */
    public enum HostState {
        RUNNING("running"), FAILED("failed");

        private final String word;

        HostState(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }

    /**
     * One host's row: where its engines listen and when they were ready, or why they are not running.
     *
     * @param host      the host as given
     * @param address   the address its engines bind ("" when the probe did not get that far)
     * @param engines   its engines' ready lines, in start order
     * @param pids      their processes on that host
     * @param toReady   from the command's start until its last engine was ready (or it failed)
     * @param failure   why it failed; null when it runs
     * @param runtime   what the bundle's launcher said about the java it uses ("" when unknown)
     * @param copied    whether the bundle was copied there this time
     */
    public record HostRow(SshHost host, String address, List<EngineNode.ReadyLine> engines, List<Long> pids,
                          Duration toReady, SshFailure failure, String runtime, boolean copied) {
        public HostRow {
            engines = List.copyOf(engines);
            pids = List.copyOf(pids);
        }

        public HostState state() {
            return failure == null ? HostState.RUNNING : HostState.FAILED;
        }

        static HostRow failed(SshHost host, String address, Duration elapsed, SshFailure failure, boolean copied) {
            return new HostRow(host, address, List.of(), List.of(), elapsed, failure, "", copied);
        }
    }

    /**
     * What a start gave: a row per host, in the order given.
     *
     * @param clusterName the cluster's name
     * @param key         its key
     * @param rows        one per host
     */
    public record Started(String clusterName, ClusterKey key, List<HostRow> rows) {
        public Started {
            rows = List.copyOf(rows);
        }

        public List<HostRow> running() {
            return rows.stream().filter(r -> r.state() == HostState.RUNNING).toList();
        }

        public List<HostRow> failed() {
            return rows.stream().filter(r -> r.state() == HostState.FAILED).toList();
        }

        /** Where every running engine listens. */
        public List<EngineAddress> addresses() {
            return running().stream().flatMap(r -> r.engines().stream())
                    .map(line -> EngineAddress.parse(line.address())).toList();
        }

        /** The cluster file that names them; null when none started. */
        public ClusterFile clusterFile(Instant now, Path sshConfig) {
            if (running().isEmpty()) {
                return null;
            }
            return new ClusterFile(clusterName, addresses(), List.of(), now, key, running().stream()
                    .map(r -> new ClusterFile.HostEngines(r.host().destination(), r.pids())).toList(), sshConfig);
        }
    }

    /**
     * One host's stop.
     *
     * @param destination ssh's destination
     * @param stopped     engines stopped there
     * @param failure     why it could not be asked; null when it was
     */
    public record HostStop(String destination, int stopped, SshFailure failure) {
    }

    private SshEngines() {
    }

    /** The bundle's version: the build's, without {@code -SNAPSHOT} (as the installer names the bundle). */
    public static String bundleVersion() {
        return GreylabVersion.current().replace("-SNAPSHOT", "");
    }

    /** The bundle's file name. */
    public static String bundleName() {
        return "greylab-engine-" + bundleVersion() + "-linux-x64.tar.gz";
    }

    /**
     * Finds the engine bundle: {@code -Dgreylab.engine.bundle}, then under {@code greylab.home} (a checkout's
     * {@code installer/target/}, or an installation's folder), then up from this code.
     *
     * @throws IllegalStateException saying where it looked and how to build it
     */
    public static Path findBundle() {
        String explicit = System.getProperty(BUNDLE_PROPERTY);
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        Set<Path> tried = new LinkedHashSet<>();
        String home = System.getProperty("greylab.home");
        if (home != null && !home.isBlank()) {
            Path root = Paths.get(home).toAbsolutePath().normalize();
            tried.add(root.resolve("installer").resolve("target").resolve(bundleName()));
            tried.add(root.resolve("lib").resolve(bundleName()));
            tried.add(root.resolve(bundleName()));
        }
        codeLocation().ifPresent(code -> {
            Path dir = Files.isDirectory(code) ? code : code.getParent();
            for (int up = 0; dir != null && up < 5; up++, dir = dir.getParent()) {
                tried.add(dir.resolve("installer").resolve("target").resolve(bundleName()));
            }
        });
        for (Path candidate : tried) {
            if (Files.isRegularFile(candidate)) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("the engine bundle " + bundleName() + " was not found (looked at " + tried
                + "): build it with 'mvn -B -DskipTests -Pinstaller package' on a JDK 22+, or name it with --bundle");
    }

    private static Optional<Path> codeLocation() {
        try {
            CodeSource source = SshEngines.class.getProtectionDomain().getCodeSource();
            return source == null ? Optional.empty() : Optional.of(Paths.get(source.getLocation().toURI()));
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Starts the engines on every host and returns when each host's engines are ready or it failed; {@code
     * finished} hears each host's row as soon as it is known (on a thread of this call).
     */
    public static Started start(Options options, Consumer<HostRow> finished) throws IOException {
        long t0 = System.nanoTime();
        String hash = sha256(options.bundle());
        long bundleBytes = Files.size(options.bundle());
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(options.hosts().size(), 16), r -> {
            Thread thread = new Thread(r, "greylab-ssh-host");
            thread.setDaemon(true);
            return thread;
        });
        try {
            // a host that fails here is said at once: the others may take minutes to copy the bundle
            List<CompletableFuture<Prepared>> preparing = options.hosts().stream()
                    .map(host -> CompletableFuture.supplyAsync(() -> {
                        Prepared ready = prepare(options, host, hash, bundleBytes, t0);
                        if (ready.failure() != null) {
                            finished.accept(ready.failedRow());
                        }
                        return ready;
                    }, pool)).toList();
            List<Prepared> prepared = preparing.stream().map(CompletableFuture::join).toList();
            Map<String, Integer> enginesAt = new LinkedHashMap<>();
            prepared.stream().filter(p -> p.failure() == null)
                    .forEach(p -> enginesAt.merge(p.address(), p.host().engines(), Integer::sum));
            List<String> join = joinList(enginesAt);
            List<CompletableFuture<HostRow>> starting = new ArrayList<>();
            for (Prepared host : prepared) {
                if (host.failure() != null) {
                    starting.add(CompletableFuture.completedFuture(host.failedRow()));
                } else {
                    starting.add(CompletableFuture.supplyAsync(() -> {
                        HostRow row = startOn(options, host, hash, join, t0);
                        finished.accept(row);
                        return row;
                    }, pool));
                }
            }
            return new Started(options.clusterName(), options.key(),
                    starting.stream().map(CompletableFuture::join).toList());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * What every engine is told to join: each host's address at the ports its engines take (5701 up, in order), as
     * {@code HOST:PORT}. Never a bare address: Hazelcast would try three ports there, and its split-brain search waits
     * 5 s on each port that no engine listens on, so an engine whose link came back after a cut rejoined only after
     * 20-30 s, most of it spent on such ports.
     *
     * @param enginesAt the number of engines started at each address
     */
    static List<String> joinList(Map<String, Integer> enginesAt) {
        List<String> join = new ArrayList<>();
        enginesAt.forEach((address, count) -> {
            for (int i = 0; i < Math.max(1, count); i++) {
                join.add(new EngineAddress(address, EngineAddress.DEFAULT_PORT + i).toString());
            }
        });
        return join;
    }

    /**
     * A host after its probe and copy: where it is reached, and what to unpack there; or why it failed, and when.
     */
    private record Prepared(SshHost host, String address, String upload, boolean systemd, SshFailure failure,
                            Duration failedAfter) {
        static Prepared failed(SshHost host, String address, SshFailure failure, long t0) {
            return new Prepared(host, address, null, false, failure, since(t0));
        }

        HostRow failedRow() {
            return HostRow.failed(host, address, failedAfter, failure, false);
        }
    }

    private static Prepared prepare(Options options, SshHost host, String hash, long bundleBytes, long t0) {
        Duration connect = options.ssh().connectTimeout();
        CommandRun probe = CommandRun.run(options.ssh().runScript(host),
                new RemoteScript("probe.sh").set("version", bundleVersion()).text(), connect.plus(SHORT_COMMAND));
        if (!probe.succeeded()) {
            return Prepared.failed(host, "", failure(probe, connect.plus(SHORT_COMMAND)), t0);
        }
        String address = options.interfaceAddress() != null ? options.interfaceAddress() : probe.probed("address");
        if (address.isEmpty()) {
            return Prepared.failed(host, "", new SshFailure(SshFailure.Reason.FAILED, "the host did not say which"
                    + " address ssh reached it by (no SSH_CONNECTION): give it with --interface"), t0);
        }
        boolean systemd = probe.probed("systemd").equals("yes");
        LOG.debug("{}: address {}, platform {}, bundle hash there {}, systemd {}", host, address,
                probe.probed("platform"), probe.probed("hash"), systemd);
        if (probe.probed("hash").equals(hash)) {
            return new Prepared(host, address, "", systemd, null, null);
        }
        long need = (long) (bundleBytes * ROOM_FACTOR);
        String free = probe.probed("free-kib");
        if (free.matches("\\d+") && Long.parseLong(free) * 1024 < need) {
            return Prepared.failed(host, address, new SshFailure(SshFailure.Reason.DISK_FULL, String.format(
                    Locale.ROOT, "%d MiB free in ~/.cache/greylab, the engine bundle needs about %d MiB",
                    Long.parseLong(free) / 1024, need >> 20)), t0);
        }
        String upload = ".upload-" + hash.substring(0, 12) + "-" + UUID.randomUUID().toString().substring(0, 8)
                + ".tar.gz";
        Duration copyTimeout = connect.plus(Duration.ofSeconds(Math.max(60,
                bundleBytes / SLOWEST_COPY_BYTES_PER_SECOND)));
        CommandRun copy = CommandRun.run(options.ssh().copy(options.bundle(), host, ".cache/greylab/" + upload),
                null, copyTimeout);
        if (!copy.succeeded()) {
            return Prepared.failed(host, address, failure(copy, copyTimeout), t0);
        }
        LOG.debug("{}: bundle copied in {} ms", host, since(t0).toMillis());
        return new Prepared(host, address, upload, systemd, null, null);
    }

    private static HostRow startOn(Options options, Prepared host, String hash, List<String> join, long t0) {
        Duration timeout = options.ssh().connectTimeout().plus(options.startTimeout()).plus(SHORT_COMMAND);
        boolean copied = !host.upload().isEmpty();
        RemoteScript script = new RemoteScript("start.sh")
                .set("version", bundleVersion())
                .set("hash", hash)
                .set("upload", host.upload())
                .set("cluster", options.clusterName())
                .set("key", options.key().isNone() ? "" : options.key().toBase64())
                .set("engines", host.host().engines())
                .set("address", host.address())
                .set("join", String.join(",", join))
                .set("label", host.host().host())
                .set("slots", options.slots())
                .set("idle", Math.max(1, options.idleTimeout().toSeconds()))
                .set("insecure", options.key().isNone() ? "yes" : "no")
                .set("timeout", Math.max(1, options.startTimeout().toSeconds()))
                .set("systemd", host.systemd() ? "yes" : "no");
        CommandRun start = CommandRun.run(options.ssh().runScript(host.host()), script.text(), timeout);
        List<EngineNode.ReadyLine> engines = new ArrayList<>();
        List<Long> pids = new ArrayList<>();
        for (String ready : start.values("ready")) {
            int space = ready.indexOf(' ');
            Optional<EngineNode.ReadyLine> line = space < 0 ? Optional.empty()
                    : EngineNode.ReadyLine.parse(ready.substring(space + 1));
            if (line.isPresent() && ready.substring(0, space).matches("\\d+")) {
                engines.add(line.get());
                pids.add(Long.parseLong(ready.substring(0, space)));
            }
        }
        if (start.succeeded() && engines.size() == host.host().engines()) {
            // "greylab-engine: using the bundle's runtime (Java 25): /home/..../java": the words, not the path
            String runtime = start.values("runtime").stream().findFirst().orElse("")
                    .replaceFirst("^greylab-engine: using ", "").replaceFirst(": /.*$", "");
            return new HostRow(host.host(), host.address(), engines, pids, since(t0), null, runtime, copied);
        }
        return HostRow.failed(host.host(), host.address(), since(t0), startFailure(start, timeout, options), copied);
    }

    private static SshFailure startFailure(CommandRun start, Duration timeout, Options options) {
        List<String> fail = start.values("fail");
        String log = String.join("\n", start.values("log"));
        if (fail.isEmpty()) {
            return failure(start, timeout);
        }
        return switch (fail.get(0)) {
            case "start" -> SshFailure.classifyStart(log);
            case "timeout" -> new SshFailure(SshFailure.Reason.TIMED_OUT, "no ready line within "
                    + options.startTimeout().toSeconds() + " s" + (log.isBlank() ? "" : "; the engine's last line: "
                    + log.lines().reduce((a, b) -> b).orElse("")));
            case "unpack" -> {
                SshFailure why = SshFailure.classifySsh(start.stderr());
                yield why.reason() == SshFailure.Reason.DISK_FULL ? why
                        : new SshFailure(SshFailure.Reason.FAILED, "the bundle could not be unpacked: " + why.detail());
            }
            default -> new SshFailure(SshFailure.Reason.FAILED, fail.get(0) + ": " + SshFailure.classifySsh(
                    start.stderr()).detail());
        };
    }

    /** Why a command failed: ssh's words, or its deadline. */
    private static SshFailure failure(CommandRun run, Duration timeout) {
        if (run.timedOut()) {
            return new SshFailure(SshFailure.Reason.TIMED_OUT, "no answer within " + timeout.toSeconds() + " s");
        }
        SshFailure why = SshFailure.classifySsh(run.stderr() + "\n" + String.join("\n", run.values("fail")));
        return why;
    }

    /**
     * Stops the engines of {@code file} on every host it names (SIGTERM, then SIGKILL for any still running after
     * {@value #STOP_WAIT_SECONDS} s), only those processes whose command line still names its cluster; removes
     * nothing there. {@code finished} hears each host as soon as it is done.
     */
    public static List<HostStop> stop(ClusterFile file, SshCommands ssh, Consumer<HostStop> finished) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(Math.max(1, file.sshHosts().size()), 16), r -> {
            Thread thread = new Thread(r, "greylab-ssh-stop");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Duration timeout = ssh.connectTimeout().plus(SHORT_COMMAND).plusSeconds(STOP_WAIT_SECONDS);
            List<CompletableFuture<HostStop>> stops = file.sshHosts().stream().map(host ->
                    CompletableFuture.supplyAsync(() -> {
                        SshHost target = SshHost.parse(host.destination());
                        CommandRun run = CommandRun.run(ssh.runScript(target), new RemoteScript("stop.sh")
                                .set("cluster", file.clusterName())
                                .set("pids", String.join(" ", host.pids().stream().map(String::valueOf).toList()))
                                .set("wait", STOP_WAIT_SECONDS).text(), timeout);
                        List<String> stopped = run.values("stopped");
                        HostStop result = run.succeeded() && !stopped.isEmpty()
                                ? new HostStop(host.destination(), Integer.parseInt(stopped.get(0).strip()), null)
                                : new HostStop(host.destination(), 0, failure(run, timeout));
                        finished.accept(result);
                        return result;
                    }, pool)).toList();
            return stops.stream().map(CompletableFuture::join).toList();
        } finally {
            pool.shutdownNow();
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static Duration since(long t0) {
        return Duration.ofNanos(System.nanoTime() - t0);
    }
}
