package org.greylab.core.schedule;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Predicate;

/**
 * Balanced mode: one queue in plan order; images re-queued after a failover go first. Each image goes to the
 * engine {@link LeastLoadPicker} picks, leaving out engines that died or stalled holding it, unless only engines that
 * stalled on it are left.
 */
final class BalancedPlacement implements Placement {

    private final int prefetch;
    private final Deque<PendingImage> rerun = new ArrayDeque<>();
    private List<PendingImage> fresh = List.of();
    private int cursor;

    BalancedPlacement(int prefetch) {
        this.prefetch = prefetch;
    }

    @Override
    public void start(List<PendingImage> images, Collection<LiveEngine> live) {
        fresh = images;
        cursor = 0;
    }

    @Override
    public Assignment next(Collection<LiveEngine> live, Predicate<PendingImage> mayRead) {
        for (Iterator<PendingImage> it = rerun.iterator(); it.hasNext(); ) {
            PendingImage image = it.next();
            LiveEngine engine = pick(live, image);
            if (engine != null) {
                it.remove();
                return new Assignment(image, engine);
            }
        }
        if (cursor < fresh.size()) {
            PendingImage image = fresh.get(cursor);
            if (!mayRead.test(image)) {
                return null;
            }
            LiveEngine engine = pick(live, image);
            if (engine != null) {
                cursor++;
                return new Assignment(image, engine);
            }
        }
        return null;
    }

    @Override
    public PendingImage nextFor(LiveEngine engine, Predicate<PendingImage> mayJoin) {
        // images waiting to be re-run go first, alone: while there are any, a task takes no company
        if (!rerun.isEmpty() || cursor >= fresh.size()) {
            return null;
        }
        PendingImage image = fresh.get(cursor);
        if (image.alone || image.lostOn.contains(engine.id()) || !mayJoin.test(image)) {
            return null;
        }
        cursor++;
        return image;
    }

    private LiveEngine pick(Collection<LiveEngine> live, PendingImage image) {
        List<LeastLoadPicker.EngineLoad> loads = new ArrayList<>(live.size());
        for (LiveEngine e : live) {
            if (!image.lostOn.contains(e.id())) {
                loads.add(e.load());
            }
        }
        if (loads.isEmpty()) {
            // every live engine lost it once: an engine that only stalled on it and answers again may have it back
            // (a loaded machine misses a deadline without anything wrong with the image); without this the image
            // waited for an engine that could never come, and the batch with it. The attempts cap and the poison
            // rule still bound how often it goes.
            for (LiveEngine e : live) {
                if (image.stalledOn.contains(e.id())) {
                    loads.add(e.load());
                }
            }
        }
        OptionalInt id = LeastLoadPicker.pick(loads, prefetch);
        if (id.isEmpty()) {
            return null;
        }
        for (LiveEngine e : live) {
            if (e.id() == id.getAsInt()) {
                return e;
            }
        }
        throw new IllegalStateException("picked an engine that is not live: " + id.getAsInt());
    }

    @Override
    public void engineJoined(LiveEngine engine, Collection<LiveEngine> live) {
        // nothing to move: the picker sees the new engine, idle, on the next pick
    }

    @Override
    public List<PendingImage> engineGone(int engineId, List<PendingImage> images, Collection<LiveEngine> live) {
        List<PendingImage> sorted = new ArrayList<>(images);
        sorted.sort(Comparator.comparingInt((PendingImage p) -> p.position).reversed());
        for (PendingImage p : sorted) {
            rerun.addFirst(p);
        }
        return List.of();
    }

    @Override
    public List<PendingImage> drain() {
        List<PendingImage> left = new ArrayList<>(rerun);
        rerun.clear();
        left.addAll(fresh.subList(cursor, fresh.size()));
        cursor = fresh.size();
        return left;
    }
}
