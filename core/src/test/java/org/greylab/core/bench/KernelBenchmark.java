package org.greylab.core.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.greylab.core.image.ConversionResult;
import org.greylab.core.image.ConversionSettings;
import org.greylab.core.image.GreyFormula;
import org.greylab.core.image.GreyscaleKernel;
import org.greylab.core.image.KernelStages;
import org.greylab.core.image.OutputFormat;
import org.greylab.core.image.PngFilter;
import org.greylab.core.testing.Samples;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The kernel per stage, one thread, on real photos: every JPEG of {@code greylab.corpus.dir} (the sample photos of
 * {@code assets/samples} when the corpus is absent), all of them per operation, grey PNG out.
 *
 * <pre>mvn -B -pl core -Pbench test-compile exec:exec [-Dbench.args="-f 1 -wi 2 -i 3 -p pngFilter=PAETH"]</pre>
 *
 * Stages: {@code read} (file to bytes), {@code decode}, {@code convert} (grey + orientation), {@code encode} (PNG),
 * {@code write} (bytes to a file, atomically as the batch does); {@code kernel} is decode+convert+encode through the
 * public {@link GreyscaleKernel#convert}, and {@code serialTotal} is read+kernel+write, what one image costs the
 * serial CLI. {@code encodeTwoThreads} is encode with each image's bands on two threads (the same bytes), and
 * {@code encodeHuffmanOnlyBaseline} the floor encode is measured against: the same filter, then one Huffman-only
 * deflate of the whole image, no PNG around it.
 *
 * <p>{@code kernel} with {@code -t 2 -bm thrpt} against {@code -t 1 -bm thrpt} is what the machine gives two
 * conversions at once, with nothing between them: the ceiling of any speedup two local engines can show over serial.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-XX:+UseParallelGC"})
public class KernelBenchmark {

    @Param({"1"})
    public int pngCompression;

    @Param({"ADAPTIVE"})
    public PngFilter pngFilter;

    /** What {@code kernel} and {@code serialTotal} write: PNG, or KEEP (JPEG stays JPEG, the CLI's default). */
    @Param({"PNG"})
    public OutputFormat format;

    private final GreyscaleKernel kernel = new GreyscaleKernel();
    private ConversionSettings settings;
    private List<Path> files;
    private List<byte[]> inputs;
    private List<KernelStages.Decoded> decoded;
    private List<KernelStages.Grey> greys;
    private List<byte[]> outputs;
    private Path outDir;
    private ExecutorService twoThreads;

    @Setup(Level.Trial)
    public void load() throws Exception {
        settings = ConversionSettings.defaults().withFormat(format).withPng(pngCompression, pngFilter);
        files = photos();
        inputs = new ArrayList<>();
        decoded = new ArrayList<>();
        greys = new ArrayList<>();
        outputs = new ArrayList<>();
        for (Path f : files) {
            byte[] in = Files.readAllBytes(f);
            inputs.add(in);
            KernelStages.Decoded d = KernelStages.decode(in);
            decoded.add(d);
            KernelStages.Grey g = KernelStages.convert(d, GreyFormula.SKIMAGE);
            greys.add(g);
            outputs.add(KernelStages.encodePng(g, pngCompression, pngFilter));
        }
        outDir = Files.createTempDirectory("greylab-bench");
        twoThreads = Executors.newFixedThreadPool(2);
    }

    @TearDown(Level.Trial)
    public void clean() throws IOException {
        twoThreads.shutdownNow();
        try (Stream<Path> s = Files.walk(outDir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static List<Path> photos() throws IOException {
        Path dir = Samples.corpus().orElse(Samples.folder());
        try (Stream<Path> s = Files.walk(dir, 1)) {
            return s.filter(p -> p.getFileName().toString().matches("(?i).*\\.jpe?g")).sorted().toList();
        }
    }

    @Benchmark
    public void read(Blackhole bh) throws IOException {
        for (Path f : files) {
            bh.consume(Files.readAllBytes(f));
        }
    }

    @Benchmark
    public void decode(Blackhole bh) throws Exception {
        for (byte[] in : inputs) {
            bh.consume(KernelStages.decode(in));
        }
    }

    @Benchmark
    public void convert(Blackhole bh) {
        for (KernelStages.Decoded d : decoded) {
            bh.consume(KernelStages.convert(d, GreyFormula.SKIMAGE));
        }
    }

    @Benchmark
    public void encode(Blackhole bh) {
        for (KernelStages.Grey g : greys) {
            bh.consume(KernelStages.encodePng(g, pngCompression, pngFilter));
        }
    }

    @Benchmark
    public void encodeTwoThreads(Blackhole bh) {
        for (KernelStages.Grey g : greys) {
            bh.consume(KernelStages.encodePng(g, pngCompression, pngFilter, twoThreads));
        }
    }

    @Benchmark
    public void encodeHuffmanOnlyBaseline(Blackhole bh) {
        for (KernelStages.Grey g : greys) {
            bh.consume(KernelStages.huffmanOnlyDeflate(g, pngFilter));
        }
    }

    @Benchmark
    public void write() throws IOException {
        for (int i = 0; i < outputs.size(); i++) {
            writeAtomically(outputs.get(i), i);
        }
    }

    @Benchmark
    public void kernel(Blackhole bh) throws Exception {
        for (byte[] in : inputs) {
            bh.consume(kernel.convert(in, settings));
        }
    }

    @Benchmark
    public void serialTotal() throws Exception {
        for (int i = 0; i < files.size(); i++) {
            ConversionResult r = kernel.convert(Files.readAllBytes(files.get(i)), settings);
            writeAtomically(r.output(), i);
        }
    }

    private void writeAtomically(byte[] bytes, int i) {
        try {
            Path tmp = Files.createTempFile(outDir, ".part-", ".png");
            Files.write(tmp, bytes);
            Files.move(tmp, outDir.resolve(i + ".png"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
