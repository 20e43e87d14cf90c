package org.greylab.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The table-driven rows and the packed pixels against {@link GreyMixer#grey8}, for every 8-bit colour, formula and
 * layout. */
class GreyRowsTest {

    private static final int COLOURS = 1 << 24;

    /** A pixel layout: bytes per pixel and where red, green and blue sit in it. */
    record Layout(String name, int stride, int rOff, int gOff, int bOff) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final Layout[] LAYOUTS = {
        new Layout("RGB", 3, 0, 1, 2),
        new Layout("BGR", 3, 2, 1, 0),
        new Layout("RGBA", 4, 0, 1, 2),
        new Layout("BGRX", 4, 2, 1, 0),
        new Layout("ABGR", 4, 3, 2, 1),
    };

    static Stream<Arguments> formulasAndLayouts() {
        return Arrays.stream(GreyFormula.values())
                .flatMap(f -> Arrays.stream(LAYOUTS).map(l -> Arguments.of(f, l)));
    }

    /** Colour {@code c} (r in bits 16-23, g 8-15, b 0-7) written at pixel {@code c} of a buffer, one call for all. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("formulasAndLayouts")
    void everyEightBitColourGivesExactlyGrey8(GreyFormula formula, Layout layout) {
        GreyMixer mixer = GreyMixer.of(formula);
        // odd start offsets on both sides so that nothing depends on alignment
        int srcPos = 5;
        int dstPos = 3;
        byte[] src = new byte[srcPos + COLOURS * layout.stride() + 1];
        new SplittableRandom(7).nextBytes(src);
        for (int c = 0, i = srcPos; c < COLOURS; c++, i += layout.stride()) {
            src[i + layout.rOff()] = (byte) (c >>> 16);
            src[i + layout.gOff()] = (byte) (c >>> 8);
            src[i + layout.bOff()] = (byte) c;
        }
        byte[] dst = new byte[dstPos + COLOURS + 1];
        Arrays.fill(dst, (byte) 0x5A);

        GreyRows.rgb8(src, srcPos, layout.stride(), layout.rOff(), layout.gOff(), layout.bOff(), dst, dstPos,
                COLOURS, formula);

        assertEveryColourIsGrey8(dst, dstPos, mixer);
    }

    /** The 51 default-formula ties that the double expression rounds down are where half-up integer schemes fail. */
    @Test
    void tiesThatTheDoubleExpressionRoundsDownRoundDown() {
        GreyMixer mixer = GreyMixer.of(GreyFormula.SKIMAGE);
        byte[] src = new byte[3 * 64];
        int n = 0;
        for (int c = 0; c < COLOURS && n < 64; c++) {
            int r = c >>> 16;
            int g = (c >>> 8) & 0xFF;
            int b = c & 0xFF;
            int t = 2125 * r + 7154 * g + 721 * b;
            if (t % 10_000 == 5_000 && mixer.grey8(r, g, b) == t / 10_000) {
                src[3 * n] = (byte) r;
                src[3 * n + 1] = (byte) g;
                src[3 * n + 2] = (byte) b;
                n++;
            }
        }
        assertThat(n).isEqualTo(51);
        byte[] dst = new byte[n];

        GreyRows.rgb8(src, 0, 3, 0, 1, 2, dst, 0, n, GreyFormula.SKIMAGE);

        for (int p = 0; p < n; p++) {
            int t = 2125 * (src[3 * p] & 0xFF) + 7154 * (src[3 * p + 1] & 0xFF) + 721 * (src[3 * p + 2] & 0xFF);
            assertThat(dst[p] & 0xFF).as("pixel %d", p).isEqualTo(t / 10_000);
        }
    }

    @ParameterizedTest
    @EnumSource(GreyFormula.class)
    void shortRunsAtAnyPositionWriteOnlyTheirPixels(GreyFormula formula) {
        GreyMixer mixer = GreyMixer.of(formula);
        SplittableRandom random = new SplittableRandom(11);
        byte[] src = new byte[4 * 40 + 8];
        random.nextBytes(src);
        for (Layout layout : LAYOUTS) {
            for (int pixels = 0; pixels <= 33; pixels++) {
                int srcPos = random.nextInt(8);
                int dstPos = random.nextInt(8);
                byte[] dst = new byte[dstPos + pixels + 8];
                Arrays.fill(dst, (byte) 0x5A);

                GreyRows.rgb8(src, srcPos, layout.stride(), layout.rOff(), layout.gOff(), layout.bOff(), dst,
                        dstPos, pixels, formula);

                for (int i = 0; i < dst.length; i++) {
                    int p = i - dstPos;
                    if (p < 0 || p >= pixels) {
                        assertThat(dst[i]).as("%s untouched byte %d", layout, i).isEqualTo((byte) 0x5A);
                    } else {
                        int at = srcPos + p * layout.stride();
                        int expected = mixer.grey8(src[at + layout.rOff()] & 0xFF, src[at + layout.gOff()] & 0xFF,
                                src[at + layout.bOff()] & 0xFF);
                        assertThat(dst[i] & 0xFF).as("%s pixel %d of %d", layout, p, pixels).isEqualTo(expected);
                    }
                }
            }
        }
    }

    @Test
    void aRunPastTheEndOfTheSourceFailsBeforeWritingAnything() {
        byte[] dst = new byte[4];

        assertThatThrownBy(() -> GreyRows.rgb8(new byte[11], 0, 3, 2, 1, 0, dst, 0, 4, GreyFormula.SKIMAGE))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(dst).containsOnly(0);
    }

    /** Packed pixels: colour {@code c} at pixel {@code c}, with random top bytes (TurboJPEG's padding byte). */
    @ParameterizedTest
    @EnumSource(GreyFormula.class)
    void everyEightBitColourPackedGivesExactlyGrey8(GreyFormula formula) {
        GreyMixer mixer = GreyMixer.of(formula);
        int srcPos = 7;
        int dstPos = 3;
        SplittableRandom random = new SplittableRandom(13);
        int[] src = new int[srcPos + COLOURS + 1];
        for (int c = 0; c < COLOURS; c++) {
            // red in the low byte: c's blue (bits 0-7) goes to bits 16-23
            int r = c >>> 16;
            int g = (c >>> 8) & 0xFF;
            int b = c & 0xFF;
            src[srcPos + c] = r | g << 8 | b << 16 | random.nextInt(256) << 24;
        }
        byte[] dst = new byte[dstPos + COLOURS + 1];
        Arrays.fill(dst, (byte) 0x5A);

        GreyRows.packed8(src, srcPos, dst, dstPos, COLOURS, formula);

        assertEveryColourIsGrey8(dst, dstPos, mixer);
    }

    /** {@code dst} holds colour {@code c}'s grey at {@code dstPos + c}, for every colour, between two 0x5A bytes. */
    private static void assertEveryColourIsGrey8(byte[] dst, int dstPos, GreyMixer mixer) {
        long mismatches = 0;
        int first = -1;
        for (int c = 0; c < COLOURS; c++) {
            if ((dst[dstPos + c] & 0xFF) != mixer.grey8(c >>> 16, (c >>> 8) & 0xFF, c & 0xFF)) {
                mismatches++;
                if (first < 0) {
                    first = c;
                }
            }
        }
        assertThat(mismatches).as("first mismatch at colour %06x", first).isZero();
        assertThat(dst[dstPos - 1]).as("byte before the run").isEqualTo((byte) 0x5A);
        assertThat(dst[dstPos + COLOURS]).as("byte after the run").isEqualTo((byte) 0x5A);
    }

    /**
     * Ties scattered through long runs of ordinary pixels, at random places and in runs of every length around the
     * packed loop's block sizes: each tie must get grey8's direction, and each pixel around it its own grey.
     */
    @ParameterizedTest
    @EnumSource(GreyFormula.class)
    void packedTiesAnywhereInARunGetGrey8sDirection(GreyFormula formula) {
        GreyMixer mixer = GreyMixer.of(formula);
        int[] ties = new int[256];
        int found = 0;
        for (int c = 0; c < COLOURS && found < ties.length; c += 97) {
            int r = c >>> 16;
            int g = (c >>> 8) & 0xFF;
            int b = c & 0xFF;
            long twice = 2L * (mixer.red() * r + mixer.green() * g + mixer.blue() * b);
            if ((twice + mixer.scale()) % (2L * mixer.scale()) == 0) {
                ties[found++] = r | g << 8 | b << 16;
            }
        }
        SplittableRandom random = new SplittableRandom(17);
        for (int pixels : new int[] {1, 255, 256, 257, 4095, 4096, 4097, 9000}) {
            int srcPos = random.nextInt(5);
            int dstPos = random.nextInt(5);
            int[] src = new int[srcPos + pixels];
            for (int i = 0; i < src.length; i++) {
                src[i] = random.nextInt();
                if (found > 0 && random.nextInt(50) == 0) {
                    src[i] = ties[random.nextInt(found)];
                }
            }
            byte[] dst = new byte[dstPos + pixels + 2];
            Arrays.fill(dst, (byte) 0x5A);

            GreyRows.packed8(src, srcPos, dst, dstPos, pixels, formula);

            for (int p = 0; p < pixels; p++) {
                int px = src[srcPos + p];
                assertThat(dst[dstPos + p] & 0xFF).as("%d pixels, pixel %d", pixels, p)
                        .isEqualTo(mixer.grey8(px & 0xFF, (px >>> 8) & 0xFF, (px >>> 16) & 0xFF));
            }
            assertThat(dst[dstPos + pixels]).as("byte after a run of %d", pixels).isEqualTo((byte) 0x5A);
            if (dstPos > 0) {
                assertThat(dst[dstPos - 1]).as("byte before a run of %d", pixels).isEqualTo((byte) 0x5A);
            }
        }
        if (formula != GreyFormula.AVERAGE) {
            // thirds never end in .5; the decimal formulas must have ties, or this test proved nothing about them
            assertThat(found).isPositive();
        }
    }

    @Test
    void aPackedRunPastTheEndOfTheSourceFailsBeforeWritingAnything() {
        byte[] dst = new byte[4];

        assertThatThrownBy(() -> GreyRows.packed8(new int[3], 0, dst, 0, 4, GreyFormula.SKIMAGE))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(dst).containsOnly(0);
    }
}
