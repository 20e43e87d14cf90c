package org.greylab.core.testing;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * A folder of 160x120 JPEG thumbnails cut from the sample photos: each a different crop of a different sample at a
 * different quality, so no two are alike. What a folder of thumbnails is made of, for the tests of tasks that carry
 * several images.
 */
public final class Thumbnails {

    public static final int WIDTH = 160;
    public static final int HEIGHT = 120;

    private Thumbnails() {
    }

    /** Writes {@code count} thumbnails ({@code thumb-0000.jpg}, ...) into {@code folder}; returns their paths. */
    public static List<Path> write(Path folder, int count) throws IOException {
        Files.createDirectories(folder);
        List<BufferedImage> photos = new ArrayList<>();
        for (Path p : Samples.images()) {
            if (p.getFileName().toString().endsWith(".jpg")) {
                BufferedImage photo = ImageIO.read(p.toFile());
                if (photo != null && photo.getWidth() >= WIDTH && photo.getHeight() >= HEIGHT) {
                    photos.add(photo);
                }
            }
        }
        List<Path> written = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            BufferedImage photo = photos.get(i % photos.size());
            // a crop between the whole photo and a quarter of it, moved across it as i grows
            int round = i / photos.size();
            double scale = 1.0 - 0.5 * ((round * 37) % 100) / 100.0;
            int w = Math.max(WIDTH, (int) (photo.getWidth() * scale));
            int h = Math.max(HEIGHT, Math.min(photo.getHeight(), w * HEIGHT / WIDTH));
            int x = (photo.getWidth() - w) * ((round * 53) % 100) / 100;
            int y = (photo.getHeight() - h) * ((round * 29) % 100) / 100;
            BufferedImage thumb = scaled(photo, x, y, w, h);
            Path file = folder.resolve(String.format(Locale.ROOT, "thumb-%04d.jpg", i));
            writeJpeg(thumb, 0.6f + 0.35f * ((i * 7) % 10) / 10f, file);
            written.add(file);
        }
        return written;
    }

    /**
     * The crop scaled to a thumbnail, each pixel the mean of four samples of its part of the crop. By hand rather
     * than with Graphics2D, which needs a display where DISPLAY is set and none answers.
     */
    private static BufferedImage scaled(BufferedImage photo, int x, int y, int w, int h) {
        BufferedImage thumb = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        for (int ty = 0; ty < HEIGHT; ty++) {
            for (int tx = 0; tx < WIDTH; tx++) {
                int r = 0;
                int g = 0;
                int b = 0;
                for (int s = 0; s < 4; s++) {
                    int sx = x + (int) ((tx + 0.25 + 0.5 * (s & 1)) * w / WIDTH);
                    int sy = y + (int) ((ty + 0.25 + 0.5 * (s >> 1)) * h / HEIGHT);
                    int rgb = photo.getRGB(Math.min(sx, photo.getWidth() - 1), Math.min(sy, photo.getHeight() - 1));
                    r += (rgb >> 16) & 0xff;
                    g += (rgb >> 8) & 0xff;
                    b += rgb & 0xff;
                }
                thumb.setRGB(tx, ty, ((r / 4) << 16) | ((g / 4) << 8) | (b / 4));
            }
        }
        return thumb;
    }

    private static void writeJpeg(BufferedImage image, float quality, Path file) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
    }
}
