package org.greylab.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.greylab.core.schedule.LeastLoadPicker.EngineLoad;
import org.junit.jupiter.api.Test;

class LeastLoadPickerTest {

    @Test
    void picksTheEngineWithTheLowestInFlightPerSlot() {
        List<EngineLoad> engines = List.of(
                new EngineLoad(0, 2, 2, 1),   // 1.0
                new EngineLoad(1, 3, 4, 2),   // 0.75
                new EngineLoad(2, 1, 1, 3));  // 1.0

        assertThat(LeastLoadPicker.pick(engines, 1)).hasValue(1);
    }

    @Test
    void anEngineClaimingTheLargestSlotCountNeitherOverflowsNorStarves() {
        List<EngineLoad> engines = List.of(
                new EngineLoad(0, 1, 1, 1),
                new EngineLoad(1, 5, Integer.MAX_VALUE, 2));

        assertThat(LeastLoadPicker.highWaterMark(Integer.MAX_VALUE, 64)).isEqualTo(LeastLoadPicker.MAX_HIGH_WATER_MARK);
        assertThat(LeastLoadPicker.pick(engines, 64)).hasValue(1);
    }

    @Test
    void tiesGoToTheLeastRecentlyUsedEngine() {
        List<EngineLoad> engines = List.of(
                new EngineLoad(0, 1, 1, 7),
                new EngineLoad(1, 1, 1, 3),
                new EngineLoad(2, 1, 1, 5));

        assertThat(LeastLoadPicker.pick(engines, 1)).hasValue(1);
    }

    @Test
    void anEngineNeverUsedCountsAsLeastRecentlyUsedThenTheLowerIdWins() {
        List<EngineLoad> engines = List.of(
                new EngineLoad(3, 0, 1, 0),
                new EngineLoad(1, 0, 1, 0),
                new EngineLoad(2, 0, 1, 9));

        assertThat(LeastLoadPicker.pick(engines, 1)).hasValue(1);
    }

    @Test
    void anEngineAtItsHighWaterMarkGetsNothing() {
        List<EngineLoad> engines = List.of(
                new EngineLoad(0, 3, 2, 1),   // slots 2 + prefetch 1: full
                new EngineLoad(1, 4, 4, 2));  // 1.0, below 4 + 1

        assertThat(LeastLoadPicker.pick(engines, 1)).hasValue(1);
        assertThat(LeastLoadPicker.pick(List.of(new EngineLoad(0, 3, 2, 1)), 1)).isEmpty();
        assertThat(LeastLoadPicker.pick(List.of(new EngineLoad(0, 3, 2, 1)), 2)).hasValue(0);
    }

    @Test
    void highWaterMarkIsSlotsPlusPrefetch() {
        assertThat(LeastLoadPicker.highWaterMark(1, 1)).isEqualTo(2);
        assertThat(LeastLoadPicker.highWaterMark(4, 0)).isEqualTo(4);
        assertThat(LeastLoadPicker.highWaterMark(4, 3)).isEqualTo(7);
    }

    /** Replays the rule on two idle engines of different sizes, as the dispatcher does, one image at a time. */
    @Test
    void fillingTwoIdleEnginesAlternatesThenFavoursTheOneWithMoreSlots() {
        int[] inFlight = new int[2];
        int[] slots = {1, 2};
        long[] lastUsed = new long[2];
        List<Integer> order = new ArrayList<>();
        for (long seq = 1; ; seq++) {
            List<EngineLoad> loads = List.of(new EngineLoad(0, inFlight[0], slots[0], lastUsed[0]),
                    new EngineLoad(1, inFlight[1], slots[1], lastUsed[1]));
            OptionalInt pick = LeastLoadPicker.pick(loads, 1);
            if (pick.isEmpty()) {
                break;
            }
            int e = pick.getAsInt();
            order.add(e);
            inFlight[e]++;
            lastUsed[e] = seq;
        }

        // 0/1 vs 0/2 tie -> 0 (lower id, both unused); 1/1 vs 0/2 -> 1; 1/1 vs 1/2 -> 1; 1/1 vs 2/2 tie -> 0 (LRU);
        // then 0 is full (2 = 1 + 1) and 1 takes one more (3 = 2 + 1)
        assertThat(order).containsExactly(0, 1, 1, 0, 1);
    }
}
