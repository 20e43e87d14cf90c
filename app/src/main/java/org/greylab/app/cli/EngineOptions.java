package org.greylab.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.greylab.core.schedule.DispatchOptions;
import org.greylab.core.schedule.EngineCluster;
import org.greylab.core.schedule.EngineInfo;
import org.greylab.core.schedule.TaskGrouping;
import org.greylab.engine.client.EngineAddress;
import org.greylab.engine.client.EngineConnectException;
import org.greylab.engine.client.HazelcastEngineCluster;
import org.greylab.engine.security.ClusterKey;
import org.greylab.engine.security.KeyFileException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Where the engines are: {@code --engines N} starts N local engines (like {@code ipcluster start -n N}),
 * {@code --connect HOST[:PORT],... --cluster NAME} joins engines already running on lab machines.
 * Shared by {@code convert}, {@code bench} and {@code engines}.
 */
final class EngineOptions {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EngineOptions.class);
    /** How long past its budget the engines' warm-up may take before the command goes on without it. */
    private static final long WARM_UP_GRACE_MILLIS = 10_000;

    @Option(names = "--engines", paramLabel = "N",
            description = "Start N engines on this machine (127.0.0.1 only) for the run, and stop them after it"
                    + " (default for direct and balanced: 2, or one per core if more).")
    Integer engines;

    @Option(names = "--slots", paramLabel = "N",
            description = "Images each local engine converts at once (default: 1, like one ipyparallel engine).")
    Integer slots;

    @Option(names = "--connect", paramLabel = "HOST[:PORT]", split = ",",
            description = "Use engines already running at these addresses (port default 5701; 5701-5703 are"
                    + " tried). Needs --cluster.")
    List<String> connect = new ArrayList<>();

    @Option(names = "--cluster", paramLabel = "NAME",
            description = "The cluster name the lab engines were started with (--connect).")
    String cluster;

    @Option(names = "--key-file", paramLabel = "FILE", description = "The lab cluster's key ('greylab key new"
            + " FILE'; mode 600), the same file the engines were given (--connect). Only engines that prove it get"
            + " images, and images and results cross the network sealed with it. Without it, only engines started"
            + " with --insecure-no-key answer.")
    Path keyFile;

    @Option(names = "--cluster-file", paramLabel = "FILE",
            description = "Use the engines that 'greylab engines start --cluster-file FILE' left running. Without"
                    + " --engines, --connect or this, direct and balanced use the engines of 'greylab engines start'"
                    + " when they run (the default cluster file), and start local engines for the run otherwise.")
    Path clusterFile;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "Give up connecting after this long (default: ${DEFAULT-VALUE} s).")
    int connectTimeoutSeconds;

    @Option(names = "--prefetch", paramLabel = "N", defaultValue = "" + DispatchOptions.DEFAULT_PREFETCH,
            description = "Images queued on an engine beyond its slots (default: ${DEFAULT-VALUE}, like"
                    + " ipyparallel's high-water mark).")
    int prefetch;

    @Option(names = "--group", paramLabel = "auto|off|N", defaultValue = "auto", converter = Groupings.class,
            description = "Images one task to an engine carries: auto sizes each task by the engine's measured speed"
                    + " (about 30 ms of work, small images together, a large one alone, single images at the end),"
                    + " off sends one image a task, N up to N images a task (default: ${DEFAULT-VALUE}).")
    TaskGrouping group;

    @Option(names = "--task-timeout", paramLabel = "TIME", defaultValue = "10s", converter = Durations.class,
            description = "The least time an engine gets for one image before the image goes to another engine and"
                    + " the engine gets no more until it answers; each image gets this plus ten times what the"
                    + " engine's measured speed says it takes (default: ${DEFAULT-VALUE}).")
    Duration taskTimeout;

    boolean remote() {
        return !connect.isEmpty();
    }

    /** Checks the combination before anything starts; throws a usage error that says what to do. */
    void validate(CommandSpec spec) {
        if (clusterFile != null && (remote() || engines != null)) {
            throw new ParameterException(spec.commandLine(), "--cluster-file names engines already running: give"
                    + " it alone, without --engines or --connect.");
        }
        if (remote() && engines != null) {
            throw new ParameterException(spec.commandLine(),
                    "--engines starts local engines and --connect uses lab engines: give one of them, not both.");
        }
        if (remote() && (cluster == null || cluster.isBlank())) {
            throw new ParameterException(spec.commandLine(), "--connect needs --cluster NAME: the cluster name"
                    + " the engines were started with (java -jar engine-node.jar --cluster NAME ...).");
        }
        if (!remote() && keyFile != null) {
            throw new ParameterException(spec.commandLine(), "--key-file goes with --connect; local engines get a"
                    + " fresh key of their own (kept in their cluster file).");
        }
        if (!remote() && cluster != null) {
            throw new ParameterException(spec.commandLine(), "--cluster goes with --connect; local engines get a"
                    + " random cluster name of their own.");
        }
        validateLocal(spec, engines, slots);
        if (slots != null && remote()) {
            throw new ParameterException(spec.commandLine(), "--slots sets local engines; lab engines chose"
                    + " theirs when they started (engine-node --slots).");
        }
        if (prefetch < 0 || prefetch > 64) {
            throw new ParameterException(spec.commandLine(), "--prefetch must be between 0 and 64, not " + prefetch);
        }
        if (taskTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new ParameterException(spec.commandLine(), "--task-timeout must be at least 1s, such as 10s or 2m");
        }
        if (connectTimeoutSeconds < 1) {
            throw new ParameterException(spec.commandLine(), "--connect-timeout must be at least 1 second");
        }
        if (remote()) {
            try {
                addresses();
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--connect: " + e.getMessage());
            }
        }
    }

    /** The bounds of {@code --engines} and {@code --slots}, for every command that starts local engines. */
    static void validateLocal(CommandSpec spec, Integer engines, Integer slots) {
        if (engines != null && (engines < 1 || engines > 64)) {
            throw new ParameterException(spec.commandLine(), "--engines must be between 1 and 64, not " + engines);
        }
        if (slots != null && (slots < 1 || slots > 256)) {
            throw new ParameterException(spec.commandLine(), "--slots must be between 1 and 256, not " + slots);
        }
    }

    List<EngineAddress> addresses() {
        return EngineAddress.parseList(String.join(",", connect));
    }

    DispatchOptions dispatchOptions() {
        return DispatchOptions.defaults().withPrefetch(prefetch).withTaskTimeout(taskTimeout).withGrouping(group);
    }

    /**
     * Starts the local engines or connects to the lab ones, printing one line about it.
     *
     * @throws org.greylab.engine.client.EngineConnectException with a sentence for the user
     */
    HazelcastEngineCluster open(PrintWriter out) {
        long t0 = System.nanoTime();
        HazelcastEngineCluster opened;
        Optional<HazelcastEngineCluster> running = remote() || engines != null ? Optional.empty()
                : RunningEngines.connect(clusterFile, out);
        if (running.isPresent()) {
            opened = running.get();
        } else if (remote()) {
            opened = HazelcastEngineCluster.connect(cluster, addresses(), Duration.ofSeconds(connectTimeoutSeconds),
                    keyFile == null ? ClusterKey.none() : ClusterKey.read(keyFile));
        } else {
            int n = engines == null ? EngineCluster.defaultLocalEngines() : engines;
            if (engines == null) {
                // the user may not know engines can be left running: say these are this command's alone
                out.printf(Locale.ROOT, "No engines running: starting %d local engine(s) on 127.0.0.1 for this command"
                        + " only ('greylab engines start' leaves some running)...%n", n);
            } else {
                out.printf(Locale.ROOT, "Starting %d local engine(s) on 127.0.0.1...%n", n);
            }
            out.flush();
            opened = HazelcastEngineCluster.startLocal(n, slots == null ? EngineCluster.DEFAULT_LOCAL_SLOTS : slots);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<EngineInfo> list = opened.engines();
        out.printf(Locale.ROOT, "%d engine(s), %d slot(s), ready in %.2f s (cluster %s)%n", list.size(),
                totalSlots(list), seconds, opened.clusterName());
        out.flush();
        return opened;
    }

    /**
     * {@link #open}, or null after printing why the engines could not be reached (the caller exits with status 2).
     */
    HazelcastEngineCluster openOrExplain(PrintWriter out, PrintWriter err) {
        try {
            return open(out);
        } catch (EngineConnectException | KeyFileException e) {
            LOG.debug("engines not reached", e);
            err.println("greylab: " + e.getMessage());
            err.flush();
            return null;
        }
    }

    /**
     * Has the engines warm up (their JIT compiles the kernel and the dispatch path) and waits for it, at most
     * {@value #WARM_UP_GRACE_MILLIS} ms past its budget; an engine that does not finish in time is left as it is.
     */
    static void awaitWarmUp(HazelcastEngineCluster cluster) throws InterruptedException {
        try {
            cluster.warmUp(HazelcastEngineCluster.DEFAULT_WARM_UP)
                    .get(HazelcastEngineCluster.DEFAULT_WARM_UP.toMillis() + WARM_UP_GRACE_MILLIS,
                            TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("engines not warmed up", e);
        }
    }

    static int totalSlots(List<EngineInfo> engines) {
        return engines.stream().mapToInt(EngineInfo::slots).sum();
    }
}
