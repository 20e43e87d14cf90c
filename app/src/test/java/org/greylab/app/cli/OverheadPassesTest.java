package org.greylab.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** When bench's overhead probe stops repeating a kind of pass (every slot busy, or one task at a time). */
class OverheadPassesTest {

    @Test
    void keepsGoingForTheFirstSixPassesWhateverTheyMeasure() {
        assertThat(DispatchOverheadProbe.settled(List.of())).isFalse();
        assertThat(DispatchOverheadProbe.settled(List.of(2.0))).isFalse();
        assertThat(DispatchOverheadProbe.settled(List.of(2.0, 2.0, 2.0, 2.0, 2.0))).isFalse();
        assertThat(DispatchOverheadProbe.settled(List.of(2.0, 2.0, 2.0, 2.0, 2.0, 2.0))).isTrue();
    }

    @Test
    void keepsGoingWhileTheLastThreePassesImproveOnTheThreeBeforeByMoreThanATenth() {
        // the JIT still compiles the dispatch path: the last three's median 1.0 is 23 % below the 1.3 before
        assertThat(DispatchOverheadProbe.settled(List.of(1.5, 1.3, 1.2, 1.1, 1.0, 0.9))).isFalse();
        // one slow pass among the last three does not end it while the other two still improve
        assertThat(DispatchOverheadProbe.settled(List.of(1.5, 1.3, 1.2, 1.6, 1.0, 0.9))).isFalse();
    }

    @Test
    void stopsOnceTheLastThreePassesNoLongerImproveByMoreThanATenth() {
        assertThat(DispatchOverheadProbe.settled(List.of(1.5, 1.3, 1.2, 0.9, 0.85, 0.8, 0.8, 0.78, 0.76))).isTrue();
        // one fast pass among them does not keep it going: their median 0.78 is within a tenth of 0.8
        assertThat(DispatchOverheadProbe.settled(List.of(1.5, 1.3, 1.2, 0.85, 0.8, 0.8, 0.5, 0.78, 0.79))).isTrue();
        // slower passes (a noisy machine) also end it: waiting longer would not tell the JIT from the noise
        assertThat(DispatchOverheadProbe.settled(List.of(1.0, 0.9, 0.8, 1.2, 1.1, 1.3))).isTrue();
    }
}
