package org.greylab.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** When bench's overhead probe stops repeating a kind of pass (every slot busy, or one task at a time). */
class OverheadPassesTest {

    @Test
    void keepsGoingForTheFirstThreePassesWhateverTheyMeasure() {
        assertThat(BenchCommand.settled(List.of())).isFalse();
        assertThat(BenchCommand.settled(List.of(2.0))).isFalse();
        assertThat(BenchCommand.settled(List.of(2.0, 2.0))).isFalse();
    }

    @Test
    void keepsGoingWhileAPassImprovesOnEveryEarlierOneByMoreThanATenth() {
        // the JIT still compiles the dispatch path: 3.0 is 25 % below the best before it
        assertThat(BenchCommand.settled(List.of(6.0, 4.0, 3.0))).isFalse();
        assertThat(BenchCommand.settled(List.of(6.0, 4.0, 4.5, 3.5))).isFalse();
    }

    @Test
    void stopsOnceAPassNoLongerImprovesByMoreThanATenth() {
        assertThat(BenchCommand.settled(List.of(6.0, 4.0, 3.7))).isTrue();
        // a slower pass (a noisy machine) also ends it: waiting longer would not tell the JIT from the noise
        assertThat(BenchCommand.settled(List.of(6.0, 4.0, 5.0))).isTrue();
    }
}
