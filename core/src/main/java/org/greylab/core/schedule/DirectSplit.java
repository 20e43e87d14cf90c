package org.greylab.core.schedule;

import java.util.ArrayList;
import java.util.List;

/**
 * Direct mode's split, exactly ipyparallel's DirectView rule ({@code Map.getPartition}): {@code n} items become one
 * contiguous block per engine, in engine order; block sizes differ by at most one and the first {@code n mod k}
 * engines get the larger blocks. With fewer items than engines the last engines get empty blocks (DirectView then
 * sends them nothing).
 */
public final class DirectSplit {

    /**
     * One engine's block: items {@code [from, to)} of the list.
     */
    public record Block(int engineId, int from, int to) {
        public int size() {
            return to - from;
        }

        public boolean isEmpty() {
            return from == to;
        }
    }

    private DirectSplit() {
    }

    /** The blocks of {@code n} items over the engines, in the order of {@code engineIds}. */
    public static List<Block> blocks(int n, List<Integer> engineIds) {
        if (n < 0) {
            throw new IllegalArgumentException("item count must not be negative, not " + n);
        }
        if (engineIds.isEmpty()) {
            throw new IllegalArgumentException("there must be at least one engine to split over");
        }
        int k = engineIds.size();
        List<Block> blocks = new ArrayList<>(k);
        for (int p = 0; p < k; p++) {
            int[] range = partition(n, p, k);
            blocks.add(new Block(engineIds.get(p), range[0], range[1]));
        }
        return List.copyOf(blocks);
    }

    /** The {@code p}-th of {@code q} partitions of {@code n} items, as {@code {low, high}} (DirectView's getPartition). */
    public static int[] partition(int n, int p, int q) {
        if (p < 0 || p >= q) {
            throw new IllegalArgumentException("need 0 <= p < q, not p=" + p + ", q=" + q);
        }
        int remainder = n % q;
        int base = n / q;
        int low = p < remainder ? p * (base + 1) : p * base + remainder;
        int high = low + base + (p < remainder ? 1 : 0);
        return new int[] {low, high};
    }
}
