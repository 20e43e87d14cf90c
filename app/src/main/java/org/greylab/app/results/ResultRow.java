package org.greylab.app.results;

import org.greylab.core.run.ModeResult;
import org.greylab.core.schedule.Mode;

/**
 * One mode's timings, as the results table shows and exports them.
 *
 * @param mode                the mode
 * @param engines             engines used (0 for serial)
 * @param slots               images converted at once in total (1 for serial)
 * @param images              images converted
 * @param wallSeconds         wall time of the run (cluster start-up excluded)
 * @param imagesPerSecond     converted images per second of wall time
 * @param megapixelsPerSecond converted megapixels per second of wall time
 * @param speedup             the same images' serial wall time over this one (NaN when serial was not measured)
 * @param efficiency          speedup / slots (NaN when there is no speedup)
 * @param failed              images that failed
 */
public record ResultRow(Mode mode, int engines, int slots, int images, double wallSeconds,
                        double imagesPerSecond, double megapixelsPerSecond, double speedup, double efficiency,
                        int failed) {

    public static ResultRow of(ModeResult r) {
        return new ResultRow(r.mode(), r.engineCount(), r.slots(), r.converted(), r.wallSeconds(),
                r.imagesPerSecond(), r.megapixelsPerSecond(), r.speedup() == null ? Double.NaN : r.speedup(),
                r.efficiency() == null ? Double.NaN : r.efficiency(), r.failed());
    }
}
