package org.greylab.core.image;

/**
 * Nanoseconds spent in each stage of one image. The kernel fills decode, convert and encode; whoever reads the
 * input and writes the output (the client, in every mode) fills read and write.
 */
public record StageTimings(long readNanos, long decodeNanos, long convertNanos, long encodeNanos, long writeNanos) {

    public static final StageTimings NONE = new StageTimings(0, 0, 0, 0, 0);

    public StageTimings withRead(long nanos) {
        return new StageTimings(nanos, decodeNanos, convertNanos, encodeNanos, writeNanos);
    }

    public StageTimings withWrite(long nanos) {
        return new StageTimings(readNanos, decodeNanos, convertNanos, encodeNanos, nanos);
    }

    /** Decode + convert + encode: the work an engine does. */
    public long computeNanos() {
        return decodeNanos + convertNanos + encodeNanos;
    }

    public long totalNanos() {
        return readNanos + computeNanos() + writeNanos;
    }
}
