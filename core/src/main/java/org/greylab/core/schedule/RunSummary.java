package org.greylab.core.schedule;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.greylab.core.job.FileResult;
import org.greylab.core.job.TaskTrace;

/**
 * Where a distributed run's time went, per engine and per task, derived only from the measured {@link TaskTrace}s
 * of its results (what the bench prints). Rows that never reached an engine (read failures, serial rows) are left
 * out; an engine that got nothing still has its row.
 *
 * @param wallNanos the run's wall time
 * @param images    rows that ran on an engine
 * @param engines   one row per engine, by id
 * @param overhead  the client-side cost of sending a task, beyond the engine's compute time
 * @param tasks     how the images travelled: how many tasks, how many images each carried
 */
public record RunSummary(long wallNanos, int images, List<EngineSummary> engines, DispatchOverhead overhead,
                         Tasks tasks) {

    public RunSummary {
        engines = List.copyOf(engines);
    }

    /**
     * One engine's part of the run.
     *
     * @param busyMicros    sum of its compute spans (engine finish - engine start); above the wall time when it
     *                      runs several images at once
     * @param idleMicros    slot time it did not compute: wall time x slots - busy time (never negative)
     * @param shareOfImages its images / all images that ran on engines
     * @param shareOfPixels its output pixels / all output pixels (how ipyparallel's DirectView imbalance shows)
     * @param shareOfBusy   its busy time / all engines' busy time
     */
    public record EngineSummary(int engineId, int slots, int images, long pixels, long busyMicros, long idleMicros,
                                double shareOfImages, double shareOfPixels, double shareOfBusy) {
    }

    /**
     * Per task: (client received - client submitted) - the engine's compute time for its images (finished - started,
     * summed), in microseconds.
     */
    public record DispatchOverhead(int tasks, double meanMicros, long medianMicros, long maxMicros) {
        public static final DispatchOverhead NONE = new DispatchOverhead(0, 0, 0, 0);
    }

    /**
     * The tasks that carried the run's images to engines (several images may travel in one).
     *
     * @param count               tasks
     * @param minImages           fewest images in one task
     * @param maxImages           most images in one task
     * @param overheadPerImageMicros the dispatch overhead of all tasks together, per image
     */
    public record Tasks(int count, int minImages, int maxImages, double overheadPerImageMicros) {
        public static final Tasks NONE = new Tasks(0, 0, 0, 0);

        /** Mean images per task. */
        public double meanImages(int images) {
            return count == 0 ? 0 : (double) images / count;
        }
    }

    /** The summary of {@code results}; {@code engines} gives every engine's slots (and the ones that got nothing). */
    public static RunSummary of(List<FileResult> results, long wallNanos, Collection<EngineInfo> engines) {
        Map<Integer, Integer> slots = new TreeMap<>();
        for (EngineInfo e : engines) {
            slots.put(e.id(), Math.max(1, e.slots()));
        }
        return of(results, wallNanos, slots);
    }

    /** As {@link #of(List, long, Collection)}, with slots by engine id (an engine not listed counts one slot). */
    public static RunSummary of(List<FileResult> results, long wallNanos, Map<Integer, Integer> slotsByEngine) {
        Map<Integer, long[]> perEngine = new TreeMap<>(); // images, pixels, busy
        for (Integer id : slotsByEngine.keySet()) {
            perEngine.put(id, new long[3]);
        }
        // by task: {submitted, received, busy, images, complete}; an image alone has its own key
        Map<Long, long[]> tasks = new java.util.LinkedHashMap<>();
        long ownKey = -1;
        int images = 0;
        long allPixels = 0;
        long allBusy = 0;
        for (FileResult r : results) {
            TaskTrace t = r.trace();
            if (t == null || !t.ranOnEngine() || t.attempt() < 1) {
                continue;
            }
            images++;
            long busy = Math.max(0, t.finishedMicros() - t.startedMicros());
            long[] e = perEngine.computeIfAbsent(t.engineId(), id -> new long[3]);
            e[0]++;
            e[1] += r.pixels();
            e[2] += busy;
            allPixels += r.pixels();
            allBusy += busy;
            long key = t.taskId() > 0 ? t.taskId() : ownKey--;
            long[] task = tasks.computeIfAbsent(key, k -> new long[] {t.submittedMicros(), t.receivedMicros(), 0, 0,
                    1});
            task[2] += busy;
            task[3]++;
            if (t.startedMicros() <= 0 || t.receivedMicros() <= 0) {
                task[4] = 0;
            }
        }
        List<Long> overheads = new ArrayList<>();
        int minImages = Integer.MAX_VALUE;
        int maxImages = 0;
        long overheadSum = 0;
        long overheadImages = 0;
        for (long[] task : tasks.values()) {
            minImages = (int) Math.min(minImages, task[3]);
            maxImages = (int) Math.max(maxImages, task[3]);
            if (task[4] == 1) {
                long overhead = (task[1] - task[0]) - task[2];
                overheads.add(overhead);
                overheadSum += overhead;
                overheadImages += task[3];
            }
        }
        Tasks taskCounts = tasks.isEmpty() ? Tasks.NONE : new Tasks(tasks.size(), minImages, maxImages,
                overheadImages == 0 ? 0 : (double) overheadSum / overheadImages);
        long wallMicros = wallNanos / 1_000;
        List<EngineSummary> rows = new ArrayList<>();
        for (Map.Entry<Integer, long[]> entry : perEngine.entrySet()) {
            long[] e = entry.getValue();
            int slots = Math.max(1, slotsByEngine.getOrDefault(entry.getKey(), 1));
            rows.add(new EngineSummary(entry.getKey(), slots, (int) e[0], e[1], e[2],
                    Math.max(0, wallMicros * slots - e[2]), share(e[0], images), share(e[1], allPixels),
                    share(e[2], allBusy)));
        }
        return new RunSummary(wallNanos, images, rows, overhead(overheads), taskCounts);
    }

    private static double share(long part, long whole) {
        return whole == 0 ? 0 : (double) part / whole;
    }

    private static DispatchOverhead overhead(List<Long> micros) {
        if (micros.isEmpty()) {
            return DispatchOverhead.NONE;
        }
        micros.sort(null);
        double mean = micros.stream().mapToLong(Long::longValue).average().orElse(0);
        return new DispatchOverhead(micros.size(), mean, micros.get(micros.size() / 2), micros.get(micros.size() - 1));
    }
}
