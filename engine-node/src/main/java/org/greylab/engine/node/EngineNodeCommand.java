package org.greylab.engine.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.greylab.core.image.HeifDecoders;
import org.greylab.core.image.JpegDecoders;
import org.greylab.core.image.JpegEncoders;
import org.greylab.core.image.KernelWarmUp;
import org.greylab.core.image.WebpDecoders;
import org.greylab.engine.GreylabVersion;
import org.greylab.engine.security.ClusterKey;
import org.greylab.engine.security.KeyFileException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code java -jar engine-node.jar --cluster NAME [...]}: one headless engine, until SIGTERM or Ctrl-C. */
@Command(name = "engine-node", mixinStandardHelpOptions = true, versionProvider = EngineNodeCommand.Version.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"Starts one Greylab engine: a Hazelcast member that converts images sent by Greylab clients.",
                "Prints one line when it is ready; stops cleanly on SIGTERM or Ctrl-C."})
final class EngineNodeCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(EngineNodeCommand.class);
    /** As long as a client's warm-up of an engine (HazelcastEngineCluster.DEFAULT_WARM_UP). */
    private static final Duration WARM_UP = Duration.ofMillis(1500);

    @Spec
    private CommandSpec spec;

    @Option(names = "--cluster", required = true, paramLabel = "NAME",
            description = "Cluster name; engines and clients meet only within one (clients pass the same --cluster).")
    private String cluster;

    @Option(names = "--interface", paramLabel = "IP", defaultValue = EngineNodeSettings.DEFAULT_BIND_ADDRESS,
            description = "The one address of this machine to bind and advertise (default: ${DEFAULT-VALUE}).")
    private String bindAddress;

    @Option(names = "--port", paramLabel = "P",
            description = "Exactly this port (fails if taken). Default: 5701, or the next free port above it.")
    private Integer port;

    @Option(names = "--join", split = ",", paramLabel = "HOST[:PORT]",
            description = "Other engines to join, comma-separated. Default: this interface, ports 5701-5703.")
    private List<String> join = new ArrayList<>();

    @Option(names = "--slots", paramLabel = "N",
            description = "Images converted at once. Default: this machine's processors (${sys:greylab.cores}).")
    private Integer slots;

    @Option(names = "--name", paramLabel = "LABEL", description = "Label shown to clients. Default: HOST:PORT.")
    private String name;

    @Option(names = "--parent-pid", paramLabel = "PID",
            description = "Stop when process PID ends (launchers pass their own pid, so engines never outlive them).")
    private Long parentPid;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS",
            description = "Stop after this long without a task (default: never). Engines left running by"
                    + " 'greylab engines start' get one, so they never stay on for ever.")
    private Long idleTimeoutSeconds;

    @Option(names = "--warm-up", description = "Once ready, convert synthetic photos for about 1.5 s so that the"
            + " JIT compiles the kernel before the first real image (engines left running by 'greylab engines start'"
            + " do: no client may come soon to warm them).")
    private boolean warmUp;

    @Option(names = "--key-file", paramLabel = "FILE", defaultValue = "${env:GREYLAB_KEY_FILE}",
            description = "The cluster key ('greylab key new FILE'; mode 600): only clients with the same key get"
                    + " this engine's work, and images and results cross the network sealed with it. '-' reads it"
                    + " from standard input. Default: $GREYLAB_KEY_FILE.")
    private String keyFile;

    @Option(names = "--insecure-no-key", description = "Run without a cluster key on a lab interface: anyone who"
            + " reaches the port may use the engine and read the images. Said in the ready line and to clients.")
    private boolean insecureNoKey;

    @Option(names = "--max-megapixels", paramLabel = "MP", description = "Refuse images of more megapixels than"
            + " this, whatever a client asks for, so that a huge image cannot run the engine out of memory (default:"
            + " 250, as the clients').")
    private Double maxMegapixels;

    @Option(names = "--key-grace", paramLabel = "SECONDS", defaultValue = "600",
            description = "After SIGHUP re-reads --key-file, the old key is still accepted this long, so running"
                    + " batches finish (default: ${DEFAULT-VALUE}).")
    private long keyGraceSeconds;

    /** Exit status for a key problem (missing, unreadable, readable by others): nothing was started. */
    static final int KEY_PROBLEM = 2;

    @Override
    public Integer call() throws InterruptedException {
        EngineNodeSettings settings;
        EngineNode node;
        ClusterKey key;
        try {
            key = key();
        } catch (KeyFileException e) {
            spec.commandLine().getErr().println("engine-node: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return KEY_PROBLEM;
        }
        try {
            settings = EngineNodeSettings.defaults(cluster).withKey(key)
                    .withBindAddress(bindAddress)
                    .withPort(port == null ? 0 : port)
                    .withJoin(join)
                    .withName(name);
            if (slots != null) {
                settings = settings.withSlots(slots);
            }
            if (maxMegapixels != null) {
                if (!(maxMegapixels > 0) || maxMegapixels > 100_000) {
                    throw new IllegalArgumentException("--max-megapixels must be above 0 and at most 100000, not "
                            + maxMegapixels);
                }
                settings = settings.withMaxPixels(Math.max(1, Math.round(maxMegapixels * 1_000_000)));
            }
            JpegDecoders.checkForced();
            WebpDecoders.checkForced();
            node = EngineNode.start(settings);
        } catch (EngineStartException | IllegalArgumentException | IllegalStateException e) {
            spec.commandLine().getErr().println("engine-node: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return 1;
        }
        if (keyFile != null && !keyFile.isBlank() && !ClusterKey.STDIN.equals(keyFile)) {
            KeyReload.onHangUp(node, java.nio.file.Path.of(keyFile), key, Duration.ofSeconds(Math.max(0,
                    keyGraceSeconds)));
        }
        if (parentPid != null) {
            ParentWatch.watch(parentPid, () -> {
                LOG.info("process {} that started this engine has ended: stopping", parentPid);
                node.close();
            });
        }
        if (idleTimeoutSeconds != null && idleTimeoutSeconds > 0) {
            IdleWatch.watch(Duration.ofSeconds(idleTimeoutSeconds), Duration.ofSeconds(1), node::taskActivity,
                    node::close);
        }
        java.util.concurrent.atomic.AtomicBoolean jarReplaced = new java.util.concurrent.atomic.AtomicBoolean();
        EngineNode running = node;
        JarWatch.ownJar().ifPresent(jar -> JarWatch.watch(jar, Duration.ofSeconds(2), () -> {
            jarReplaced.set(true);
            running.close();
        }));
        spec.commandLine().getOut().println(node.readyLine());
        spec.commandLine().getOut().flush();
        if (warmUp) {
            Thread warming = new Thread(() -> {
                int converted = KernelWarmUp.run(WARM_UP);
                LOG.debug("warmed up on {} synthetic photos", converted);
            }, "greylab-warm-up");
            warming.setDaemon(true);
            // below the slots' threads: an image sent meanwhile comes first
            warming.setPriority(Thread.MIN_PRIORITY);
            warming.start();
        }
        node.awaitStop();
        // not 0: a service manager restarts an engine that failed, and so starts the new build
        return jarReplaced.get() ? JAR_REPLACED_STATUS : 0;
    }

    /** The exit status of an engine that stopped because its jar was replaced under it. */
    static final int JAR_REPLACED_STATUS = 3;

    /** The key from --key-file, or none where that is allowed: loopback, or --insecure-no-key said so. */
    private ClusterKey key() {
        boolean given = keyFile != null && !keyFile.isBlank();
        if (given && insecureNoKey) {
            throw new KeyFileException("--key-file and --insecure-no-key contradict each other: give one", null);
        }
        if (given) {
            return ClusterKey.load(keyFile);
        }
        if (!insecureNoKey && !isLoopback(bindAddress)) {
            throw new KeyFileException("an engine on " + bindAddress + " (reachable from other machines) needs a"
                    + " cluster key: make one with 'greylab key new FILE', copy it (mode 600) to each engine and"
                    + " client, and start with --key-file FILE (or GREYLAB_KEY_FILE=FILE); --insecure-no-key runs"
                    + " without one, open to anyone who reaches the port", null);
        }
        return ClusterKey.none();
    }

    private static boolean isLoopback(String address) {
        try {
            return java.net.InetAddress.getByName(address).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            // the engine's start says that the address is unknown
            return true;
        }
    }

    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"Greylab engine node " + GreylabVersion.current(),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")",
                "JPEG decoder: " + JpegDecoders.description(),
                "JPEG encoder: " + JpegEncoders.description(),
                "WebP decoder: " + WebpDecoders.description(),
                "HEIC/AVIF decoder: " + HeifDecoders.description()};
        }
    }
}
