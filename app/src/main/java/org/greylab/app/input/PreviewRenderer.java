package org.greylab.app.input;

import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.greylab.core.image.ConversionException;
import org.greylab.core.image.ConversionResult;
import org.greylab.core.image.ConversionSettings;
import org.greylab.core.image.GreyscaleKernel;

/**
 * Makes the before/after pair of the preview: "after" is the real kernel's output for the run's settings
 * (decoded back), so what the preview shows is what the run writes. Both are scaled down for the screen.
 */
public final class PreviewRenderer {

    /** The pair, or why there is no "after". */
    public record Pair(BufferedImage before, BufferedImage after, String caption) {
    }

    private final GreyscaleKernel kernel;

    public PreviewRenderer(GreyscaleKernel kernel) {
        this.kernel = kernel;
    }

    public Pair render(Path file, ConversionSettings settings, int maxSide) throws IOException, InterruptedException {
        byte[] bytes = Files.readAllBytes(file);
        BufferedImage before = ImageHeaders.thumbnail(file, maxSide).orElse(null);
        try {
            ConversionResult result = kernel.convert(bytes, settings);
            BufferedImage after = ImageIO.read(new ByteArrayInputStream(result.output()));
            String caption = result.width() + " × " + result.height() + " · " + result.outputFormat().displayName()
                    + " · " + settings.formula().name().toLowerCase(java.util.Locale.ROOT)
                    + (result.warnings().isEmpty() ? "" : " · " + String.join("; ", result.warnings()));
            return new Pair(before, after == null ? null : scale(after, maxSide), caption);
        } catch (ConversionException e) {
            return new Pair(before, null, "Cannot convert: " + e.stage().label() + ": " + e.reason());
        }
    }

    static BufferedImage scale(BufferedImage image, int maxSide) {
        int side = Math.max(image.getWidth(), image.getHeight());
        if (side <= maxSide) {
            return image;
        }
        double f = (double) maxSide / side;
        int w = Math.max(1, (int) Math.round(image.getWidth() * f));
        int h = Math.max(1, (int) Math.round(image.getHeight() * f));
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        var g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, w, h, null);
        g.dispose();
        return out;
    }
}
