package org.greylab.app.results;

/**
 * One run's timings, as the results table shows and exports them.
 *
 * @param mode              serial, direct or balanced
 * @param engines           engines used (0 for serial)
 * @param slots             images converted at once in total (1 for serial)
 * @param images            images converted
 * @param wallSeconds       wall time of the run (cluster start-up excluded)
 * @param imagesPerSecond   converted images per second of wall time
 * @param megapixelsPerSecond converted megapixels per second of wall time
 * @param speedup           this run's throughput over the latest serial run's (NaN when there is none)
 * @param efficiency        speedup / slots (NaN when there is no speedup)
 * @param failed            images that failed
 */
public record ResultRow(String mode, int engines, int slots, int images, double wallSeconds,
                        double imagesPerSecond, double megapixelsPerSecond, double speedup, double efficiency,
                        int failed) {
}
