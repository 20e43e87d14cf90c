package org.greylab.core.run;

import java.util.List;
import org.greylab.core.schedule.EngineInfo;
import org.greylab.core.schedule.Mode;
import org.greylab.core.schedule.RunSummary;
import org.greylab.core.stats.BatchReport;

/**
 * One mode's figures in a run, derived only from measured wall times and rows: what the bench prints, the window's
 * timings table shows and the CLI reports. There is one speedup formula, here: the same plan's serial wall time over
 * this mode's (medians over the repeats), and efficiency is speedup over the slots that ran it.
 *
 * @param mode      the mode
 * @param report    the rows of its last run (cancelled if the run was)
 * @param engines   the engines it ran on (empty for serial)
 * @param wallNanos the wall time of each of its runs, in order
 * @param serialWallNanos the median wall time of serial on the same plan, or null when none was measured
 * @param summary   where a distributed run's time went, per engine (its last run); null for serial
 */
public record ModeResult(Mode mode, BatchReport report, List<EngineInfo> engines, List<Long> wallNanos,
                         Long serialWallNanos, RunSummary summary) {

    public ModeResult {
        engines = List.copyOf(engines);
        wallNanos = List.copyOf(wallNanos);
        if (wallNanos.isEmpty()) {
            throw new IllegalArgumentException("a mode's result needs at least one run");
        }
    }

    /** Engines used: 0 for serial. */
    public int engineCount() {
        return mode.needsEngines() ? engines.size() : 0;
    }

    /** Images converted at once: 1 for serial, the engines' slots otherwise. */
    public int slots() {
        return mode.needsEngines() ? Math.max(1, engines.stream().mapToInt(e -> Math.max(1, e.slots())).sum()) : 1;
    }

    /** The median of its runs' wall times. */
    public long medianWallNanos() {
        return median(wallNanos);
    }

    public double wallSeconds() {
        return medianWallNanos() / 1e9;
    }

    public List<Double> allWallSeconds() {
        return wallNanos.stream().map(n -> n / 1e9).toList();
    }

    public int converted() {
        return report.converted();
    }

    public int failed() {
        return report.failed();
    }

    public double megapixels() {
        return report.megapixels();
    }

    /** Converted images per second of (median) wall time. */
    public double imagesPerSecond() {
        return medianWallNanos() <= 0 ? 0 : report.converted() / wallSeconds();
    }

    /** Converted megapixels per second of (median) wall time. */
    public double megapixelsPerSecond() {
        return medianWallNanos() <= 0 ? 0 : report.megapixels() / wallSeconds();
    }

    /** Serial's wall time over this mode's, on the same plan; null when serial was not measured on it. */
    public Double speedup() {
        if (serialWallNanos == null || medianWallNanos() <= 0) {
            return null;
        }
        return (double) serialWallNanos / medianWallNanos();
    }

    /** Speedup over the slots that ran it (1 is perfect scaling); null without a speedup. */
    public Double efficiency() {
        Double speedup = speedup();
        return speedup == null ? null : speedup / slots();
    }

    static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
