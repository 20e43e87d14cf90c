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
import java.util.stream.Stream;
import org.greylab.core.image.ConversionSettings;
import org.greylab.core.image.GreyscaleKernel;
import org.greylab.core.image.ImageFormat;
import org.greylab.core.job.BatchPlan;
import org.greylab.core.job.FileResult;
import org.greylab.core.job.FileStatus;
import org.greylab.core.job.ImageJob;
import org.greylab.core.job.ImagePipeline;
import org.greylab.core.job.OverwritePolicy;

/** The repository's sample photos as a hand-built plan (the scanner and planner live elsewhere). */
final class SampleImages {

    static final ImagePipeline PIPELINE = new ImagePipeline(new GreyscaleKernel());

    private SampleImages() {
    }

    static Path folder() {
        return Path.of(System.getProperty("greylab.repo.dir"), "assets", "samples");
    }

    /** Every sample photo, sorted by relative path. */
    static List<Path> files() throws IOException {
        Path root = folder();
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> ImageFormat.fromExtension(p.getFileName().toString()).isPresent())
                    .sorted((a, b) -> relative(root, a).compareTo(relative(root, b)))
                    .toList();
        }
    }

    static BatchPlan plan(Path output) throws IOException {
        return plan(files(), output);
    }

    /** A plan converting {@code sources} (under the samples folder or not) into {@code output}, same names. */
    static BatchPlan plan(List<Path> sources, Path output) throws IOException {
        List<ImageJob> jobs = new ArrayList<>();
        for (Path p : sources) {
            String rel = p.startsWith(folder()) ? relative(folder(), p) : p.getFileName().toString();
            ImageFormat format = Files.exists(p) ? sniff(p) : ImageFormat.PNG;
            jobs.add(new ImageJob(jobs.size(), p, rel, rel, Files.exists(p) ? Files.size(p) : 0, format));
        }
        return new BatchPlan(List.of(folder()), output, ConversionSettings.defaults(), OverwritePolicy.SKIP, jobs,
                List.of());
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

    /** Every file under {@code folder}, by '/'-separated relative path. */
    static List<String> filesUnder(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(folder)) {
            return s.filter(Files::isRegularFile).map(p -> relative(folder, p)).sorted().toList();
        }
    }

    private static String relative(Path root, Path p) {
        return root.relativize(p).toString().replace('\\', '/');
    }

    private static ImageFormat sniff(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return ImageFormat.sniff(in.readNBytes(ImageFormat.SNIFF_BYTES)).orElse(ImageFormat.PNG);
        }
    }
}
