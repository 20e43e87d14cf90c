package org.greylab.engine.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.greylab.core.image.HeifDecoders;
import org.greylab.core.image.JpegDecoders;
import org.greylab.core.image.KernelWarmUp;
import org.greylab.core.image.WebpDecoders;
import org.greylab.engine.GreylabVersion;
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

    @Override
    public Integer call() throws InterruptedException {
        EngineNodeSettings settings;
        EngineNode node;
        try {
            settings = EngineNodeSettings.defaults(cluster)
                    .withBindAddress(bindAddress)
                    .withPort(port == null ? 0 : port)
                    .withJoin(join)
                    .withName(name);
            if (slots != null) {
                settings = settings.withSlots(slots);
            }
            JpegDecoders.checkForced();
            node = EngineNode.start(settings);
        } catch (EngineStartException | IllegalArgumentException | IllegalStateException e) {
            spec.commandLine().getErr().println("engine-node: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return 1;
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
        return 0;
    }

    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"Greylab engine node " + GreylabVersion.current(),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")",
                "JPEG decoder: " + JpegDecoders.description(),
                "WebP decoder: " + WebpDecoders.description(),
                "HEIC/AVIF decoder: " + HeifDecoders.description()};
        }
    }
}
