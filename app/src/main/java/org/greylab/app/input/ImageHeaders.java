package org.greylab.app.input;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads what the list shows without decoding whole photos: the pixel size from the header, and a thumbnail
 * decoded with source subsampling (a fraction of the pixels), through ImageIO with the TwelveMonkeys plugins.
 */
public final class ImageHeaders {

    static {
        ImageIO.setUseCache(false);
    }

    private ImageHeaders() {
    }

    /** "4032 × 3024", or empty when the header cannot be read. */
    public static Optional<String> pixelSize(Path file) {
        return withReader(file, reader -> reader.getWidth(0) + " × " + reader.getHeight(0));
    }

    /** A picture of at most about {@code maxSide} pixels across, or empty when the file cannot be decoded. */
    public static Optional<BufferedImage> thumbnail(Path file, int maxSide) {
        return withReader(file, reader -> {
            int side = Math.max(reader.getWidth(0), reader.getHeight(0));
            ImageReadParam param = reader.getDefaultReadParam();
            int step = Math.max(1, side / maxSide);
            param.setSourceSubsampling(step, step, 0, 0);
            return reader.read(0, param);
        });
    }

    /** What {@code work} makes of the file's first image, or empty when no reader takes the file or it fails. */
    private static <T> Optional<T> withReader(Path file, ReaderWork<T> work) {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                return Optional.empty();
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return Optional.empty();
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return Optional.ofNullable(work.apply(reader));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            return Optional.empty();
        }
    }

    @FunctionalInterface
    private interface ReaderWork<T> {
        T apply(ImageReader reader) throws IOException;
    }
}
