package org.greylab.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.greylab.core.testing.IccBomb;
import org.junit.jupiter.api.Test;

class IccLimitTest {

    @Test
    void aPngWhoseIccProfileInflatesToGigabytesFailsFastNamingTheIccLimit() throws Exception {
        byte[] bomb = IccBomb.png();
        assertThat(bomb.length).isLessThan(2_500_000);
        // the kernel's first use loads ImageIO and its plugins: not what is measured here
        new GreyscaleKernel().convert(org.greylab.core.testing.Samples.bytes("camera.png"),
                ConversionSettings.defaults());
        long start = System.nanoTime();

        assertThatThrownBy(() -> new GreyscaleKernel().convert(bomb, ConversionSettings.defaults()))
                .isInstanceOf(ConversionException.class)
                .hasMessageContaining("ICC limit");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    }
}
