package org.greylab.engine.client;

import com.hazelcast.client.HazelcastClientNotActiveException;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.spi.exception.TargetDisconnectedException;
import com.hazelcast.spi.exception.TargetNotMemberException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import org.greylab.core.schedule.ConvertTask;
import org.greylab.core.schedule.EngineCluster;
import org.greylab.core.schedule.EngineGoneException;
import org.greylab.core.schedule.EngineInfo;
import org.greylab.core.schedule.EngineListener;
import org.greylab.core.schedule.TaskOutcome;
import org.greylab.engine.EngineAttributes;
import org.greylab.engine.GreylabVersion;
import org.greylab.engine.wire.RemoteConvertTask;
import org.greylab.engine.wire.RemoteOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engines as a Greylab client sees them, reached through a Hazelcast <em>client</em> (never a member: the app
 * runs no tasks and holds no data). The client side's one way to engines: {@link ClusterConnector} connects it,
 * {@link EngineDirectory} names the engines, {@link EngineWarmUp} warms them, all behind this class.
 *
 * <p>Engines get small integer ids in the order they joined, like ipyparallel's {@code rc.ids}; engines that run
 * another Greylab version are refused (listed by {@link #refusedEngines()}, never given work). Task callbacks run
 * in the Hazelcast thread that completes the task's future and only hand the answer over, never on the common
 * ForkJoinPool (which on a 2-core machine starts a thread per callback).
 */
public final class HazelcastEngineCluster implements EngineCluster {

    private static final Logger LOG = LoggerFactory.getLogger(HazelcastEngineCluster.class);

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Enough for the kernel's hot loops to be compiled on a fresh engine, short enough not to matter. */
    public static final Duration DEFAULT_WARM_UP = Duration.ofMillis(1500);

    private final String clusterName;
    private final EngineListeners listeners = new EngineListeners();
    private final PendingTasks pending = new PendingTasks();
    private final EngineDirectory directory = new EngineDirectory(GreylabVersion.current(), new MembershipChanges());
    private final HazelcastInstance client;
    private final IExecutorService executor;
    private final EngineWarmUp warmUp;
    private final LocalEngines localEngines;
    private volatile boolean closed;

    /** Takes over {@code client}, and {@code localEngines} if not null: {@link #close()} stops both. */
    HazelcastEngineCluster(String clusterName, HazelcastInstance client, LocalEngines localEngines) {
        this.clusterName = clusterName;
        this.client = client;
        this.localEngines = localEngines;
        this.executor = client.getExecutorService(EngineAttributes.EXECUTOR);
        this.warmUp = new EngineWarmUp(directory, executor, this, () -> closed);
        client.getCluster().addMembershipListener(directory);
    }

    /**
     * Connects to the engines of cluster {@code clusterName} at {@code addresses} ({@code --connect}), waiting at
     * most {@code connectTimeout}.
     *
     * @throws EngineConnectException when no engine answers there, when one answers but not for this cluster, or
     *                                when every engine runs another Greylab version
     */
    public static HazelcastEngineCluster connect(String clusterName, List<EngineAddress> addresses,
                                                 Duration connectTimeout) {
        return ClusterConnector.connect(clusterName, addresses, connectTimeout);
    }

    /** {@link #connect(String, List, Duration)} with the default timeout of 10 s. */
    public static HazelcastEngineCluster connect(String clusterName, List<EngineAddress> addresses) {
        return connect(clusterName, addresses, DEFAULT_CONNECT_TIMEOUT);
    }

    /**
     * Starts {@code options.engines()} engine processes on this machine ({@code --engines N}), connects to them and
     * returns once all are visible. {@link #close()} stops them again.
     *
     * @throws EngineConnectException (reason START_FAILED) with the failing engine's output
     */
    public static HazelcastEngineCluster startLocal(LocalEngines.Options options) {
        return ClusterConnector.startLocal(options);
    }

    /** {@link #startLocal(LocalEngines.Options)} with {@code engines} engines of {@code slots} slots each. */
    public static HazelcastEngineCluster startLocal(int engines, int slots) {
        return startLocal(LocalEngines.Options.of(engines, slots));
    }

    public String clusterName() {
        return clusterName;
    }

    /** The engines that are members now and run this Greylab version, by id. */
    @Override
    public List<EngineInfo> engines() {
        return directory.current();
    }

    /** Why engines that answered were not taken on (another Greylab version, not a Greylab engine). */
    public List<String> refusedEngines() {
        return directory.refused();
    }

    /** The engine processes this cluster started itself ({@link #startLocal}), if it did. */
    public Optional<LocalEngines> localEngines() {
        return Optional.ofNullable(localEngines);
    }

    /** Blocks until at least {@code count} engines are visible, or the timeout passes; says which. */
    public boolean awaitEngines(int count, Duration timeout) {
        return directory.awaitCount(count, timeout);
    }

    @Override
    public void addListener(EngineListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(EngineListener listener) {
        listeners.remove(listener);
    }

    /**
     * Warms every engine now visible up, so that the first real images run compiled code on both sides: first each
     * engine runs its kernel on synthetic photos for about {@code budget} (in one of its slots, so images sent
     * meanwhile wait at most that long), then this client sends each engine up to
     * {@value EngineWarmUp#DISPATCH_TASKS} tiny images, {@value EngineWarmUp#DISPATCH_LANES} at a time, for at most
     * {@code budget} more, so that the dispatch path (serialization, Hazelcast's client and member code, the
     * callbacks) is compiled too. Returns what completes with the number of conversions in all; an engine that fails
     * or leaves meanwhile counts 0.
     */
    public CompletableFuture<Integer> warmUp(Duration budget) {
        return warmUp.start(budget);
    }

    @Override
    public CompletableFuture<TaskOutcome> submit(int engineId, ConvertTask task) {
        Objects.requireNonNull(task, "task");
        PendingTask result = new PendingTask(engineId);
        Member member = directory.member(engineId);
        if (member == null) {
            result.completeExceptionally(directory.knows(engineId)
                    ? new EngineGoneException(engineId, "engine " + engineId + " has left the cluster", null)
                    : new IllegalArgumentException("no engine has id " + engineId));
            return result;
        }
        if (closed) {
            result.completeExceptionally(new IllegalStateException("the engine cluster is closed"));
            return result;
        }
        pending.add(result);
        try {
            Future<RemoteOutcome> remote = executor.submitToMember(new RemoteConvertTask(task), member);
            result.attach(remote);
            // finish only hands the answer over, so it may run in the thread that completes Hazelcast's future
            HazelcastFutures.whenComplete(remote, (outcome, error) -> finish(result, outcome, error));
        } catch (RuntimeException e) {
            finish(result, null, e);
        }
        return result;
    }

    private void finish(PendingTask task, RemoteOutcome outcome, Throwable error) {
        pending.remove(task);
        if (error == null) {
            task.complete(outcome.toTaskOutcome(task.engineId()));
        } else {
            task.completeExceptionally(translate(task.engineId(), error));
        }
    }

    private Throwable translate(int engineId, Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof CancellationException) {
            return cause;
        }
        if (cause instanceof MemberLeftException || cause instanceof TargetNotMemberException
                || cause instanceof TargetDisconnectedException || cause instanceof HazelcastInstanceNotActiveException
                || cause instanceof RejectedExecutionException || directory.member(engineId) == null) {
            if (cause instanceof HazelcastClientNotActiveException || closed) {
                return new IllegalStateException("the engine cluster was closed", cause);
            }
            return new EngineGoneException(engineId, "engine " + engineId + " left before answering: " + cause,
                    cause);
        }
        return cause;
    }

    private static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** Disconnects, and stops the engines this cluster started itself. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                client.shutdown();
            } catch (RuntimeException e) {
                LOG.debug("client shutdown", e);
            }
        }
        if (localEngines != null) {
            localEngines.close();
        }
    }

    /** What the directory reports: an engine that left first fails its tasks still waiting, then listeners hear. */
    private final class MembershipChanges implements EngineListener {

        @Override
        public void engineJoined(EngineInfo engine) {
            LOG.debug("engine {} joined: {}", engine.id(), engine);
            listeners.engineJoined(engine);
        }

        @Override
        public void engineGone(EngineInfo engine) {
            LOG.debug("engine {} gone: {}", engine.id(), engine);
            pending.failAll(engine);
            listeners.engineGone(engine);
        }
    }
}
