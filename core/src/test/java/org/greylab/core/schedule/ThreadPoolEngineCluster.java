package org.greylab.core.schedule;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.greylab.core.image.ConversionException;
import org.greylab.core.image.ConversionResult;
import org.greylab.core.image.GreyscaleKernel;
import org.greylab.core.image.Decoders;
import org.greylab.core.job.ImagePipeline;

/**
 * A real, in-process {@link EngineCluster} for strategy tests: each engine is a pool of {@code slots} threads
 * running the real {@link GreyscaleKernel} on the task's bytes. Engines can join and be killed mid-run (a killed
 * engine's futures fail with {@link EngineGoneException}, then {@code engineGone} fires, the order Hazelcast shows),
 * and each engine records what it received and the most it held at once, so tests assert from the engine side.
 * A gate in front of each engine's kernel lets a test hold an engine busy at a chosen moment.
 */
public final class ThreadPoolEngineCluster implements EngineCluster {

    /** Lets a test hold an engine's tasks before they run. Open by default. */
    public static final class Gate {
        private static final int OPEN = Integer.MAX_VALUE;
        private int allowance = OPEN;

        public synchronized void close() {
            allowance = 0;
        }

        public synchronized void open() {
            allowance = OPEN;
            notifyAll();
        }

        /** Lets {@code n} more tasks through a closed gate. */
        synchronized void allow(int n) {
            if (allowance != OPEN) {
                allowance += n;
                notifyAll();
            }
        }

        synchronized void pass() throws InterruptedException {
            while (allowance == 0) {
                wait();
            }
            if (allowance != OPEN) {
                allowance--;
            }
        }
    }

    private final class Engine {
        final EngineInfo info;
        final ExecutorService pool;
        final Gate gate = new Gate();
        final Set<TaskRun> open = new LinkedHashSet<>();
        final List<String> received = new ArrayList<>();
        final List<Integer> taskSizes = new ArrayList<>();
        int maxInFlight;
        int finished;
        boolean alive = true;

        Engine(EngineInfo info) {
            this.info = info;
            AtomicInteger n = new AtomicInteger();
            this.pool = Executors.newFixedThreadPool(info.slots(), r -> {
                Thread t = new Thread(r, "test-engine-" + info.id() + "-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
    }

    private final class TaskRun {
        final Engine engine;
        final String name;
        final long bytes;
        final CompletableFuture<List<TaskOutcome>> future = new CompletableFuture<>();
        boolean settled;

        TaskRun(Engine engine, String name, long bytes) {
            this.engine = engine;
            this.name = name;
            this.bytes = bytes;
        }

        /** Takes the task off its engine's books, once. */
        void settle() {
            synchronized (ThreadPoolEngineCluster.this) {
                if (!settled) {
                    settled = true;
                    engine.open.remove(this);
                    inFlightCount--;
                    inFlightBytes -= bytes;
                }
            }
        }
    }

    private final GreyscaleKernel kernel = new GreyscaleKernel();
    private final Map<Integer, Engine> engines = new ConcurrentSkipListMap<>();
    private final List<EngineListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicInteger nextId = new AtomicInteger();
    private int inFlightCount;
    private long inFlightBytes;
    private int peakInFlightCount;
    private long peakBytesWithSeveral;

    public static ThreadPoolEngineCluster withEngines(int... slots) {
        ThreadPoolEngineCluster cluster = new ThreadPoolEngineCluster();
        for (int s : slots) {
            cluster.addEngine(s);
        }
        return cluster;
    }

    /** Starts an engine with {@code slots} threads; it fires {@code engineJoined}. */
    int addEngine(int slots) {
        return addEngine(slots, false);
    }

    /** As {@link #addEngine(int)}, its gate closed before it joins when {@code gated}: it holds what it gets. */
    int addEngine(int slots, boolean gated) {
        int id = nextId.getAndIncrement();
        Engine e = new Engine(new EngineInfo(id, "engine-" + id, "in-process", slots,
                Runtime.getRuntime().availableProcessors(), "test",
                Decoders.preferred()));
        if (gated) {
            e.gate.close();
        }
        engines.put(id, e);
        for (EngineListener l : listeners) {
            l.engineJoined(e.info);
        }
        return id;
    }

    /** Kills an engine: its tasks fail with {@link EngineGoneException}, its threads are interrupted. */
    void kill(int id) {
        Engine e = engines.remove(id);
        List<TaskRun> lost;
        synchronized (this) {
            e.alive = false;
            lost = new ArrayList<>(e.open);
        }
        for (TaskRun run : lost) {
            run.settle();
            run.future.completeExceptionally(new EngineGoneException(id, "engine " + id + " was killed", null));
        }
        e.pool.shutdownNow();
        for (EngineListener l : listeners) {
            l.engineGone(e.info);
        }
    }

    public Gate gate(int id) {
        return engine(id).gate;
    }

    synchronized int inFlight(int id) {
        return engine(id).open.size();
    }

    synchronized int maxInFlight(int id) {
        return engine(id).maxInFlight;
    }

    synchronized int finished(int id) {
        return engine(id).finished;
    }

    /** Whether engine {@code id} is alive and {@code name} is its oldest task in flight (the one it runs first). */
    synchronized boolean isRunningFirst(int id, String name) {
        Engine e = engines.get(id);
        return e != null && e.alive && !e.open.isEmpty() && e.open.iterator().next().name.equals(name);
    }

    /**
     * How many tasks engine {@code id} holds ahead of the one that starts with {@code name} (its queue, in order);
     * -1 when it holds none such, or is dead.
     */
    synchronized int tasksAhead(int id, String name) {
        Engine e = engines.get(id);
        if (e == null || !e.alive) {
            return -1;
        }
        int ahead = 0;
        for (TaskRun run : e.open) {
            if (run.name.equals(name)) {
                return ahead;
            }
            ahead++;
        }
        return -1;
    }

    /** The relative paths of the tasks the engine received, in order. */
    synchronized List<String> received(int id) {
        return List.copyOf(engine(id).received);
    }

    /** The most tasks in flight on all engines together at one moment. */
    synchronized int peakInFlightCount() {
        return peakInFlightCount;
    }

    /** The most input bytes in flight on all engines together at a moment when more than one task was. */
    synchronized long peakBytesWithSeveralInFlight() {
        return peakBytesWithSeveral;
    }

    private Engine engine(int id) {
        Engine e = engines.get(id);
        if (e != null) {
            return e;
        }
        throw new IllegalArgumentException("no live engine " + id);
    }

    @Override
    public List<EngineInfo> engines() {
        return engines.values().stream().map(e -> e.info).toList();
    }

    @Override
    public void addListener(EngineListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(EngineListener listener) {
        listeners.remove(listener);
    }

    /** The tasks each engine received, as the number of images each carried, in order. */
    synchronized List<Integer> taskSizes(int id) {
        return List.copyOf(engine(id).taskSizes);
    }

    @Override
    public CompletableFuture<TaskOutcome> submit(int engineId, ConvertTask task) {
        CompletableFuture<List<TaskOutcome>> group = submitGroup(engineId, List.of(task));
        CompletableFuture<TaskOutcome> single = new CompletableFuture<>();
        group.whenComplete((outcomes, failure) -> {
            if (failure != null) {
                single.completeExceptionally(failure);
            } else {
                single.complete(outcomes.get(0));
            }
        });
        single.whenComplete((outcome, failure) -> {
            if (single.isCancelled()) {
                group.cancel(true);
            }
        });
        return single;
    }

    @Override
    public CompletableFuture<List<TaskOutcome>> submitGroup(int engineId, List<ConvertTask> tasks) {
        Engine e = engines.get(engineId);
        TaskRun run;
        synchronized (this) {
            if (e == null || !e.alive) {
                return CompletableFuture.failedFuture(
                        new EngineGoneException(engineId, "engine " + engineId + " is not a member", null));
            }
            run = new TaskRun(e, tasks.get(0).relativePath(), tasks.stream().mapToLong(t -> t.input().length).sum());
            e.open.add(run);
            e.taskSizes.add(tasks.size());
            for (ConvertTask task : tasks) {
                e.received.add(task.relativePath());
            }
            e.maxInFlight = Math.max(e.maxInFlight, e.open.size());
            inFlightCount++;
            inFlightBytes += run.bytes;
            peakInFlightCount = Math.max(peakInFlightCount, inFlightCount);
            if (inFlightCount > 1) {
                peakBytesWithSeveral = Math.max(peakBytesWithSeveral, inFlightBytes);
            }
        }
        Future<?> running;
        try {
            running = e.pool.submit(() -> execute(run, tasks));
        } catch (RejectedExecutionException gone) {
            run.settle();
            run.future.completeExceptionally(new EngineGoneException(engineId, "engine was killed", gone));
            return run.future;
        }
        run.future.whenComplete((outcome, failure) -> {
            if (run.future.isCancelled()) {
                running.cancel(true);
                run.settle();
            }
        });
        return run.future;
    }

    private void execute(TaskRun run, List<ConvertTask> tasks) {
        List<TaskOutcome> outcome = null;
        Throwable failure = null;
        int id = run.engine.info.id();
        try {
            run.engine.gate.pass();
            List<TaskOutcome> outcomes = new ArrayList<>(tasks.size());
            for (ConvertTask task : tasks) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("cancelled between images");
                }
                long started = ImagePipeline.nowMicros();
                try {
                    ConversionResult r = kernel.convert(task.input(), task.settings());
                    outcomes.add(new TaskOutcome(r, null, null, id, started, ImagePipeline.nowMicros()));
                } catch (ConversionException ce) {
                    outcomes.add(new TaskOutcome(null, ce.stage(), ce.reason(), id, started,
                            ImagePipeline.nowMicros()));
                }
            }
            outcome = outcomes;
        } catch (InterruptedException ie) {
            failure = new CancellationException("task interrupted");
        } catch (RuntimeException re) {
            failure = re;
        } finally {
            // off the engine's books before the client hears, so its next send never sees a stale count
            run.settle();
        }
        if (outcome != null) {
            synchronized (this) {
                run.engine.finished += outcome.size();
            }
            run.future.complete(outcome);
        } else {
            run.future.completeExceptionally(failure);
        }
    }

    @Override
    public void close() {
        for (Engine e : engines.values()) {
            e.pool.shutdownNow();
        }
        engines.clear();
    }
}
