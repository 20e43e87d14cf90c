package org.greylab.app.timeline;

/**
 * One image on the timeline: a bar in its lane from start to end (end 0 while it runs). Times are epoch
 * microseconds. Mutable, and changed on the FX thread only; the chart redraws when its model's revision moves.
 */
public final class TimelineBar {

    /** How a bar is coloured. */
    public enum State {
        RUNNING, DONE, FAILED, RERUN, ABANDONED
    }

    final String lane;
    int row;
    final String file;
    final String run;
    long startMicros;
    long endMicros;
    State state;
    int attempt;
    long bytesIn;
    long bytesOut;
    String detail = "";

    public TimelineBar(String lane, int row, String file, String run, long startMicros, int attempt) {
        this.lane = lane;
        this.row = row;
        this.file = file;
        this.run = run;
        this.startMicros = startMicros;
        this.attempt = attempt;
        this.state = attempt > 1 ? State.RERUN : State.RUNNING;
    }

    public String lane() {
        return lane;
    }

    public int row() {
        return row;
    }

    public String file() {
        return file;
    }

    public String run() {
        return run;
    }

    public long startMicros() {
        return startMicros;
    }

    public long endMicros() {
        return endMicros;
    }

    public State state() {
        return state;
    }

    public boolean running() {
        return endMicros == 0;
    }

    public int attempt() {
        return attempt;
    }

    public long bytesIn() {
        return bytesIn;
    }

    public long bytesOut() {
        return bytesOut;
    }

    public String detail() {
        return detail;
    }
}
