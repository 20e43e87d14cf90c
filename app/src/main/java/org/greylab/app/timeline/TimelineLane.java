package org.greylab.app.timeline;

/**
 * One lane of the timeline: the serial thread, or one engine, with one row per slot so images that run at once
 * sit side by side instead of on top of each other.
 */
public final class TimelineLane {

    final String key;
    String label;
    int rows;
    int slots;
    boolean gone;

    public TimelineLane(String key, String label, int rows) {
        this.key = key;
        this.label = label;
        this.rows = Math.max(1, rows);
        this.slots = this.rows;
    }

    public String key() {
        return key;
    }

    public String label() {
        return label;
    }

    public int rows() {
        return rows;
    }

    public boolean gone() {
        return gone;
    }
}
