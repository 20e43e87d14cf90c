package org.greylab.core.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * The image kernel: encoded bytes in, encoded grey bytes out. It never sees a path, so it runs the same in the
 * app and on a remote engine. Thread-safe; one instance may serve many threads.
 *
 * <p>BASELINE: a plain first version (getRGB, the JDK's PNG writer); the full kernel replaces it.
 */
public final class GreyscaleKernel {

    static {
        ImageIO.setUseCache(false);
        ImageIO.scanForPlugins();
    }

    public ConversionResult convert(byte[] input, ConversionSettings settings)
            throws ConversionException, InterruptedException {
        ImageFormat inputFormat = ImageFormat.sniff(input)
                .orElseThrow(() -> new ConversionException(Stage.DECODE, "not an image this program can read"));
        List<String> warnings = new ArrayList<>();
        long t0 = System.nanoTime();
        BufferedImage image;
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(input))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new ConversionException(Stage.DECODE, "no decoder for " + inputFormat.displayName());
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > settings.maxPixels()) {
                    throw new ConversionException(Stage.DECODE, "image too large: " + pixels + " pixels");
                }
                image = reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new ConversionException(Stage.DECODE, "the file could not be decoded: " + e.getMessage(), e);
        }
        checkInterrupted();
        long t1 = System.nanoTime();
        int w = image.getWidth();
        int h = image.getHeight();
        BufferedImage grey = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        GreyFormula f = settings.formula();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = image.getRGB(x, y);
                double v = f.red() * ((rgb >> 16) & 0xFF) + f.green() * ((rgb >> 8) & 0xFF) + f.blue() * (rgb & 0xFF);
                grey.getRaster().setSample(x, y, 0, (int) Math.round(v));
            }
        }
        checkInterrupted();
        long t2 = System.nanoTime();
        ImageFormat outputFormat = settings.format().resolve(inputFormat);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(grey, outputFormat == ImageFormat.JPEG ? "jpeg" : outputFormat.displayName(), out);
        } catch (IOException e) {
            throw new ConversionException(Stage.ENCODE, "the output could not be encoded: " + e.getMessage(), e);
        }
        long t3 = System.nanoTime();
        return new ConversionResult(out.toByteArray(), outputFormat, inputFormat, w, h, 8, warnings,
                new StageTimings(0, t1 - t0, t2 - t1, t3 - t2, 0));
    }

    private static void checkInterrupted() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("conversion cancelled");
        }
    }
}
