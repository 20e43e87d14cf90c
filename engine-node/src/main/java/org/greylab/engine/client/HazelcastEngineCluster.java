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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.greylab.core.schedule.ConvertTask;
import org.greylab.core.schedule.EngineCluster;
import org.greylab.core.schedule.EngineGoneException;
import org.greylab.core.schedule.EngineInfo;
import org.greylab.core.schedule.EngineListener;
import org.greylab.core.schedule.TaskOutcome;
import org.greylab.engine.EngineAttributes;
import org.greylab.engine.GreylabVersion;
import org.greylab.engine.security.ClusterKey;
import org.greylab.engine.security.SealBrokenException;
import org.greylab.engine.security.Sealer;
import org.greylab.engine.wire.ProveKeyTask;
import org.greylab.engine.wire.RemoteConvertGroup;
import org.greylab.engine.wire.RemoteConvertTask;
import org.greylab.engine.wire.RemoteGroupOutcome;
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
    private final Sealer sealer;
    private final Duration proofTimeout;
    private static final Duration PROOF_RETRY = Duration.ofMillis(100);
    private static final Duration PROOF_RESEND_FIRST = Duration.ofSeconds(2);
    /** A full engine queue is tried again after 50 ms, doubling, for about 100 s in all before the task fails. */
    private static final Duration BACK_OFF_FIRST = Duration.ofMillis(50);
    private static final Duration BACK_OFF_LIMIT = Duration.ofSeconds(60);
    private final java.util.concurrent.atomic.AtomicLong backOffs = new java.util.concurrent.atomic.AtomicLong();
    /** Sends the key challenges and tasks backing off: one daemon thread, idle but when engines join or are full. */
    private final ScheduledExecutorService proofs = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "greylab-key-proofs");
        thread.setDaemon(true);
        return thread;
    });
    private final EngineDirectory directory;
    private final HazelcastInstance client;
    private final IExecutorService executor;
    private final EngineWarmUp warmUp;
    private final LocalEngines localEngines;
    private volatile boolean closed;
    /**
     * Whether tasks to engines on loopback are sealed too (normally they go unsealed: see
     * {@link org.greylab.engine.wire.EngineGuard#acceptsUnsealed()}). The JVM property is for measuring what the
     * seal costs; tests of the seal set it with {@link #sealOnLoopbackToo()}.
     */
    private volatile boolean sealOnLoopback = Boolean.getBoolean(SEAL_ON_LOOPBACK_PROPERTY);
    /** See {@link #sealOnLoopback}: a JVM property for measurements, never a user option. */
    public static final String SEAL_ON_LOOPBACK_PROPERTY = "greylab.measure.sealLoopback";

    /**
     * Takes over {@code client}, and {@code localEngines} if not null: {@link #close()} stops both. Each member must
     * prove {@code key} within {@code proofTimeout} before it gets an id and work.
     */
    HazelcastEngineCluster(String clusterName, HazelcastInstance client, LocalEngines localEngines, ClusterKey key,
                           Duration proofTimeout) {
        this.clusterName = clusterName;
        this.client = client;
        this.localEngines = localEngines;
        this.sealer = Sealer.of(key);
        this.proofTimeout = proofTimeout;
        this.executor = client.getExecutorService(EngineAttributes.EXECUTOR);
        this.directory = new EngineDirectory(GreylabVersion.current(), new MembershipChanges(), this::challenge);
        this.warmUp = new EngineWarmUp(directory, executor, this, sealer, () -> closed);
        client.getCluster().addMembershipListener(directory);
    }

    /**
     * Sends {@code member} a random challenge; completes with null when its answer proves this client's key for that
     * very member (its UUID and address), or with the refusal to list.
     */
    private CompletableFuture<String> challenge(Member member) {
        CompletableFuture<String> verdict = new CompletableFuture<>();
        long deadline = System.nanoTime() + proofTimeout.toNanos();
        // off the membership event thread: the client may not have connected to a member it has just heard of
        later(() -> sendChallenge(member, verdict, deadline, PROOF_RESEND_FIRST, true), Duration.ZERO,
                () -> verdict.complete("the client was closed before the engine proved the key"));
        String who = "engine \"" + EngineDirectory.name(member) + "\" at " + EngineDirectory.address(member);
        return verdict.completeOnTimeout(who + " did not answer the key challenge within "
                + proofTimeout.toSeconds() + " s", proofTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * One try; a member that cannot be reached yet is tried again shortly, and one whose answer is late is sent
     * another challenge (the first answer that comes decides), until the deadline.
     */
    private void sendChallenge(Member member, CompletableFuture<String> verdict, long deadline, Duration resend,
                               boolean resendIfLate) {
        if (verdict.isDone() || closed) {
            verdict.complete("the client was closed before the engine proved the key");
            return;
        }
        if (resendIfLate && System.nanoTime() + resend.toNanos() < deadline) {
            // an invocation that Hazelcast keeps retrying (a member it is still connecting to) must not use up the
            // whole proof timeout: a fresh challenge goes out beside it
            later(() -> {
                if (!verdict.isDone()) {
                    sendChallenge(member, verdict, deadline, resend.multipliedBy(2), true);
                }
            }, resend, () -> { });
        }
        byte[] challenge = Sealer.randomBytes(ProveKeyTask.CHALLENGE_BYTES);
        String address = ProveKeyTask.address(member);
        String who = "engine \"" + EngineDirectory.name(member) + "\" at " + EngineDirectory.address(member);
        try {
            Future<byte[]> answer = executor.submitToMember(new ProveKeyTask(challenge), member);
            HazelcastFutures.whenComplete(answer, (macs, error) -> {
                if (error == null) {
                    verdict.complete(ProveKeyTask.verifies(sealer, challenge, member.getUuid(), address, macs) ? null
                            : wrongKey(who));
                } else {
                    retryChallenge(member, verdict, deadline, resend, error);
                }
            });
        } catch (RuntimeException e) {
            retryChallenge(member, verdict, deadline, resend, e);
        }
    }

    private void retryChallenge(Member member, CompletableFuture<String> verdict, long deadline, Duration resend,
                                Throwable error) {
        LOG.debug("key challenge to {} failed, trying again: {}", member, unwrap(error).toString());
        if (System.nanoTime() + PROOF_RETRY.toNanos() < deadline && !closed) {
            later(() -> sendChallenge(member, verdict, deadline, resend, false), PROOF_RETRY,
                    () -> verdict.complete("the client was closed before the engine proved the key"));
        } else {
            verdict.complete("engine \"" + EngineDirectory.name(member) + "\" at " + EngineDirectory.address(member)
                    + " did not answer the key challenge: " + EngineText.text(unwrap(error).toString()));
        }
    }

    /** Runs {@code action} after {@code delay}, or {@code closedMeanwhile} at once when the client has closed. */
    private void later(Runnable action, Duration delay, Runnable closedMeanwhile) {
        try {
            proofs.schedule(action, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            closedMeanwhile.run();
        }
    }

    /** Every refusal for the key starts with this, so that commands can tell it from others. */
    public static final String WRONG_KEY = "wrong key: ";

    private static String wrongKey(String who) {
        return WRONG_KEY + who + " refused the key (is --key-file the cluster's?)";
    }

    /**
     * Connects to the engines of cluster {@code clusterName} at {@code addresses} ({@code --connect}), waiting at
     * most {@code connectTimeout}.
     *
     * @throws EngineConnectException when no engine answers there, when one answers but not for this cluster, or
     *                                when every engine runs another Greylab version
     */
    public static HazelcastEngineCluster connect(String clusterName, List<EngineAddress> addresses,
                                                 Duration connectTimeout, ClusterKey key) {
        return ClusterConnector.connect(clusterName, addresses, connectTimeout, key);
    }

    /** {@link #connect(String, List, Duration, ClusterKey)} to engines without a key (insecure, or on loopback). */
    public static HazelcastEngineCluster connect(String clusterName, List<EngineAddress> addresses,
                                                 Duration connectTimeout) {
        return connect(clusterName, addresses, connectTimeout, ClusterKey.none());
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

    /** Why engines that answered were not taken on (wrong key, another Greylab version, not a Greylab engine). */
    public List<String> refusedEngines() {
        return directory.refused();
    }

    /** Whether engine {@code id} runs without a cluster key: anyone who reaches it may use it. */
    public boolean insecure(int engineId) {
        return directory.insecure(engineId);
    }

    /** Waits until every member seen so far has proved the key or been refused; says whether in time. */
    boolean awaitProofs(Duration timeout) {
        return directory.awaitProofs(timeout);
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

    /**
     * How a task's answer opens into what its future completes with.
     *
     * @param <R> the answer as it travels
     * @param <T> what the future completes with
     */
    private interface Opening<R, T> {
        /** @throws SealBrokenException when it does not open for the task sent */
        T open(R answer) throws SealBrokenException;

        /** Whether the engine refused the task (another key) rather than answering it. */
        boolean refused(R answer);

        /** The task's images, for the log. */
        String what();
    }

    @Override
    public CompletableFuture<TaskOutcome> submit(int engineId, ConvertTask task) {
        Objects.requireNonNull(task, "task");
        PendingTask<TaskOutcome> result = new PendingTask<>(engineId);
        Member member = admit(result);
        if (member == null) {
            return result;
        }
        RemoteConvertTask wire = !sealOnLoopback && onLoopback(member) ? RemoteConvertTask.unsealed(task)
                : RemoteConvertTask.seal(task, sealer);
        send(result, wire, member, BACK_OFF_FIRST, new Opening<RemoteOutcome, TaskOutcome>() {
            @Override
            public TaskOutcome open(RemoteOutcome answer) throws SealBrokenException {
                return AnswerCheck.checked(answer.open(sealer, task.taskId(), wire.isUnsealed(), engineId), task);
            }

            @Override
            public boolean refused(RemoteOutcome answer) {
                return answer.refused();
            }

            @Override
            public String what() {
                return task.relativePath();
            }
        });
        return result;
    }

    /**
     * Sends the images as one {@link RemoteConvertGroup}: each image is sealed (or not) under its own task id, as it
     * would be alone, and each answer opens with that id and is checked ({@link AnswerCheck}) as a lone answer is.
     * An answer that does not open, for any image, takes the engine off as {@link #submit}'s does.
     */
    @Override
    public CompletableFuture<List<TaskOutcome>> submitGroup(int engineId, List<ConvertTask> tasks) {
        List<ConvertTask> sent = List.copyOf(tasks);
        PendingTask<List<TaskOutcome>> result = new PendingTask<>(engineId);
        Member member = admit(result);
        if (member == null) {
            return result;
        }
        RemoteConvertGroup wire = !sealOnLoopback && onLoopback(member) ? RemoteConvertGroup.unsealed(sent)
                : RemoteConvertGroup.seal(sent, sealer);
        send(result, wire, member, BACK_OFF_FIRST, new Opening<RemoteGroupOutcome, List<TaskOutcome>>() {
            @Override
            public List<TaskOutcome> open(RemoteGroupOutcome answer) throws SealBrokenException {
                List<RemoteOutcome> outcomes = answer.outcomes();
                if (outcomes.size() != sent.size()) {
                    throw new SealBrokenException("answers " + outcomes.size() + " images for a task of "
                            + sent.size());
                }
                List<TaskOutcome> opened = new java.util.ArrayList<>(sent.size());
                for (int i = 0; i < sent.size(); i++) {
                    ConvertTask task = sent.get(i);
                    opened.add(AnswerCheck.checked(outcomes.get(i).open(sealer, task.taskId(),
                            wire.tasks().get(i).isUnsealed(), engineId), task));
                }
                return opened;
            }

            @Override
            public boolean refused(RemoteGroupOutcome answer) {
                return answer.outcomes().stream().anyMatch(RemoteOutcome::refused);
            }

            @Override
            public String what() {
                return sent.get(0).relativePath() + " and " + (sent.size() - 1) + " more images";
            }
        });
        return result;
    }

    /** The member a new task goes to, the task now pending; null when it cannot go (its future then failed). */
    private Member admit(PendingTask<?> result) {
        int engineId = result.engineId();
        Member member = directory.member(engineId);
        if (member == null) {
            result.completeExceptionally(directory.knows(engineId)
                    ? new EngineGoneException(engineId, "engine " + engineId + " has left the cluster", null)
                    : new IllegalArgumentException("no engine has id " + engineId));
            return null;
        }
        if (closed) {
            result.completeExceptionally(new IllegalStateException("the engine cluster is closed"));
            return null;
        }
        pending.add(result);
        return member;
    }

    /** From now on seal tasks to engines on loopback too, as to any other (tests of the seal). */
    void sealOnLoopbackToo() {
        sealOnLoopback = true;
    }

    /**
     * Whether {@code member} listens on a loopback address: then this client reaches it over loopback too, where
     * nothing but root can read or change the traffic, and it has proved the key before it got an id.
     */
    private static boolean onLoopback(Member member) {
        try {
            return member.getAddress().getInetAddress().isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private <R, T> void send(PendingTask<T> result, java.util.concurrent.Callable<R> wire, Member member,
                             Duration backOff, Opening<R, T> opening) {
        if (closed) {
            finish(result, opening, null, new IllegalStateException("the engine cluster was closed"));
            return;
        }
        try {
            Future<R> remote = executor.submitToMember(wire, member);
            result.attach(remote);
            // finish only opens the answer and hands it over, so it may run in the thread that completes
            // Hazelcast's future
            HazelcastFutures.whenComplete(remote, (outcome, error) -> {
                if (error != null && isFull(result, error) && backOff.compareTo(BACK_OFF_LIMIT) <= 0) {
                    backOffs.incrementAndGet();
                    LOG.debug("engine {} has its queue full: sending {} again in {} ms", result.engineId(),
                            opening.what(), backOff.toMillis());
                    later(() -> send(result, wire, member, backOff.multipliedBy(2), opening), backOff,
                            () -> finish(result, opening, null, error));
                } else {
                    finish(result, opening, outcome, error);
                }
            });
        } catch (RuntimeException e) {
            finish(result, opening, null, e);
        }
    }

    /**
     * Whether the engine turned the task away only because its queue is full (Hazelcast's executor says "is
     * overloaded"), while it is still a member: that is a wait, not a failure.
     */
    private boolean isFull(PendingTask<?> result, Throwable error) {
        return !closed && !result.isDone() && unwrap(error) instanceof RejectedExecutionException rejected
                && String.valueOf(rejected.getMessage()).contains("overloaded")
                && directory.member(result.engineId()) != null;
    }

    /** Times a task was sent again because its engine's queue was full (for tests). */
    long backOffs() {
        return backOffs.get();
    }

    private <R, T> void finish(PendingTask<T> task, Opening<R, T> opening, R outcome, Throwable error) {
        pending.remove(task);
        if (error != null) {
            task.completeExceptionally(translate(task.engineId(), error));
            return;
        }
        T opened;
        try {
            opened = opening.open(outcome);
        } catch (SealBrokenException e) {
            // an engine that refuses this client's tasks, or whose answers do not open (changed on the way, sealed
            // under another key, replayed from another task), gets no more work; this task and its others are
            // re-run elsewhere, as when an engine is lost
            Member member = directory.member(task.engineId());
            String who = "engine " + task.engineId() + (member == null ? ""
                    : " (\"" + EngineDirectory.name(member) + "\" at " + EngineDirectory.address(member) + ")");
            String reason = opening.refused(outcome) ? wrongKey(who) + ": it refused a task"
                    : "bad answer: " + who + " sent an answer that " + e.getMessage();
            directory.revoke(task.engineId(), reason);
            task.completeExceptionally(new EngineGoneException(task.engineId(), reason, null));
            return;
        }
        task.complete(opened);
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

    static Throwable unwrap(Throwable error) {
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
            // not shutdownNow: a task waiting to be sent again must still run, to fail as closed
            proofs.shutdown();
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
