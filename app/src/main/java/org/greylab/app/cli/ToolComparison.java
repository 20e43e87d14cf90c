package org.greylab.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.greylab.core.job.BatchPlan;
import org.greylab.core.job.ImageJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bench --compare-tools}: the same images, in the same run, through whichever of libvips, OpenCV and
 * ImageMagick are installed, each on one thread, to grey PNG; Greylab's serial time against each tool's. A tool's
 * time is its whole command (process start included: one process for all images where the tool has a batch form,
 * one per image for vips); Greylab's is serial's median wall time in this process, start-up excluded, so the ratio
 * favours the tools by their start-up.
 */
final class ToolComparison {

    private static final Logger LOG = LoggerFactory.getLogger(ToolComparison.class);
    private static final long TOOL_TIMEOUT_MINUTES = 30;
    /** OpenCV the way its users would: one thread, imread, cvtColor, imwrite at PNG compression 1. */
    private static final String OPENCV_SCRIPT = String.join("\n",
            "import sys, cv2",
            "cv2.setNumThreads(1)",
            "out = sys.argv[1]",
            "for i, path in enumerate(sys.argv[2:]):",
            "    image = cv2.imread(path, cv2.IMREAD_COLOR)",
            "    if image is None:",
            "        sys.exit('cannot read ' + path)",
            "    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)",
            "    cv2.imwrite(out + '/' + str(i) + '.png', grey, [cv2.IMWRITE_PNG_COMPRESSION, 1])",
            "");

    /** One tool's run: its wall time and the bytes it wrote, or why it did not run. */
    record ToolRun(String tool, String command, double seconds, long outputBytes, String failure) {
        boolean ran() {
            return failure == null;
        }
    }

    private final BatchPlan plan;
    private final Path scratch;

    ToolComparison(BatchPlan plan, Path scratch) {
        this.plan = plan;
        this.scratch = scratch;
    }

    /** Runs every installed tool once; a tool that is not installed is left out. */
    List<ToolRun> run() throws IOException {
        List<String> inputs = plan.jobs().stream().map(ImageJob::source).map(p -> p.toAbsolutePath().toString())
                .toList();
        List<ToolRun> runs = new ArrayList<>();
        if (found("vips", "--version")) {
            Path out = Files.createDirectories(scratch.resolve("tool-vips"));
            Map<String, String> env = Map.of("VIPS_CONCURRENCY", "1");
            long t0 = System.nanoTime();
            String failure = null;
            for (int i = 0; i < inputs.size() && failure == null; i++) {
                failure = exec(List.of("vips", "colourspace", inputs.get(i), out.resolve(i + ".png").toString(),
                        "b-w"), env);
            }
            runs.add(new ToolRun("libvips", "vips colourspace IN OUT.png b-w (one process per image)",
                    (System.nanoTime() - t0) / 1e9, size(out), failure));
        }
        Optional<String> python = python();
        if (python.isPresent()) {
            Path out = Files.createDirectories(scratch.resolve("tool-opencv"));
            List<String> command = new ArrayList<>(List.of(python.get(), "-c", OPENCV_SCRIPT, out.toString()));
            command.addAll(inputs);
            long t0 = System.nanoTime();
            String failure = exec(command, Map.of());
            runs.add(new ToolRun("OpenCV", "python3: imread, cvtColor, imwrite (PNG level 1), one thread",
                    (System.nanoTime() - t0) / 1e9, size(out), failure));
        }
        if (found("mogrify", "-version")) {
            Path out = Files.createDirectories(scratch.resolve("tool-imagemagick"));
            List<String> command = new ArrayList<>(List.of("mogrify", "-path", out.toString(), "-format", "png",
                    "-colorspace", "gray"));
            command.addAll(inputs);
            long t0 = System.nanoTime();
            String failure = exec(command, Map.of("MAGICK_THREAD_LIMIT", "1", "OMP_NUM_THREADS", "1"));
            runs.add(new ToolRun("ImageMagick", "mogrify -format png -colorspace gray (one process), one thread",
                    (System.nanoTime() - t0) / 1e9, size(out), failure));
        }
        return runs;
    }

    /** Prints each tool's time and Greylab's serial time over it (above 1: Greylab is faster). */
    static void print(PrintWriter out, List<ToolRun> runs, Double serialSeconds, long serialBytes, boolean png) {
        out.println();
        if (runs.isEmpty()) {
            out.println("Tools compared: none installed (vips, python3 with cv2, ImageMagick's mogrify)");
            return;
        }
        out.println("Tools on the same images, one thread each, to grey PNG (whole command, start-up included):");
        for (ToolRun r : runs) {
            if (!r.ran()) {
                out.printf(Locale.ROOT, "  %-12s did not finish: %s%n", r.tool(), r.failure());
                continue;
            }
            String ratio = serialSeconds == null ? "(no serial run to compare)" : String.format(Locale.ROOT,
                    "Greylab serial is %.2f x as fast; output %.2f x its bytes", r.seconds() / serialSeconds,
                    r.outputBytes() == 0 ? Double.NaN : (double) serialBytes / r.outputBytes());
            out.printf(Locale.ROOT, "  %-12s %7.2f s  %s%n", r.tool(), r.seconds(), ratio);
        }
        if (!png) {
            out.println("  (Greylab wrote its default format, not PNG: give -f png for a like-for-like comparison)");
        }
    }

    private static Optional<String> python() {
        for (String candidate : List.of("python3", "/usr/bin/python3")) {
            if (exec(List.of(candidate, "-c", "import cv2"), Map.of()) == null) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static boolean found(String tool, String versionFlag) {
        return exec(List.of(tool, versionFlag), Map.of()) == null;
    }

    /** Null when the command ran and exited 0, else why not. */
    private static String exec(List<String> command, Map<String, String> env) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(env);
            Process process = builder.start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(TOOL_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return "still running after " + TOOL_TIMEOUT_MINUTES + " minutes";
            }
            if (process.exitValue() != 0) {
                String text = new String(output, StandardCharsets.UTF_8).strip();
                return "exit " + process.exitValue() + (text.isEmpty() ? "" : ": " + text.lines().findFirst()
                        .orElse(""));
            }
            return null;
        } catch (IOException e) {
            LOG.debug("{} did not start", command.get(0), e);
            return "not installed";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static long size(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            return files.mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
