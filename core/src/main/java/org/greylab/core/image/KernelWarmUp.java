package org.greylab.core.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the kernel on a few synthetic photos, so that the first real images are not converted by the JVM's
 * interpreter: a fresh engine JVM otherwise runs its first batch several times slower than a warm one, which made
 * the first Compare in the window show distribution losing to the (warm) serial loop. A client asks its engines for
 * it once they are all up, so that it neither slows the cluster forming nor runs beside a measured run; the bench,
 * and a comparison in the window, run the same warm-up in their own process before serial is measured (once per
 * process), so that no mode starts cold.
 */
public final class KernelWarmUp {

    private static final Logger LOG = LoggerFactory.getLogger(KernelWarmUp.class);

    private static final int ROUNDS = 6;
    /** Whether this process has warmed its kernel up once already. */
    private static final AtomicBoolean WARMED = new AtomicBoolean();

    private KernelWarmUp() {
    }

    /**
     * {@link #run} unless this process ran a warm-up already; returns the conversions made (0 when none was
     * needed).
     */
    public static int runOnce(Duration budget) {
        return WARMED.get() ? 0 : run(budget);
    }

    /** Converts synthetic JPEG (baseline and progressive) and PNG photos until the budget is spent; returns how many. */
    public static int run(Duration budget) {
        WARMED.set(true);
        long deadline = System.nanoTime() + budget.toNanos();
        GreyscaleKernel kernel = new GreyscaleKernel();
        int conversions = 0;
        try {
            List<byte[]> inputs = samples();
            List<ConversionSettings> settings = List.of(ConversionSettings.defaults(),
                    ConversionSettings.defaults().withFormat(OutputFormat.PNG));
            for (int round = 0; round < ROUNDS && System.nanoTime() < deadline; round++) {
                for (byte[] input : inputs) {
                    for (ConversionSettings s : settings) {
                        if (System.nanoTime() >= deadline || Thread.currentThread().isInterrupted()) {
                            return conversions;
                        }
                        kernel.convert(input, s);
                        conversions++;
                    }
                }
            }
        } catch (IOException | ConversionException | RuntimeException e) {
            LOG.debug("warm-up stopped: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            LOG.debug("warm-up: {} conversions", conversions);
        }
        return conversions;
    }

    /** A photo-like 640x480 picture (smooth gradients plus noise) as baseline JPEG, progressive JPEG and PNG. */
    private static List<byte[]> samples() throws IOException {
        BufferedImage image = SyntheticPhoto.of(640, 480, 42);
        List<byte[]> samples = new ArrayList<>();
        samples.add(jpeg(image, false));
        samples.add(jpeg(image, true));
        samples.add(SyntheticPhoto.png(image));
        return samples;
    }

    private static byte[] jpeg(BufferedImage image, boolean progressive) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (progressive) {
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
