package org.greylab.engine.wire;

import com.hazelcast.core.HazelcastInstance;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.greylab.engine.security.ClusterKey;
import org.greylab.engine.security.Sealer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an engine's tasks consult before they run: the key they open and seal with, and the count of tasks refused.
 * One per engine, kept in its Hazelcast user context ({@link #USER_CONTEXT_KEY}), where the tasks find it.
 *
 * <p>A refused task is logged once, then at most once a minute with the count so far: the executor does not say
 * which peer sent a task, and a flood must not fill the log.
 */
public class EngineGuard {

    private static final Logger LOG = LoggerFactory.getLogger(EngineGuard.class);

    /** Where an engine's guard sits in its {@code HazelcastInstance.getUserContext()}. */
    public static final String USER_CONTEXT_KEY = "greylab.guard";
    private static final long LOG_EVERY_NANOS = Duration.ofMinutes(1).toNanos();

    private final AtomicReference<Sealer> sealer;
    private final long maxPixels;
    private final boolean loopbackOnly;
    /**
     * The pixels the engine's slots may decode at once, in thousands: one image of the engine's limit, or several
     * smaller ones, so that two huge images sent together do not run it out of memory; the second waits.
     */
    private final Semaphore pixelBudget;
    private final int budgetKilopixels;
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);

    /** A guard with the default pixel limit ({@code ConversionSettings.DEFAULT_MAX_PIXELS}). */
    public EngineGuard(ClusterKey key) {
        this(key, org.greylab.core.image.ConversionSettings.DEFAULT_MAX_PIXELS);
    }

    /** @param maxPixels the most pixels an image may have on this engine, whatever a task asks for */
    public EngineGuard(ClusterKey key, long maxPixels) {
        this(key, maxPixels, false);
    }

    /**
     * @param maxPixels    the most pixels an image may have on this engine, whatever a task asks for
     * @param loopbackOnly whether the engine listens on a loopback address only, where it also takes unsealed tasks
     *                     ({@link #acceptsUnsealed()})
     */
    public EngineGuard(ClusterKey key, long maxPixels, boolean loopbackOnly) {
        if (maxPixels < 1) {
            throw new IllegalArgumentException("the pixel limit must be positive, not " + maxPixels);
        }
        this.sealer = new AtomicReference<>(Sealer.of(key));
        this.maxPixels = maxPixels;
        this.loopbackOnly = loopbackOnly;
        this.budgetKilopixels = (int) Math.min(Integer.MAX_VALUE, (maxPixels + 999) / 1000);
        this.pixelBudget = new Semaphore(budgetKilopixels, true);
    }

    /**
     * Waits until the slots' pixel budget has room for an image of {@code size}, and takes it; the returned
     * permit gives it back when closed. An image whose size its header does not tell takes nothing.
     */
    PixelPermit reservePixels(java.util.Optional<ImageSize> size) throws InterruptedException {
        int kilopixels = size.map(s -> (int) Math.min(budgetKilopixels, (s.pixels() + 999) / 1000)).orElse(0);
        pixelBudget.acquire(kilopixels);
        return () -> pixelBudget.release(kilopixels);
    }

    /** Room in the pixel budget, given back on close. */
    interface PixelPermit extends AutoCloseable {
        @Override
        void close();
    }

    /** The engine's own pixel limit: a task's can only lower it. */
    public long maxPixels() {
        return maxPixels;
    }

    /** The guard of the engine {@code instance} is; a member without one (not an engine) refuses everything. */
    static EngineGuard of(HazelcastInstance instance) {
        Object guard = instance == null ? null : instance.getUserContext().get(USER_CONTEXT_KEY);
        return guard instanceof EngineGuard g ? g : new EngineGuard(ClusterKey.generate());
    }

    /**
     * Whether tasks may come unsealed: only to an engine that listens on loopback alone. Loopback traffic never
     * leaves the machine and only root can read or inject it, so there the seal would protect nothing the kernel does
     * not; what still keeps other local users' clients from getting images is the key proof every member passes
     * before it is sent one. A task sent unsealed is answered unsealed; anywhere else an unsealed task is refused.
     */
    public boolean acceptsUnsealed() {
        return loopbackOnly;
    }

    public Sealer sealer() {
        return sealer.get();
    }

    /** From now on seal with {@code current} and open with it or {@code previous} (a key being rotated out). */
    public void useKeys(ClusterKey current, List<ClusterKey> previous) {
        sealer.set(Sealer.of(current, previous));
    }

    /** Tasks refused since the engine started: sealed under another key, or changed on the way. */
    public long refusedTasks() {
        return refused.get();
    }

    void refuse(String what, String why) {
        long count = refused.incrementAndGet();
        long now = System.nanoTime();
        long last = lastLogged.get();
        if (now - last >= LOG_EVERY_NANOS && lastLogged.compareAndSet(last, now)) {
            LOG.warn("refused a {} that does not open with this engine's key ({}); {} refused since start: is a"
                    + " client using another --key-file, or is someone else sending tasks?", what, why, count);
        }
    }

    /** Seals an answer; a test's dishonest engine overrides it to send something else. */
    protected byte[] sealAnswer(Sealer.Keys keys, long taskId, byte[] plain) {
        return Sealer.seal(keys, Sealer.Purpose.ANSWER, taskId, plain);
    }
}
