package org.greylab.engine.client;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.IExecutorService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.greylab.core.image.ConversionSettings;
import org.greylab.core.image.SyntheticPhoto;
import org.greylab.core.schedule.ConvertTask;
import org.greylab.core.schedule.EngineCluster;
import org.greylab.core.schedule.EngineInfo;
import org.greylab.engine.security.Sealer;
import org.greylab.engine.wire.RemoteWarmUpTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link HazelcastEngineCluster#warmUp}: per engine, a kernel warm-up task on the engine, then tiny images sent the
 * way real ones are, so that the dispatch path is compiled too. An engine that fails or leaves counts 0 and holds up
 * none of the others.
 */
final class EngineWarmUp {

    private static final Logger LOG = LoggerFactory.getLogger(EngineWarmUp.class);

    /**
     * Tiny images each engine is sent after its kernel warm-up: it took a fresh pair of engines about a thousand tasks
     * to bring a task's overhead from 5 ms down to under 2.
     */
    static final int DISPATCH_TASKS = 2000;
    /** How many of those tiny images are on their way to one engine at a time. */
    static final int DISPATCH_LANES = 2;

    private final EngineDirectory directory;
    private final IExecutorService executor;
    private final EngineCluster cluster;
    private final BooleanSupplier closed;
    private final Sealer sealer;

    /**
     * @param executor the engines' executor, for the kernel warm-up tasks
     * @param cluster  what the tiny images are submitted through, as real images are
     * @param closed   whether the cluster has been closed, so the lanes stop sending
     */
    EngineWarmUp(EngineDirectory directory, IExecutorService executor, EngineCluster cluster, Sealer sealer,
                 BooleanSupplier closed) {
        this.sealer = sealer;
        this.directory = directory;
        this.executor = executor;
        this.cluster = cluster;
        this.closed = closed;
    }

    /** Warms every engine now visible; completes with the number of conversions in all. */
    CompletableFuture<Integer> start(Duration budget) {
        List<CompletableFuture<Integer>> engineWarmUps = new ArrayList<>();
        // thumbnail-sized: converting it costs the engine little, dispatching it is what is warmed
        byte[] tiny = SyntheticPhoto.png(48, 36, 7);
        for (EngineInfo engine : directory.current()) {
            engineWarmUps.add(kernelWarmUp(engine.id(), budget).thenCompose(kernel -> {
                long deadline = System.nanoTime() + budget.toNanos();
                return dispatchWarmUp(engine.id(), tiny, DISPATCH_TASKS, deadline)
                        .thenApply(dispatched -> kernel + dispatched);
            }));
        }
        return CompletableFuture.allOf(engineWarmUps.toArray(CompletableFuture[]::new))
                .thenApply(done -> engineWarmUps.stream().mapToInt(CompletableFuture::join).sum());
    }

    private CompletableFuture<Integer> kernelWarmUp(int engineId, Duration budget) {
        CompletableFuture<Integer> answer = new CompletableFuture<>();
        Member member = directory.member(engineId);
        if (member == null) {
            answer.complete(0);
            return answer;
        }
        try {
            Future<Integer> remote = executor.submitToMember(new RemoteWarmUpTask(budget, sealer), member);
            HazelcastFutures.whenComplete(remote, (conversions, error) -> {
                if (error != null) {
                    LOG.debug("engine {} did not warm up: {}", engineId, error.toString());
                }
                answer.complete(error == null ? Math.max(0, conversions) : 0);
            });
        } catch (RuntimeException e) {
            LOG.debug("engine {} could not be asked to warm up: {}", engineId, e.toString());
            answer.complete(0);
        }
        return answer;
    }

    /**
     * Sends one engine up to {@code tasks} tiny images, {@value #DISPATCH_LANES} at a time (each lane sends its next
     * image when the last came back), until the deadline. Completes with how many came back converted.
     */
    private CompletableFuture<Integer> dispatchWarmUp(int engineId, byte[] tiny, int tasks, long deadline) {
        AtomicInteger left = new AtomicInteger(tasks);
        AtomicInteger converted = new AtomicInteger();
        List<CompletableFuture<Void>> lanes = new ArrayList<>();
        for (int i = 0; i < DISPATCH_LANES; i++) {
            CompletableFuture<Void> lane = new CompletableFuture<>();
            lanes.add(lane);
            sendWarmUp(engineId, tiny, left, converted, deadline, lane);
        }
        return CompletableFuture.allOf(lanes.toArray(CompletableFuture[]::new)).thenApply(done -> converted.get());
    }

    /** One lane of {@link #dispatchWarmUp}: a loop of sends driven by the answers, so no call chain grows. */
    private void sendWarmUp(int engineId, byte[] tiny, AtomicInteger left, AtomicInteger converted, long deadline,
                            CompletableFuture<Void> lane) {
        int n = left.getAndDecrement();
        if (n <= 0 || closed.getAsBoolean() || System.nanoTime() > deadline) {
            lane.complete(null);
            return;
        }
        cluster.submit(engineId, new ConvertTask(-n, "warm-up.png", tiny, ConversionSettings.defaults()))
                .whenComplete((outcome, error) -> {
                    if (error != null) {
                        // the engine left or refused: this lane stops, the warm-up of the others goes on
                        lane.complete(null);
                        return;
                    }
                    if (outcome.succeeded()) {
                        converted.incrementAndGet();
                    }
                    sendWarmUp(engineId, tiny, left, converted, deadline, lane);
                });
    }
}
