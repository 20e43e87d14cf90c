package org.greylab.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.greylab.core.image.ConversionSettings;
import org.greylab.core.image.GreyscaleKernel;
import org.greylab.core.image.ImageFormat;
import org.greylab.core.job.BatchPlan;
import org.greylab.core.job.FileResult;
import org.greylab.core.job.FileStatus;
import org.greylab.core.job.ImageJob;
import org.greylab.core.job.ImagePipeline;
import org.greylab.core.job.OverwritePolicy;
import org.greylab.core.testing.Samples;

/** The repository's sample photos as a hand-built plan (the scanner and planner live elsewhere). */
final class SampleImages {

    static final ImagePipeline PIPELINE = new ImagePipeline(new GreyscaleKernel());

    private SampleImages() {
    }

    /** A plan converting every sample photo ({@link Samples#images()}) into {@code output}, same names. */
    static BatchPlan plan(Path output) throws IOException {
        return plan(Samples.images(), output);
    }

    /** A plan converting {@code sources} (under the samples folder or not) into {@code output}, same names. */
    static BatchPlan plan(List<Path> sources, Path output) throws IOException {
        List<ImageJob> jobs = new ArrayList<>();
        for (Path p : sources) {
            String rel = p.startsWith(Samples.folder()) ? Samples.relative(Samples.folder(), p)
                    : p.getFileName().toString();
            ImageFormat format = Files.exists(p) ? sniff(p) : ImageFormat.PNG;
            jobs.add(new ImageJob(jobs.size(), p, rel, rel, Files.exists(p) ? Files.size(p) : 0, format));
        }
        return new BatchPlan(List.of(Samples.folder()), output, ConversionSettings.defaults(), OverwritePolicy.SKIP,
                jobs, List.of());
    }

    /** Serial mode's outputs for the plan (written under its output folder), by output path. */
    static Map<String, byte[]> serialOutputs(BatchPlan plan) throws IOException, InterruptedException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (ImageJob job : plan.jobs()) {
            FileResult r = PIPELINE.convertLocally(plan, job);
            assertThat(r.status()).as(job.relativePath()).isEqualTo(FileStatus.CONVERTED);
            out.put(job.outputPath(), Files.readAllBytes(plan.outputRoot().resolve(job.outputPath())));
        }
        return out;
    }

    private static ImageFormat sniff(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return ImageFormat.sniff(in.readNBytes(ImageFormat.SNIFF_BYTES)).orElse(ImageFormat.PNG);
        }
    }
}
