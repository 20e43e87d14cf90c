package org.greylab.core.image;

/**
 * One {@link GreyFormula} as exact integer arithmetic that always equals
 * {@code Math.round(red * R + green * G + blue * B)} evaluated in doubles (the formula's definition).
 *
 * <p>Why exact: the weights are short decimals (0.2125 ...) or thirds, so {@code scale * weight} is an integer and
 * {@code 2 * scale * Y} is an exact integer {@code n}. Rounding to nearest is then {@code floor((n + scale) / (2 *
 * scale))}, a division done as a multiply and shift (exact for every numerator below 2^32 by the round-up
 * reciprocal bound: {@code shift = 32 + ceil(log2(divisor))}). Away from a tie the double expression is within
 * 1e-12 of the exact value while the nearest rounding boundary is at least {@code 1 / (2 * scale)} away, so both
 * agree; at an exact tie (the sum ends in .5) the double's last-bit error decides the direction, so there, and only
 * there, the double expression itself is evaluated. {@code GreyMixerTest} checks every 8-bit input.
 */
final class GreyMixer {

    private final GreyFormula formula;
    private final int red;
    private final int green;
    private final int blue;
    private final int scale;
    private final int divisor;
    private final long reciprocal;
    private final int shift;

    private GreyMixer(GreyFormula formula) {
        this.formula = formula;
        int s = exactScale(formula);
        this.scale = s;
        this.red = (int) Math.round(formula.red() * s);
        this.green = (int) Math.round(formula.green() * s);
        this.blue = (int) Math.round(formula.blue() * s);
        if (red + green + blue != s) {
            throw new IllegalStateException("grey weights must sum to 1: " + formula);
        }
        this.divisor = 2 * s;
        int log2 = 32 - Integer.numberOfLeadingZeros(divisor - 1);
        this.shift = 32 + log2;
        this.reciprocal = ((1L << shift) + divisor - 1) / divisor;
    }

    private static final GreyMixer[] BY_FORMULA = new GreyMixer[GreyFormula.values().length];

    static {
        for (GreyFormula f : GreyFormula.values()) {
            BY_FORMULA[f.ordinal()] = new GreyMixer(f);
        }
    }

    static GreyMixer of(GreyFormula formula) {
        return BY_FORMULA[formula.ordinal()];
    }

    /** The smallest scale (3, or a power of ten up to 10^6) that makes every weight an integer. */
    private static int exactScale(GreyFormula f) {
        int[] candidates = {3, 10, 100, 1_000, 10_000, 100_000, 1_000_000};
        for (int s : candidates) {
            if (isInteger(f.red() * s) && isInteger(f.green() * s) && isInteger(f.blue() * s)) {
                return s;
            }
        }
        throw new IllegalStateException("no exact integer form for " + f);
    }

    private static boolean isInteger(double v) {
        return Math.abs(v - Math.rint(v)) < 1e-9;
    }

    GreyFormula formula() {
        return formula;
    }

    /** The integer weights over {@link #scale()}: {@code red() / scale()} is the formula's red weight, exactly. */
    int red() {
        return red;
    }

    int green() {
        return green;
    }

    int blue() {
        return blue;
    }

    int scale() {
        return scale;
    }

    /** Grey of one 8-bit pixel. */
    int grey8(int r, int g, int b) {
        long n = 2L * (red * r + green * g + blue * b) + scale;
        long q = (n * reciprocal) >>> shift;
        if (q * divisor == n) {
            return (int) Math.round(formula.red() * r + formula.green() * g + formula.blue() * b);
        }
        return (int) q;
    }

    /** Grey of one 16-bit pixel (same rule on 0-65535 values). */
    int grey16(int r, int g, int b) {
        long n = 2L * ((long) red * r + (long) green * g + (long) blue * b) + scale;
        // 16-bit numerators reach 2^32 for scale 10^4 and more, past the reciprocal's exact range: divide plainly.
        long q = n / divisor;
        if (q * divisor == n) {
            return (int) Math.round(formula.red() * r + formula.green() * g + formula.blue() * b);
        }
        return (int) q;
    }
}
