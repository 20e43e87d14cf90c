package org.greylab.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The integer grey formula against its definition, Math.round of the double expression. */
class GreyMixerTest {

    private static long byDefinition(GreyFormula f, int r, int g, int b) {
        return Math.round(f.red() * r + f.green() * g + f.blue() * b);
    }

    @ParameterizedTest
    @EnumSource(GreyFormula.class)
    void everyEightBitColourGivesExactlyTheRoundedDoubleFormula(GreyFormula formula) {
        GreyMixer mixer = GreyMixer.of(formula);
        long mismatches = 0;
        String first = null;
        for (int r = 0; r < 256; r++) {
            for (int g = 0; g < 256; g++) {
                for (int b = 0; b < 256; b++) {
                    if (mixer.grey8(r, g, b) != byDefinition(formula, r, g, b)) {
                        mismatches++;
                        if (first == null) {
                            first = r + "," + g + "," + b;
                        }
                    }
                }
            }
        }
        assertThat(mismatches).as("first mismatch at %s", first).isZero();
    }

    @ParameterizedTest
    @EnumSource(GreyFormula.class)
    void sixteenBitColoursGiveExactlyTheRoundedDoubleFormula(GreyFormula formula) {
        GreyMixer mixer = GreyMixer.of(formula);
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 2_000_000; i++) {
            int r = random.nextInt(65536);
            int g = random.nextInt(65536);
            int b = random.nextInt(65536);
            if (mixer.grey16(r, g, b) != byDefinition(formula, r, g, b)) {
                assertThat(mixer.grey16(r, g, b)).as("%d,%d,%d", r, g, b).isEqualTo(byDefinition(formula, r, g, b));
            }
        }
        for (int v : new int[] {0, 1, 255, 256, 32767, 32768, 65534, 65535}) {
            assertThat(mixer.grey16(65535, v, 0)).isEqualTo(byDefinition(formula, 65535, v, 0));
        }
    }

    @ParameterizedTest
    @EnumSource(GreyFormula.class)
    void greyColoursKeepTheirLevel(GreyFormula formula) {
        GreyMixer mixer = GreyMixer.of(formula);
        for (int v = 0; v < 65536; v++) {
            if (v < 256) {
                assertThat(mixer.grey8(v, v, v)).isEqualTo(v);
            }
            if (mixer.grey16(v, v, v) != v) {
                assertThat(mixer.grey16(v, v, v)).isEqualTo(v);
            }
        }
    }
}
