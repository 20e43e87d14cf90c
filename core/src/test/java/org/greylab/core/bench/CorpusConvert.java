package org.greylab.core.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.greylab.core.image.ConversionResult;
import org.greylab.core.image.ConversionSettings;
import org.greylab.core.image.GreyscaleKernel;
import org.greylab.core.image.OutputFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serial kernel as one cold process, for timing the whole process against another tool's command line: converts
 * every JPEG of a folder to a grey PNG in another folder, one thread, and logs the stage totals and output bytes.
 *
 * <pre>java -cp CLASSPATH org.greylab.core.bench.CorpusConvert IN_DIR OUT_DIR [zlib-level] [filter]</pre>
 */
public final class CorpusConvert {

    private static final Logger LOG = LoggerFactory.getLogger(CorpusConvert.class);

    private CorpusConvert() {
    }

    public static void main(String[] args) throws Exception {
        Path in = Path.of(args[0]);
        Path out = Files.createDirectories(Path.of(args[1]));
        ConversionSettings settings = ConversionSettings.defaults().withFormat(OutputFormat.PNG);
        if (args.length > 3) {
            settings = settings.withPng(Integer.parseInt(args[2]), org.greylab.core.image.PngFilter.valueOf(args[3]));
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(in)) {
            files = s.filter(p -> p.getFileName().toString().matches("(?i).*\\.jpe?g")).sorted().toList();
        }
        GreyscaleKernel kernel = new GreyscaleKernel();
        long read = 0;
        long decode = 0;
        long convert = 0;
        long encode = 0;
        long write = 0;
        long bytes = 0;
        long pixels = 0;
        for (Path f : files) {
            long t0 = System.nanoTime();
            byte[] input = Files.readAllBytes(f);
            long t1 = System.nanoTime();
            ConversionResult r = kernel.convert(input, settings);
            long t2 = System.nanoTime();
            Files.write(out.resolve(f.getFileName() + ".png"), r.output());
            long t3 = System.nanoTime();
            read += t1 - t0;
            decode += r.timings().decodeNanos();
            convert += r.timings().convertNanos();
            encode += r.timings().encodeNanos();
            write += t3 - t2;
            bytes += r.output().length;
            pixels += r.pixels();
        }
        LOG.info("{} files, {} MP: read {} ms, decode {} ms, convert {} ms, encode {} ms, write {} ms; {} bytes out",
                files.size(), pixels / 1_000_000, read / 1_000_000, decode / 1_000_000, convert / 1_000_000,
                encode / 1_000_000, write / 1_000_000, bytes);
    }
}
