package org.greylab.core.schedule;

import java.util.Collection;
import java.util.OptionalInt;

/**
 * Balanced mode's rule, ipyparallel's least-load scheduler with a high-water mark: the next image goes to the
 * engine with the lowest in-flight / slots; ties go to the least recently used engine (the one whose last image was
 * sent longest ago; never used counts as oldest, then the lower id); an engine already holding
 * {@code slots + prefetch} images gets nothing.
 */
public final class LeastLoadPicker {

    /**
     * What the picker knows of one engine.
     *
     * @param lastUsed sequence number of the last image sent to it; 0 when it has had none
     */
    public record EngineLoad(int engineId, int inFlight, int slots, long lastUsed) {
        public EngineLoad {
            if (slots < 1) {
                throw new IllegalArgumentException("an engine has at least one slot, not " + slots);
            }
        }
    }

    private LeastLoadPicker() {
    }

    /** The most images one engine may hold at once. */
    public static int highWaterMark(int slots, int prefetch) {
        // in long, then capped: an engine's slots are its own claim, and a sum past Integer.MAX_VALUE would turn
        // negative and starve (or, elsewhere, flood) it; a quarter of the range leaves room for sums of several
        return (int) Math.min(MAX_HIGH_WATER_MARK, (long) Math.max(1, slots) + Math.max(0, prefetch));
    }

    /** No engine is sent more than this many tasks at once, whatever it claims. */
    public static final int MAX_HIGH_WATER_MARK = Integer.MAX_VALUE / 4;

    /** The engine that should get the next image, or empty when every engine is at its high-water mark. */
    public static OptionalInt pick(Collection<EngineLoad> engines, int prefetch) {
        EngineLoad best = null;
        for (EngineLoad e : engines) {
            if (e.inFlight() >= highWaterMark(e.slots(), prefetch)) {
                continue;
            }
            if (best == null || lessLoaded(e, best)) {
                best = e;
            }
        }
        return best == null ? OptionalInt.empty() : OptionalInt.of(best.engineId());
    }

    private static boolean lessLoaded(EngineLoad a, EngineLoad b) {
        // a.inFlight / a.slots < b.inFlight / b.slots, compared exactly
        long left = (long) a.inFlight() * b.slots();
        long right = (long) b.inFlight() * a.slots();
        if (left != right) {
            return left < right;
        }
        if (a.lastUsed() != b.lastUsed()) {
            return a.lastUsed() < b.lastUsed();
        }
        return a.engineId() < b.engineId();
    }
}
