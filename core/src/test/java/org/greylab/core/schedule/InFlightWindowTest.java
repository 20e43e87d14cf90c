package org.greylab.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InFlightWindowTest {

    @Test
    void admitsWhileBothCountAndBytesFit() {
        InFlightWindow window = new InFlightWindow(3, 1_000);
        window.admit(400);
        window.admit(400);

        assertThat(window.canAdmit(200)).isTrue();
        assertThat(window.canAdmit(201)).isFalse();
    }

    @Test
    void refusesAboveTheCountEvenWhenBytesFit() {
        InFlightWindow window = new InFlightWindow(2, 1_000_000);
        window.admit(1);
        window.admit(1);

        assertThat(window.canAdmit(1)).isFalse();
    }

    @Test
    void anEmptyWindowAdmitsOneImageLargerThanTheBudget() {
        InFlightWindow window = new InFlightWindow(4, 1_000);

        assertThat(window.canAdmit(50_000)).isTrue();
        window.admit(50_000);
        assertThat(window.canAdmit(1)).isFalse();
    }

    @Test
    void releasingAndResizingFreeRoom() {
        InFlightWindow window = new InFlightWindow(4, 1_000);
        window.admit(900);
        window.admit(50);
        assertThat(window.canAdmit(100)).isFalse();

        window.resize(900, 300);
        assertThat(window.canAdmit(100)).isTrue();
        window.release(300);
        assertThat(window.bytes()).isEqualTo(50);
        assertThat(window.count()).isEqualTo(1);
        assertThat(window.peakBytes()).isEqualTo(950);
    }
}
