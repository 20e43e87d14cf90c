package org.greylab.core.bench;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.greylab.core.image.GreyFormula;
import org.greylab.core.image.GreySteps;
import org.greylab.core.testing.Samples;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The grey step alone, one thread, on a 24 MP 3-byte BGR buffer (a real sample photo, as ImageIO decodes it, tiled
 * to 6000 x 4000): the former per-pixel {@code grey8} loop against {@code GreyRows.rgb8}, and the same pixels
 * packed one to an int ({@code GreyRows.packed8}, the libjpeg-turbo path's). One operation is one
 * pixel, so the score in ops/ns reads as gigapixels per second.
 *
 * <pre>mvn -B -o -pl core -Pbench test-compile exec:exec -Dbench.include=GreyRowsBenchmark -Dbench.args="-f 1 -wi 3 -i 5"</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-XX:+UseParallelGC"})
public class GreyRowsBenchmark {

    private static final int WIDTH = 6000;
    private static final int HEIGHT = 4000;
    private static final int PIXELS = WIDTH * HEIGHT;

    @Param({"Wine_by_Jakkub_Mede.jpg"})
    public String photo;

    @Param({"SKIMAGE"})
    public GreyFormula formula;

    private byte[] bgr;
    private byte[] grey;
    /** The same pixels packed one to an int, red in the low byte, as the libjpeg-turbo path reads them. */
    private int[] packed;

    @Setup(Level.Trial)
    public void load() throws IOException {
        BufferedImage image = ImageIO.read(Samples.file(photo).toFile());
        if (image.getType() != BufferedImage.TYPE_3BYTE_BGR) {
            throw new IllegalStateException(photo + " does not decode to 3-byte BGR");
        }
        byte[] tile = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        int tw = image.getWidth();
        int th = image.getHeight();
        bgr = new byte[3 * PIXELS];
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x += tw) {
                int n = Math.min(tw, WIDTH - x);
                System.arraycopy(tile, 3 * ((y % th) * tw), bgr, 3 * (y * WIDTH + x), 3 * n);
            }
        }
        grey = new byte[PIXELS];
        packed = new int[PIXELS];
        for (int p = 0; p < PIXELS; p++) {
            packed[p] = (bgr[3 * p + 2] & 0xFF) | (bgr[3 * p + 1] & 0xFF) << 8 | (bgr[3 * p] & 0xFF) << 16;
        }
    }

    @Benchmark
    @OperationsPerInvocation(PIXELS)
    public byte[] perPixelGrey8() {
        GreySteps.perPixel(bgr, 0, 3, 2, 1, 0, grey, 0, PIXELS, formula);
        return grey;
    }

    @Benchmark
    @OperationsPerInvocation(PIXELS)
    public byte[] greyRows() {
        GreySteps.rows(bgr, 0, 3, 2, 1, 0, grey, 0, PIXELS, formula);
        return grey;
    }

    @Benchmark
    @OperationsPerInvocation(PIXELS)
    public byte[] packedPixels() {
        GreySteps.packed(packed, 0, grey, 0, PIXELS, formula);
        return grey;
    }
}
