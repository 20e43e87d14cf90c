package org.greylab.app.timeline;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import org.greylab.app.fx.RunSubscriber;
import org.greylab.core.job.BatchPlanner;
import org.greylab.core.job.FileResult;
import org.greylab.core.job.FileStatus;
import org.greylab.core.job.TaskTrace;
import org.greylab.core.schedule.ProgressEvent;
import org.greylab.core.run.RunEvent;
import org.greylab.core.schedule.EngineInfo;
import org.greylab.core.schedule.Mode;

/**
 * The task stream behind the {@link TimelineChart}: lanes (serial, then one per engine), one bar per image try,
 * and a marker where each run of a comparison starts. It follows the run service's events on the FX thread; the
 * chart redraws whenever {@link #revisionProperty()} moves.
 */
public final class TimelineViewModel implements RunSubscriber {

    /** Where a run starts on the time axis. */
    public record Marker(long micros, String label) {
    }

    public static final String SERIAL_LANE = Mode.SERIAL.word();

    private final Map<String, TimelineLane> lanes = new LinkedHashMap<>();
    private final List<TimelineBar> bars = new ArrayList<>();
    private final List<Marker> markers = new ArrayList<>();
    private final Map<String, TimelineBar> running = new HashMap<>();
    private final Map<String, List<TimelineBar>> busyRows = new HashMap<>();
    /**
     * Per lane, images sent to the engine beyond its slots (prefetched, or the rest of a group), in the order the
     * engine will take them: each gets its running bar when a slot's bar ends. Drawn at once, a group of 30 images
     * on a one-slot engine made 30 rows of running bars that collapsed into one when they finished.
     */
    private final Map<String, ArrayDeque<ProgressEvent.ImageStarted>> waiting = new HashMap<>();
    /** The lane each waiting image (by {@link #key}) waits in. */
    private final Map<String, String> waitingLane = new HashMap<>();
    /** Per lane, per row, the latest finished intervals: finished bars are packed by their engine times. */
    private final Map<String, List<List<long[]>>> finishedRows = new HashMap<>();
    private final ReadOnlyIntegerWrapper revision = new ReadOnlyIntegerWrapper(this, "revision");
    private long originMicros;
    private long nowMicros;
    private String run = "";

    public ReadOnlyIntegerProperty revisionProperty() {
        return revision.getReadOnlyProperty();
    }

    public List<TimelineLane> lanes() {
        return Collections.unmodifiableList(new ArrayList<>(lanes.values()));
    }

    public List<TimelineBar> bars() {
        return Collections.unmodifiableList(bars);
    }

    public List<Marker> markers() {
        return Collections.unmodifiableList(markers);
    }

    /** Where the time axis starts (the first run's start), epoch microseconds; 0 before any run. */
    public long originMicros() {
        return originMicros;
    }

    /** The latest time the axis must show. */
    public long endMicros() {
        long end = nowMicros;
        for (TimelineBar bar : bars) {
            end = Math.max(end, Math.max(bar.startMicros, bar.endMicros));
        }
        return end;
    }

    @Override
    public void onRunEvents(List<RunEvent> events) {
        for (RunEvent e : events) {
            if (e instanceof RunEvent.RunStarted) {
                clear();
            } else if (e instanceof RunEvent.ModeStarted st) {
                runStarted(st.mode().word(), st.engines(), st.micros());
            } else if (e instanceof RunEvent.Progress p) {
                event(p.event(), p.micros());
            } else if (e instanceof RunEvent.RunEnded end && end.outcome().cancelled()) {
                abandonRunning(end.micros());
            }
        }
        changed();
    }

    @Override
    public void onClockTick(long nowMicros) {
        tick(nowMicros);
    }

    public void clear() {
        lanes.clear();
        bars.clear();
        markers.clear();
        running.clear();
        busyRows.clear();
        waiting.clear();
        waitingLane.clear();
        finishedRows.clear();
        originMicros = 0;
        nowMicros = 0;
        bump();
    }

    /**
     * A run starts: its marker, and its lanes (the serial lane, or one lane per engine with a row per slot).
     *
     * @param engines the engines of a distributed run; empty for serial
     */
    public void runStarted(String runName, List<EngineInfo> engines, long nowMicros) {
        this.run = runName;
        if (originMicros == 0) {
            originMicros = nowMicros;
        }
        this.nowMicros = nowMicros;
        markers.add(new Marker(nowMicros, runName));
        if (engines.isEmpty()) {
            lanes.computeIfAbsent(SERIAL_LANE, k -> new TimelineLane(k, Mode.SERIAL.word(), 1));
        }
        for (EngineInfo e : engines) {
            addLane(e);
        }
        bump();
    }

    /** One event of the current run; {@code nowMicros} is the client's clock when it arrived. */
    public void event(ProgressEvent event, long nowMicros) {
        this.nowMicros = Math.max(this.nowMicros, nowMicros);
        if (event instanceof ProgressEvent.ImageStarted s) {
            String lane = laneKey(s.engineId());
            if (!lanes.containsKey(lane)) {
                lanes.put(lane, new TimelineLane(lane, "engine " + s.engineId(), 1));
            }
            if (busyRows.getOrDefault(lane, List.of()).size() < lanes.get(lane).slots) {
                start(lane, s, nowMicros);
            } else {
                waiting.computeIfAbsent(lane, k -> new ArrayDeque<>()).add(s);
                waitingLane.put(key(s.job().index()), lane);
            }
        } else if (event instanceof ProgressEvent.ImageFinished f) {
            String k = key(f.job().index());
            TimelineBar bar = running.remove(k);
            if (bar != null) {
                finish(bar, f.result(), nowMicros);
                startWaiting(bar.lane, nowMicros);
            } else if (waitingLane.containsKey(k)) {
                // a group's answers come together: an image that never had a running bar gets its finished one,
                // placed by the engine's own times
                String lane = waitingLane.get(k);
                ProgressEvent.ImageStarted s = unqueue(k);
                TimelineBar done = new TimelineBar(lane, 0, s.job().relativePath(), run, nowMicros, s.attempt());
                bars.add(done);
                finish(done, f.result(), nowMicros);
            }
        } else if (event instanceof ProgressEvent.ImageRequeued q) {
            String k = key(q.job().index());
            TimelineBar bar = running.remove(k);
            if (bar != null) {
                bar.endMicros = Math.max(bar.startMicros + 1, nowMicros);
                bar.state = TimelineBar.State.ABANDONED;
                bar.detail = "engine lost: " + q.why();
                release(bar);
                pack(bar);
                startWaiting(bar.lane, nowMicros);
            } else if (waitingLane.containsKey(k)) {
                // sent, never started there: it goes elsewhere and gets its bar there
                unqueue(k);
            }
        } else if (event instanceof ProgressEvent.EngineJoined j) {
            addLane(j.engine());
        } else if (event instanceof ProgressEvent.EngineGone g) {
            TimelineLane lane = lanes.get(laneKey(g.engine().id()));
            if (lane != null) {
                lane.gone = true;
                lane.label = lane.label + " (gone)";
            }
        }
    }

    /** A running bar for {@code s} in a free row of {@code lane}, from {@code now}. */
    private void start(String lane, ProgressEvent.ImageStarted s, long now) {
        int row = freeRow(lane);
        TimelineBar bar = new TimelineBar(lane, row, s.job().relativePath(), run, now, s.attempt());
        bar.bytesIn = s.job().sizeBytes();
        bar.detail = "attempt " + s.attempt();
        busyRows.computeIfAbsent(lane, k -> new ArrayList<>()).add(bar);
        running.put(key(s.job().index()), bar);
        bars.add(bar);
    }

    /** Images waiting in {@code lane} start, in order, while it has a free slot. */
    private void startWaiting(String lane, long now) {
        ArrayDeque<ProgressEvent.ImageStarted> queue = waiting.get(lane);
        TimelineLane l = lanes.get(lane);
        // a lost engine starts nothing more: what waited there is requeued and gets its bar elsewhere
        while (queue != null && !queue.isEmpty() && l != null && !l.gone
                && busyRows.getOrDefault(lane, List.of()).size() < l.slots) {
            ProgressEvent.ImageStarted s = queue.poll();
            waitingLane.remove(key(s.job().index()));
            start(lane, s, now);
        }
    }

    /** Takes the waiting image of key {@code k} out of its lane's queue. */
    private ProgressEvent.ImageStarted unqueue(String k) {
        String lane = waitingLane.remove(k);
        ArrayDeque<ProgressEvent.ImageStarted> queue = waiting.get(lane);
        ProgressEvent.ImageStarted found = null;
        for (ProgressEvent.ImageStarted s : queue) {
            if (key(s.job().index()).equals(k)) {
                found = s;
                break;
            }
        }
        queue.remove(found);
        return found;
    }

    /** After a batch of events: redraw. */
    public void changed() {
        bump();
    }

    /** The clock ticks during a run, so running bars grow. */
    public void tick(long nowMicros) {
        this.nowMicros = Math.max(this.nowMicros, nowMicros);
        if (!running.isEmpty()) {
            bump();
        }
    }

    /** A run was cancelled: bars still running end now, as abandoned. */
    public void abandonRunning(long nowMicros) {
        for (TimelineBar bar : running.values()) {
            bar.endMicros = Math.max(bar.startMicros + 1, nowMicros);
            bar.state = TimelineBar.State.ABANDONED;
            bar.detail = "cancelled";
            release(bar);
            pack(bar);
        }
        running.clear();
        busyRows.clear();
        waiting.clear();
        waitingLane.clear();
        bump();
    }

    private void finish(TimelineBar bar, FileResult result, long now) {
        TaskTrace t = result.trace();
        if (t != null && t.startedMicros() > 0 && t.finishedMicros() >= t.startedMicros()) {
            bar.startMicros = t.startedMicros();
            bar.endMicros = Math.max(t.finishedMicros(), t.startedMicros() + 1);
        } else {
            bar.endMicros = Math.max(bar.startMicros + 1, now);
        }
        bar.bytesIn = result.bytesIn();
        bar.bytesOut = result.bytesOut();
        if (result.status() == FileStatus.FAILED) {
            bar.state = TimelineBar.State.FAILED;
            bar.detail = "failed at " + (result.stage() == null ? "?" : result.stage().label()) + ": "
                    + result.reason();
        } else {
            bar.state = bar.attempt > 1 ? TimelineBar.State.RERUN : TimelineBar.State.DONE;
            bar.detail = (bar.attempt > 1 ? "re-run after failover, attempt " + bar.attempt + " · " : "")
                    + BatchPlanner.humanBytes(result.bytesIn()) + " in, " + BatchPlanner.humanBytes(result.bytesOut())
                    + " out";
        }
        release(bar);
        pack(bar);
    }

    /**
     * Puts a finished bar in the lowest row of its lane where it overlaps no other finished bar: a bar is placed
     * when its image is sent (which, with prefetch, is before the engine starts it), and moved here to where it
     * really ran, so an engine with one slot shows one row.
     */
    private void pack(TimelineBar bar) {
        List<List<long[]>> rows = finishedRows.computeIfAbsent(bar.lane, k -> new ArrayList<>());
        int row = 0;
        while (row < rows.size() && overlaps(rows.get(row), bar.startMicros, bar.endMicros)) {
            row++;
        }
        if (row == rows.size()) {
            rows.add(new ArrayList<>());
        }
        List<long[]> intervals = rows.get(row);
        intervals.add(new long[] {bar.startMicros, bar.endMicros});
        if (intervals.size() > 64) {
            intervals.remove(0);
        }
        bar.row = row;
        resize(bar.lane);
    }

    private static boolean overlaps(List<long[]> intervals, long start, long end) {
        for (long[] i : intervals) {
            if (start < i[1] && i[0] < end) {
                return true;
            }
        }
        return false;
    }

    /** A lane is as tall as its slots, its packed finished rows, and the rows of what is running now. */
    private void resize(String laneKey) {
        TimelineLane lane = lanes.get(laneKey);
        if (lane == null) {
            return;
        }
        int rows = Math.max(lane.slots, finishedRows.getOrDefault(laneKey, List.of()).size());
        for (TimelineBar b : busyRows.getOrDefault(laneKey, List.of())) {
            rows = Math.max(rows, b.row + 1);
        }
        lane.rows = rows;
    }

    private void release(TimelineBar bar) {
        List<TimelineBar> busy = busyRows.get(bar.lane);
        if (busy != null) {
            busy.remove(bar);
        }
    }

    private int freeRow(String lane) {
        List<TimelineBar> busy = busyRows.getOrDefault(lane, List.of());
        TimelineLane l = lanes.get(lane);
        for (int row = 0; ; row++) {
            final int r = row;
            if (busy.stream().noneMatch(b -> b.row == r)) {
                if (row >= l.rows) {
                    l.rows = row + 1;
                }
                return row;
            }
        }
    }

    private void addLane(EngineInfo e) {
        String k = laneKey(e.id());
        TimelineLane lane = lanes.get(k);
        String label = "engine " + e.id() + " · " + e.name();
        if (lane == null) {
            lanes.put(k, new TimelineLane(k, label, e.slots()));
        } else {
            lane.slots = Math.max(1, e.slots());
            lane.rows = Math.max(lane.rows, e.slots());
            lane.gone = false;
            lane.label = label;
        }
    }

    private String key(int jobIndex) {
        return run + ":" + jobIndex;
    }

    private static String laneKey(int engineId) {
        return engineId == TaskTrace.SERIAL ? SERIAL_LANE : "engine-" + engineId;
    }

    private void bump() {
        revision.set(revision.get() + 1);
    }
}
