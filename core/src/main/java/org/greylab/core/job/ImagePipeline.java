package org.greylab.core.job;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.greylab.core.image.ConversionException;
import org.greylab.core.image.ConversionResult;
import org.greylab.core.image.GreyscaleKernel;
import org.greylab.core.image.Stage;
import org.greylab.core.image.StageTimings;

/**
 * The client's side of one image, shared by every strategy: read the input's bytes, and write an output
 * atomically under the output folder. Serial mode also runs the kernel here; the distributed modes run it on
 * an engine between {@link #readInput} and {@link #writeOutput}.
 *
 * <p>BASELINE: the batch work refines writing (policies, containment) behind these same signatures.
 */
public final class ImagePipeline {

    private final GreyscaleKernel kernel;

    public ImagePipeline(GreyscaleKernel kernel) {
        this.kernel = kernel;
    }

    public GreyscaleKernel kernel() {
        return kernel;
    }

    /** Reads the whole input file (stage READ). Never modifies it. */
    public byte[] readInput(ImageJob job) throws ConversionException {
        try {
            return Files.readAllBytes(job.source());
        } catch (IOException e) {
            throw new ConversionException(Stage.READ, "the file could not be read: " + e.getMessage(), e);
        }
    }

    /**
     * Writes a converted image to its planned output path: a temporary file in the same folder, then an atomic
     * move, so no partial file is ever seen under the output name. Running this twice for one job is harmless.
     *
     * @return the converted row, or a failed row at stage WRITE
     */
    public FileResult writeOutput(BatchPlan plan, ImageJob job, ConversionResult result, StageTimings timings,
                                  TaskTrace trace) {
        long t0 = System.nanoTime();
        Path target = plan.outputRoot().resolve(job.outputPath()).normalize();
        try {
            if (!target.startsWith(plan.outputRoot().normalize())) {
                throw new IOException("the output path leaves the output folder");
            }
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), ".greylab-", ".part");
            try {
                Files.write(tmp, result.output());
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            return FileResult.failed(job.relativePath(), Stage.WRITE, "the output could not be written: "
                    + e.getMessage(), job.sizeBytes(), timings.withWrite(System.nanoTime() - t0), trace);
        }
        return new FileResult(job.relativePath(), job.outputPath(), FileStatus.CONVERTED, null, null,
                result.warnings(), job.sizeBytes(), result.output().length, result.pixels(),
                timings.withWrite(System.nanoTime() - t0), trace);
    }

    /** Serial mode: read, convert and write in the calling thread. */
    public FileResult convertLocally(BatchPlan plan, ImageJob job) throws InterruptedException {
        long started = nowMicros();
        long t0 = System.nanoTime();
        byte[] input;
        try {
            input = readInput(job);
        } catch (ConversionException e) {
            return FileResult.failed(job.relativePath(), e.stage(), e.reason(), job.sizeBytes(),
                    StageTimings.NONE.withRead(System.nanoTime() - t0), TaskTrace.NONE);
        }
        long readNanos = System.nanoTime() - t0;
        try {
            ConversionResult result = kernel.convert(input, plan.settings());
            long finished = nowMicros();
            TaskTrace trace = new TaskTrace(TaskTrace.SERIAL, 1, started, started, finished, finished, 0, 0);
            return writeOutput(plan, job, result, result.timings().withRead(readNanos), trace);
        } catch (ConversionException e) {
            long finished = nowMicros();
            return FileResult.failed(job.relativePath(), e.stage(), e.reason(), job.sizeBytes(),
                    StageTimings.NONE.withRead(readNanos),
                    new TaskTrace(TaskTrace.SERIAL, 1, started, started, finished, finished, 0, 0));
        }
    }

    /** Epoch microseconds, the unit of {@link TaskTrace}. */
    public static long nowMicros() {
        Instant now = Instant.now();
        return ChronoUnit.MICROS.between(Instant.EPOCH, now);
    }
}
