package org.greylab.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class KernelWarmUpTest {

    @Test
    void warmUpConvertsEverySyntheticPhotoWithinItsBudget() {
        int conversions = KernelWarmUp.run(Duration.ofSeconds(30));

        // 3 inputs (baseline JPEG, progressive JPEG, PNG) x 2 output settings x 6 rounds, none failing
        assertThat(conversions).isEqualTo(36);
    }

    @Test
    void warmUpStopsWhenItsBudgetIsSpent() {
        assertThat(KernelWarmUp.run(Duration.ZERO)).isZero();
    }
}
