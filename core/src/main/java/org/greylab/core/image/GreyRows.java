package org.greylab.core.image;

import java.util.Objects;

/**
 * {@link GreyMixer#grey8} over runs of interleaved 8-bit pixels, about ten times faster than calling it per pixel.
 *
 * <p>How: each channel value indexes a table of its weighted share in fixed point ({@code 2^k} per grey level), so
 * a pixel costs three loads, two adds and a shift. Why it is exact: entry {@code T_c[v]} is {@code w_c * v * 2^k / s}
 * rounded to the nearest integer ({@code w_c / s} the formula's exact integer weight over its scale, as in
 * {@link GreyMixer}), so the sum of the three entries plus {@code 2^(k-1)} is {@code (Y + 1/2) * 2^k} within 3/2,
 * and a bias of 2 makes it {@code (Y + 1/2) * 2^k + e} with {@code 1/2 <= e <= 7/2}. The fraction of the exact
 * {@code Y + 1/2} is a multiple of {@code 1 / (2s)}: either 0 (an exact tie, {@code Y} ends in .5) or between
 * {@code 1/(2s)} and {@code 1 - 1/(2s)}. With {@code 2^k >= 8s} the second case puts the low {@code k} bits of the
 * sum in {@code [4, 2^k)}, so {@code sum >>> k} is {@code floor(Y + 1/2)}, the correctly rounded grey; the first
 * case, and only it, leaves them below 4. Those pixels are ties, where the double expression's last bit decides the
 * direction: they go to {@link GreyMixer#grey8} (1688 of the 16.7M colours for the default formula).
 * {@code GreyRowsTest} compares every 8-bit colour, in every layout, with {@code grey8}.
 *
 * <p>Why tables and not vectors: C2 vectorizes only unit-stride loops on arrays of one element size, and 3-byte
 * pixels are neither; a block scheme (deinterleave into int arrays, vector arithmetic, pack) was measured slower.
 */
final class GreyRows {

    private GreyRows() {
    }

    /** Low bits of a table sum below this mark an exact tie (see the class comment). */
    private static final int TIE_MARK = 4;

    /** Per formula: the three channel tables, 256 entries each, and the fixed-point shift {@code k}. */
    private static final class Tables {
        final int[] red = new int[256];
        final int[] green = new int[256];
        final int[] blue = new int[256];
        final int shift;
        final int mask;

        Tables(GreyFormula formula) {
            GreyMixer mixer = GreyMixer.of(formula);
            long s = mixer.scale();
            int k = 0;
            while ((1L << k) < 8 * s) {
                k++;
            }
            if (k > 23) {
                // 255.5 * 2^k must stay below 2^31
                throw new IllegalStateException("scale too fine for int tables: " + formula);
            }
            shift = k;
            mask = (1 << k) - 1;
            long one = 1L << k;
            for (int v = 0; v < 256; v++) {
                red[v] = nearest(mixer.red() * v * one, s);
                green[v] = nearest(mixer.green() * v * one, s);
                blue[v] = nearest(mixer.blue() * v * one, s);
            }
            // + 1/2 to round, + 2 to lift a tie's sum above its error (class comment): folded into one table
            for (int v = 0; v < 256; v++) {
                red[v] += (int) (one / 2) + 2;
            }
        }

        private static int nearest(long numerator, long divisor) {
            return (int) Math.floorDiv(2 * numerator + divisor, 2 * divisor);
        }
    }

    private static final Tables[] BY_FORMULA = new Tables[GreyFormula.values().length];

    static {
        for (GreyFormula f : GreyFormula.values()) {
            BY_FORMULA[f.ordinal()] = new Tables(f);
        }
    }

    /** Grey of {@code pixels} interleaved 8-bit pixels starting at src[srcPos], pixelStride 3 or 4 bytes, colour
     *  bytes at offsets rOff/gOff/bOff within a pixel; writes one byte per pixel to dst from dstPos. */
    static void rgb8(byte[] src, int srcPos, int pixelStride, int rOff, int gOff, int bOff,
                     byte[] dst, int dstPos, int pixels, GreyFormula formula) {
        if (pixelStride != 3 && pixelStride != 4) {
            throw new IllegalArgumentException("pixel stride must be 3 or 4: " + pixelStride);
        }
        if (pixels <= 0) {
            return;
        }
        int first = Math.min(rOff, Math.min(gOff, bOff));
        int last = Math.max(rOff, Math.max(gOff, bOff));
        if (first < 0 || last >= pixelStride || rOff == gOff || gOff == bOff || rOff == bOff) {
            throw new IllegalArgumentException("colour offsets must be distinct and inside the pixel: " + rOff + ","
                    + gOff + "," + bOff);
        }
        // checked once here, so that a run that does not fit fails before any byte is written
        Objects.checkFromIndexSize(srcPos + first,
                Math.addExact(Math.multiplyExact(pixels - 1, pixelStride), last - first + 1), src.length);
        Objects.checkFromIndexSize(dstPos, pixels, dst.length);
        Tables t = BY_FORMULA[formula.ordinal()];
        GreyMixer mixer = GreyMixer.of(formula);
        if (pixelStride == 3) {
            // the three offsets are 0, 1 and 2 in some order: the loop reads fixed positions through the channel
            // tables put in that order, which lets C2 fold the offsets (about 1.4 times faster than variables)
            int[][] byPosition = new int[3][];
            byPosition[rOff] = t.red;
            byPosition[gOff] = t.green;
            byPosition[bOff] = t.blue;
            rgb8Stride3(src, srcPos, byPosition[0], byPosition[1], byPosition[2], dst, dstPos, pixels, t, mixer,
                    rOff, gOff, bOff);
        } else {
            rgb8Stride4(src, srcPos + rOff, srcPos + gOff, srcPos + bOff, dst, dstPos, pixels, t, mixer);
        }
    }

    /*
     * The two loops below differ only in the stride, a constant in each so that C2 removes the array bounds checks.
     * They are unrolled by hand, eight pixels a turn: C2's own unrolling stops at this body size (on JDK 17, with
     * BGR offsets as constants, the plain loop ran at 0.65 GP/s and the unrolled one at about 0.95). The eight tie
     * tests are merged into one branch. With the offsets as variables, as the 4-byte loop has them, both JDKs
     * measure about 0.6-0.7; the 3-byte loop reads fixed positions instead.
     */

    private static void rgb8Stride3(byte[] src, int srcPos, int[] t0, int[] t1, int[] t2, byte[] dst, int dstPos,
                                    int pixels, Tables t, GreyMixer mixer, int rOff, int gOff, int bOff) {
        int k = t.shift;
        int mask = t.mask;
        int p = 0;
        for (; p <= pixels - 8; p += 8) {
            int i = srcPos + 3 * p;
            int s0 = t0[src[i] & 0xFF] + t1[src[i + 1] & 0xFF] + t2[src[i + 2] & 0xFF];
            int s1 = t0[src[i + 3] & 0xFF] + t1[src[i + 4] & 0xFF] + t2[src[i + 5] & 0xFF];
            int s2 = t0[src[i + 6] & 0xFF] + t1[src[i + 7] & 0xFF] + t2[src[i + 8] & 0xFF];
            int s3 = t0[src[i + 9] & 0xFF] + t1[src[i + 10] & 0xFF] + t2[src[i + 11] & 0xFF];
            int s4 = t0[src[i + 12] & 0xFF] + t1[src[i + 13] & 0xFF] + t2[src[i + 14] & 0xFF];
            int s5 = t0[src[i + 15] & 0xFF] + t1[src[i + 16] & 0xFF] + t2[src[i + 17] & 0xFF];
            int s6 = t0[src[i + 18] & 0xFF] + t1[src[i + 19] & 0xFF] + t2[src[i + 20] & 0xFF];
            int s7 = t0[src[i + 21] & 0xFF] + t1[src[i + 22] & 0xFF] + t2[src[i + 23] & 0xFF];
            int o = dstPos + p;
            if (store8(dst, o, k, mask, s0, s1, s2, s3, s4, s5, s6, s7)) {
                slow(src, i + rOff, i + gOff, i + bOff, 3, dst, o, 8, t, mixer);
            }
        }
        int i = srcPos + 3 * p;
        slow(src, i + rOff, i + gOff, i + bOff, 3, dst, dstPos + p, pixels - p, t, mixer);
    }

    private static void rgb8Stride4(byte[] src, int r0, int g0, int b0, byte[] dst, int dstPos, int pixels,
                                    Tables t, GreyMixer mixer) {
        int[] red = t.red;
        int[] green = t.green;
        int[] blue = t.blue;
        int k = t.shift;
        int mask = t.mask;
        int p = 0;
        for (; p <= pixels - 8; p += 8) {
            int i = 4 * p;
            int s0 = red[src[r0 + i] & 0xFF] + green[src[g0 + i] & 0xFF] + blue[src[b0 + i] & 0xFF];
            int s1 = red[src[r0 + i + 4] & 0xFF] + green[src[g0 + i + 4] & 0xFF] + blue[src[b0 + i + 4] & 0xFF];
            int s2 = red[src[r0 + i + 8] & 0xFF] + green[src[g0 + i + 8] & 0xFF] + blue[src[b0 + i + 8] & 0xFF];
            int s3 = red[src[r0 + i + 12] & 0xFF] + green[src[g0 + i + 12] & 0xFF] + blue[src[b0 + i + 12] & 0xFF];
            int s4 = red[src[r0 + i + 16] & 0xFF] + green[src[g0 + i + 16] & 0xFF] + blue[src[b0 + i + 16] & 0xFF];
            int s5 = red[src[r0 + i + 20] & 0xFF] + green[src[g0 + i + 20] & 0xFF] + blue[src[b0 + i + 20] & 0xFF];
            int s6 = red[src[r0 + i + 24] & 0xFF] + green[src[g0 + i + 24] & 0xFF] + blue[src[b0 + i + 24] & 0xFF];
            int s7 = red[src[r0 + i + 28] & 0xFF] + green[src[g0 + i + 28] & 0xFF] + blue[src[b0 + i + 28] & 0xFF];
            int o = dstPos + p;
            if (store8(dst, o, k, mask, s0, s1, s2, s3, s4, s5, s6, s7)) {
                slow(src, r0 + i, g0 + i, b0 + i, 4, dst, o, 8, t, mixer);
            }
        }
        slow(src, r0 + 4 * p, g0 + 4 * p, b0 + 4 * p, 4, dst, dstPos + p, pixels - p, t, mixer);
    }

    /**
     * Writes the greys of eight table sums from {@code dst[o]}; true when one of them is a tie's, and the group must
     * be redone by {@link #slow}. Small enough for C2 to inline into both loops.
     */
    private static boolean store8(byte[] dst, int o, int k, int mask, int s0, int s1, int s2, int s3, int s4, int s5,
                                  int s6, int s7) {
        dst[o] = (byte) (s0 >>> k);
        dst[o + 1] = (byte) (s1 >>> k);
        dst[o + 2] = (byte) (s2 >>> k);
        dst[o + 3] = (byte) (s3 >>> k);
        dst[o + 4] = (byte) (s4 >>> k);
        dst[o + 5] = (byte) (s5 >>> k);
        dst[o + 6] = (byte) (s6 >>> k);
        dst[o + 7] = (byte) (s7 >>> k);
        return (tieBits(s0, mask) | tieBits(s1, mask) | tieBits(s2, mask) | tieBits(s3, mask) | tieBits(s4, mask)
                | tieBits(s5, mask) | tieBits(s6, mask) | tieBits(s7, mask)) < 0;
    }

    /** Negative exactly when the sum is a tie's (low bits below {@link #TIE_MARK}). */
    private static int tieBits(int sum, int mask) {
        return (sum & mask) - TIE_MARK;
    }

    /*
     * Pixels packed one to an int (TurboJPEG's RGBX read as little-endian ints: red in bits 0-7, green 8-15, blue
     * 16-23). Here the grey step can run on C2's vector units: a loop over one array of ints whose body is plain
     * arithmetic is what its SuperWord pass vectorizes (tables cannot be: they are gathers). The weighted sum is
     * exact in ints, {@code ys = W_r r + W_g g + W_b b = scale * Y}, and one float multiply rounds it:
     * {@code g = (int) (ys * (1f / scale) + 0.5f)}. That float is within 4e-5 of {@code Y + 1/2} (two roundings
     * relative to 2^-24 on a value below 256, one half-ulp below 256), while away from a tie {@code Y + 1/2} is at
     * least {@code 1 / (2 * scale)} from the next integer, 5e-5 for the finest formula: so {@code g} is the
     * correctly rounded grey except at ties. Exactness does not rest on that bound, though: the integer
     * {@code d = 2 ys - (2g - 1) scale} lies strictly between 0 and {@code 2 scale} exactly when {@code g} is the
     * correct grey of a pixel that is not a tie; in a block that holds any other pixel (a tie: at most a few in a
     * thousand pixels, in the corpus's photos), each 256-pixel part that holds one is checked again pixel by pixel
     * and those pixels are rewritten through {@code grey8}.
     *
     * Two loops per block, not one: C2 (JDK 25) vectorizes the sum-and-check loop (ints only, one reduction) and the
     * sum-and-store loop (ints to bytes), but neither a loop that both stores bytes and reduces ints nor one that
     * stores bytes and ints. Measured on 2 cores with AVX-512: about 6 and 10 GP/s for the two loops alone.
     */

    /** Pixels per vector pass: long enough that C2's vector loop, not its set-up, takes the time (measured: 128
     *  pixels a call ran at a quarter of the speed of 4096). */
    private static final int PACKED_BLOCK = 4096;
    /** Pixels per second check inside a block that holds a tie (1 pixel in 10^6 to 1 in 400 in the corpus), so that
     *  only a small part of it is redone one pixel at a time. */
    private static final int PACKED_SUB_BLOCK = 256;
    /** Above this scale the float bound above no longer holds (every formula today is below it). */
    private static final int PACKED_MAX_SCALE = 10_000;

    /** Grey of {@code pixels} packed pixels (red in bits 0-7, green 8-15, blue 16-23, bits 24-31 ignored) from
     *  src[srcPos]; one byte per pixel to dst from dstPos. */
    static void packed8(int[] src, int srcPos, byte[] dst, int dstPos, int pixels, GreyFormula formula) {
        if (pixels <= 0) {
            return;
        }
        Objects.checkFromIndexSize(srcPos, pixels, src.length);
        Objects.checkFromIndexSize(dstPos, pixels, dst.length);
        GreyMixer mixer = GreyMixer.of(formula);
        int scale = mixer.scale();
        if (scale > PACKED_MAX_SCALE) {
            packedFix(src, srcPos, dst, dstPos, pixels, mixer, true);
            return;
        }
        int wr = mixer.red();
        int wg = mixer.green();
        int wb = mixer.blue();
        float inverse = 1f / scale;
        for (int p = 0; p < pixels; p += PACKED_BLOCK) {
            int n = Math.min(PACKED_BLOCK, pixels - p);
            packedStore(src, srcPos + p, dst, dstPos + p, n, wr, wg, wb, inverse);
            if (packedCheck(src, srcPos + p, n, wr, wg, wb, scale, inverse) < 0) {
                for (int q = p; q < p + n; q += PACKED_SUB_BLOCK) {
                    int m = Math.min(PACKED_SUB_BLOCK, p + n - q);
                    if (packedCheck(src, srcPos + q, m, wr, wg, wb, scale, inverse) < 0) {
                        packedFix(src, srcPos + q, dst, dstPos + q, m, mixer, false);
                    }
                }
            }
        }
    }

    private static int packedCheck(int[] src, int from, int n, int wr, int wg, int wb, int scale, float inverse) {
        int twoScale = 2 * scale;
        int flags = 0;
        for (int i = from; i < from + n; i++) {
            int px = src[i];
            int ys = wr * (px & 0xFF) + wg * ((px >>> 8) & 0xFF) + wb * ((px >>> 16) & 0xFF);
            int g = (int) (ys * inverse + 0.5f);
            int d = 2 * ys - twoScale * g + scale;
            flags |= (d - 1) | (twoScale - 1 - d);
        }
        return flags;
    }

    private static void packedStore(int[] src, int from, byte[] dst, int to, int n, int wr, int wg, int wb,
                                    float inverse) {
        for (int i = 0; i < n; i++) {
            int px = src[from + i];
            int ys = wr * (px & 0xFF) + wg * ((px >>> 8) & 0xFF) + wb * ((px >>> 16) & 0xFF);
            dst[to + i] = (byte) (int) (ys * inverse + 0.5f);
        }
    }

    /** Rewrites, through {@code grey8}, the pixels whose float grey {@link #packedCheck} would flag (all of them
     *  when {@code all}). */
    private static void packedFix(int[] src, int from, byte[] dst, int to, int n, GreyMixer mixer, boolean all) {
        int scale = mixer.scale();
        int twoScale = 2 * scale;
        float inverse = 1f / scale;
        for (int i = 0; i < n; i++) {
            int px = src[from + i];
            int r = px & 0xFF;
            int g = (px >>> 8) & 0xFF;
            int b = (px >>> 16) & 0xFF;
            int ys = mixer.red() * r + mixer.green() * g + mixer.blue() * b;
            int d = 2 * ys - twoScale * (int) (ys * inverse + 0.5f) + scale;
            if (all || d <= 0 || d >= twoScale) {
                dst[to + i] = (byte) mixer.grey8(r, g, b);
            }
        }
    }

    /** One pixel at a time, ties through {@code grey8}: a run's last few, and a group of eight holding a tie. */
    private static void slow(byte[] src, int r, int g, int b, int stride, byte[] dst, int o, int pixels, Tables t,
                             GreyMixer mixer) {
        for (int p = 0; p < pixels; p++, r += stride, g += stride, b += stride) {
            int sum = t.red[src[r] & 0xFF] + t.green[src[g] & 0xFF] + t.blue[src[b] & 0xFF];
            dst[o + p] = (byte) (tieBits(sum, t.mask) < 0
                    ? mixer.grey8(src[r] & 0xFF, src[g] & 0xFF, src[b] & 0xFF) : sum >>> t.shift);
        }
    }
}
