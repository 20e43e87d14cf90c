package org.greylab.core.schedule;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Direct mode: before anything runs the images are split with {@link DirectSplit} into one contiguous block per
 * engine (engines in id order), and each engine only ever gets images of its own block. When an engine dies, what
 * it had not finished (in flight or not sent yet) is split the same way over the engines left, and becomes part of
 * their blocks. An engine that joins later gets nothing, unless no engine was there to take the images (then they
 * are split over the engines present when one joins).
 */
final class DirectPlacement implements Placement {

    private final Map<Integer, Deque<PendingImage>> blocks = new TreeMap<>();
    /** Images no engine could take (none was live). */
    private final List<PendingImage> homeless = new ArrayList<>();
    private int lastServed = Integer.MIN_VALUE;

    @Override
    public void start(List<PendingImage> images, Collection<LiveEngine> live) {
        homeless.addAll(images);
        distributeHomeless(live);
    }

    @Override
    public Assignment next(Collection<LiveEngine> live, Predicate<PendingImage> mayRead) {
        // round robin from the engine after the last one served, so every engine's block advances together
        List<LiveEngine> order = new ArrayList<>(live);
        order.sort(Comparator.comparingInt(LiveEngine::id));
        int start = 0;
        while (start < order.size() && order.get(start).id() <= lastServed) {
            start++;
        }
        for (int i = 0; i < order.size(); i++) {
            LiveEngine engine = order.get((start + i) % order.size());
            Deque<PendingImage> block = blocks.get(engine.id());
            if (!engine.hasRoom() || block == null || block.isEmpty()) {
                continue;
            }
            PendingImage head = block.peekFirst();
            if (head.isRead() || mayRead.test(head)) {
                block.pollFirst();
                lastServed = engine.id();
                return new Assignment(head, engine);
            }
        }
        return null;
    }

    @Override
    public PendingImage nextFor(LiveEngine engine, Predicate<PendingImage> mayJoin) {
        Deque<PendingImage> block = blocks.get(engine.id());
        if (block == null || block.isEmpty()) {
            return null;
        }
        PendingImage head = block.peekFirst();
        if (head.alone || head.isRead() || !mayJoin.test(head)) {
            return null;
        }
        return block.pollFirst();
    }

    @Override
    public void engineJoined(LiveEngine engine, Collection<LiveEngine> live) {
        distributeHomeless(live);
    }

    @Override
    public List<PendingImage> engineGone(int engineId, List<PendingImage> rerun, Collection<LiveEngine> live) {
        Deque<PendingImage> unsent = blocks.remove(engineId);
        List<PendingImage> moved = unsent == null ? List.of() : List.copyOf(unsent);
        for (PendingImage p : moved) {
            p.movedFrom = engineId;
        }
        homeless.addAll(rerun);
        homeless.addAll(moved);
        distributeHomeless(live);
        return moved;
    }

    private void distributeHomeless(Collection<LiveEngine> live) {
        if (homeless.isEmpty() || live.isEmpty()) {
            return;
        }
        homeless.sort(Comparator.comparingInt(p -> p.position));
        List<Integer> ids = live.stream().map(LiveEngine::id).sorted().toList();
        for (DirectSplit.Block b : DirectSplit.blocks(homeless.size(), ids)) {
            Deque<PendingImage> block = blocks.computeIfAbsent(b.engineId(), id -> new ArrayDeque<>());
            List<PendingImage> part = homeless.subList(b.from(), b.to());
            // images already read (re-runs) go first: they hold memory in the client's window
            for (int i = part.size() - 1; i >= 0; i--) {
                if (part.get(i).isRead()) {
                    block.addFirst(part.get(i));
                }
            }
            for (PendingImage p : part) {
                if (!p.isRead()) {
                    block.addLast(p);
                }
            }
        }
        homeless.clear();
    }

    @Override
    public Map<Integer, Integer> plannedShares() {
        Map<Integer, Integer> shares = new TreeMap<>();
        blocks.forEach((id, block) -> shares.put(id, block.size()));
        return shares;
    }

    @Override
    public List<PendingImage> drain() {
        List<PendingImage> left = new ArrayList<>(homeless);
        homeless.clear();
        for (Deque<PendingImage> block : blocks.values()) {
            left.addAll(block);
            block.clear();
        }
        return left;
    }
}
