package org.greylab.core.schedule;

/**
 * The client's bound on images held in memory at once (read and not yet written), by count and by bytes, so a
 * folder of any size converts in a small heap. An empty window always admits one image, however large, so a single
 * image above the byte budget still runs (alone). Not thread-safe: one dispatcher owns it.
 */
public final class InFlightWindow {

    private final long maxBytes;
    private int maxCount;
    private int count;
    private long bytes;
    private long peakBytes;
    private int peakCount;

    public InFlightWindow(int maxCount, long maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("the byte budget must be positive, not " + maxBytes);
        }
        this.maxBytes = maxBytes;
        setMaxCount(maxCount);
    }

    /** Changes the count bound (engines come and go); images already held stay. */
    public void setMaxCount(int maxCount) {
        this.maxCount = Math.max(1, maxCount);
    }

    /** Whether an image of {@code size} bytes may be read now. */
    public boolean canAdmit(long size) {
        if (count == 0) {
            return true;
        }
        return count < maxCount && bytes + size <= maxBytes;
    }

    public void admit(long size) {
        count++;
        bytes += size;
        peakCount = Math.max(peakCount, count);
        peakBytes = Math.max(peakBytes, bytes);
    }

    /** An image held as {@code from} bytes is now held as {@code to} bytes (its output replaced its input). */
    public void resize(long from, long to) {
        bytes += to - from;
        peakBytes = Math.max(peakBytes, bytes);
    }

    public void release(long size) {
        count--;
        bytes -= size;
        if (count < 0 || bytes < 0) {
            throw new IllegalStateException("released more than was admitted");
        }
    }

    public int count() {
        return count;
    }

    public long bytes() {
        return bytes;
    }

    public long maxBytes() {
        return maxBytes;
    }

    public int maxCount() {
        return maxCount;
    }

    public long peakBytes() {
        return peakBytes;
    }

    public int peakCount() {
        return peakCount;
    }
}
