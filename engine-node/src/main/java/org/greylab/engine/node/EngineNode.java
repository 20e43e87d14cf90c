package org.greylab.engine.node;

import com.hazelcast.cluster.Address;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent.LifecycleState;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.greylab.core.image.Decoders;
import org.greylab.core.image.JpegDecoders;
import org.greylab.core.image.JpegDecoding;
import org.greylab.engine.EngineAttributes;
import org.greylab.engine.security.ClusterKey;
import org.greylab.engine.wire.EngineGuard;
import org.greylab.engine.wire.TestStall;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running engine: a Hazelcast member whose executor converts images, {@code slots} at a time. The engine-node
 * command runs one per process; tests may run several in one JVM.
 */
public final class EngineNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EngineNode.class);

    /** Every ready line contains this, after the quoted engine name; launchers wait for it. */
    public static final String READY_MARKER = "\" ready at ";

    /** How far above 5701 an engine without {@code --port} looks for a free port. */
    private static final int PORT_SEARCH = 100;

    private final HazelcastInstance member;
    private final EngineNodeSettings settings;
    private final String name;
    private final String address;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final EngineGuard guard;

    private EngineNode(HazelcastInstance member, EngineNodeSettings settings, String name, EngineGuard guard) {
        this.member = member;
        this.guard = guard;
        this.settings = settings;
        this.name = name;
        Address local = member.getCluster().getLocalMember().getAddress();
        this.address = EngineMemberConfig.hostPort(local.getHost(), local.getPort());
        member.getLifecycleService().addLifecycleListener(event -> {
            if (event.getState() == LifecycleState.SHUTDOWN) {
                stopped.countDown();
            }
        });
        if (!member.getLifecycleService().isRunning()) {
            stopped.countDown();
        }
    }

    /**
     * Starts an engine and returns once it is a member of its cluster (alone, or joined to the peers it found).
     *
     * @throws EngineStartException with a message a user can act on (port taken, not a local address, ...)
     */
    public static EngineNode start(EngineNodeSettings settings) {
        // ImageIO finds its plugins once, through the context class loader of the first thread that uses it: this
        // one, not a Hazelcast thread, whose context class loader is the wire's narrow one (WireTypes)
        javax.imageio.ImageIO.getImageReadersByFormatName("png");
        InetAddress bind = localAddress(settings.bindAddress());
        String ip = bind.getHostAddress();
        EngineNodeSettings resolved = settings.withBindAddress(ip);
        boolean portFixed = settings.port() != 0;
        int port = portFixed ? settings.port() : firstFreePort(bind);
        if (portFixed && !isFree(bind, port)) {
            throw portTaken(port, ip, null);
        }
        String host = hostName();
        String name = settings.name() != null && !settings.name().isBlank()
                ? settings.name() : host + ":" + port;
        EngineGuard guard = new EngineGuard(settings.key(), settings.maxPixels(), bind.isLoopbackAddress());
        Config config = EngineMemberConfig.build(resolved, port, portFixed, name, host, guard);
        HazelcastInstance member;
        try {
            member = Hazelcast.newHazelcastInstance(config);
        } catch (RuntimeException e) {
            if (hasCause(e, BindException.class)) {
                throw portTaken(port, ip, e);
            }
            throw new EngineStartException("the engine could not start: " + e.getMessage(), e);
        }
        EngineNode node = new EngineNode(member, resolved, name, guard);
        LOG.debug("engine {} started with {} slots", name, settings.slots());
        TestStall.armed().ifPresent(what -> LOG.warn("engine {}: {}", name, what));
        return node;
    }

    /** What the ready line of an engine without a key ends with. */
    public static final String INSECURE_NOTE = " INSECURE: no cluster key, anyone who reaches this port may use it";

    /**
     * The one line an engine prints when it is ready to take work. The JPEG decoder's description comes last: it
     * has parentheses of its own.
     */
    public String readyLine() {
        Decoders decoders = Decoders.preferred();
        return "Greylab engine \"" + name + READY_MARKER + address + " (" + settings.slots() + " slots, cluster \""
                + settings.clusterName() + "\", Greylab " + settings.version() + ", WebP: " + decoders.webpWord()
                + ", HEIC/AVIF: " + decoders.heifWord() + ", JPEG: " + JpegDecoders.description() + ")"
                + (settings.insecure() ? INSECURE_NOTE : "");
    }

    /** Tasks refused since start because they did not open with this engine's key. */
    public long refusedTasks() {
        return guard.refusedTasks();
    }

    /**
     * From now on seals with {@code current} and still opens tasks sealed with {@code previous} (the key being
     * rotated out) until the caller drops it with another call.
     */
    public void useKeys(ClusterKey current, java.util.List<ClusterKey> previous) {
        guard.useKeys(current, previous);
    }

    public String name() {
        return name;
    }

    /**
     * What a ready line says, read back by a launcher that has no client connected yet ({@code greylab engines
     * start} lists the engines from their ready lines alone).
     */
    public record ReadyLine(String name, String address, int slots, String cluster, String version,
                            Decoders decoders) {

        private static final Pattern FORMAT = Pattern.compile("Greylab engine \"(.*)" + Pattern.quote(READY_MARKER)
                + "(\\S+) \\((\\d+) slots, cluster \"([^\"]*)\", Greylab (\\S+), WebP: (\\S+), HEIC/AVIF: (\\S+),"
                + " JPEG: (.*)\\)(" + Pattern.quote(INSECURE_NOTE) + ")?$");

        /** The line's parts; empty for a line that is not an engine's ready line. */
        public static Optional<ReadyLine> parse(String line) {
            Matcher m = FORMAT.matcher(line.strip());
            if (!m.matches()) {
                return Optional.empty();
            }
            JpegDecoding jpeg = m.group(8).startsWith(JpegDecoders.TURBO_DESCRIPTION_START)
                    ? JpegDecoding.TURBO : JpegDecoding.JAVA;
            Decoders decoders = Decoders.fromWords(jpeg.word(), m.group(6), m.group(7));
            return Optional.of(new ReadyLine(m.group(1), m.group(2), Integer.parseInt(m.group(3)), m.group(4),
                    m.group(5), decoders));
        }
    }

    /** {@code IP:PORT} it listens on. */
    public String address() {
        return address;
    }

    public int port() {
        return member.getCluster().getLocalMember().getAddress().getPort();
    }

    public EngineNodeSettings settings() {
        return settings;
    }

    /** How many members its cluster has now, itself included. */
    public int clusterSize() {
        return member.getCluster().getMembers().size();
    }

    /** Tasks this engine has finished converting (or failing) since it started. */
    public long completedTasks() {
        return member.getExecutorService(EngineAttributes.EXECUTOR).getLocalExecutorStats().getCompletedTaskCount();
    }

    /** A count that moves whenever this engine starts or finishes a task (for its idle timeout). */
    long taskActivity() {
        var stats = member.getExecutorService(EngineAttributes.EXECUTOR).getLocalExecutorStats();
        return stats.getStartedTaskCount() + stats.getCompletedTaskCount() + stats.getCancelledTaskCount();
    }

    /** Tasks a client cancelled on this engine, queued or running, since it started. */
    public long cancelledTasks() {
        return member.getExecutorService(EngineAttributes.EXECUTOR).getLocalExecutorStats().getCancelledTaskCount();
    }

    public boolean isRunning() {
        return member.getLifecycleService().isRunning();
    }

    /** Blocks until the engine has stopped (SIGTERM, {@link #close()}, or Hazelcast gave up). */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    public boolean awaitStop(long timeout, TimeUnit unit) throws InterruptedException {
        return stopped.await(timeout, unit);
    }

    /** Leaves the cluster in order. */
    @Override
    public void close() {
        if (member.getLifecycleService().isRunning()) {
            member.shutdown();
        }
        stopped.countDown();
    }

    /** Stops at once, as if the machine had gone away (connections close, nothing is handed over). */
    public void kill() {
        member.getLifecycleService().terminate();
        stopped.countDown();
    }

    static InetAddress localAddress(String text) {
        InetAddress address;
        try {
            address = InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new EngineStartException("--interface " + text + " is not a known address", e);
        }
        try {
            if (NetworkInterface.getByInetAddress(address) == null) {
                throw new EngineStartException("--interface " + text + " is not an address of this machine;"
                        + " an engine binds one of its own addresses (see `ip addr`)");
            }
        } catch (SocketException e) {
            throw new EngineStartException("the network interfaces could not be listed: " + e.getMessage(), e);
        }
        return address;
    }

    private static EngineStartException portTaken(int port, String ip, Throwable cause) {
        return new EngineStartException("port " + port + " on " + ip + " is taken (another engine or program"
                + " listens there): choose a free one with --port", cause);
    }

    /** 5701, or the first port above it that nothing listens on, so the default name can say the port. */
    private static int firstFreePort(InetAddress bind) {
        for (int port = EngineNodeSettings.DEFAULT_PORT; port < EngineNodeSettings.DEFAULT_PORT + PORT_SEARCH; port++) {
            if (isFree(bind, port)) {
                return port;
            }
        }
        throw new EngineStartException("ports " + EngineNodeSettings.DEFAULT_PORT + "-"
                + (EngineNodeSettings.DEFAULT_PORT + PORT_SEARCH - 1) + " on " + bind.getHostAddress()
                + " are all taken: choose a free one with --port");
    }

    /** Whether the engine could bind this port now (checked first, so a taken port is one clear line). */
    private static boolean isFree(InetAddress bind, int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(bind, port));
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
