import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Arc2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.File;
import javax.imageio.ImageIO;

/**
 * Draws Greylab's application icon at every size (16..1024 px) as vector shapes, so small sizes stay crisp:
 * a slate tile holding a round "lens" whose left half is a colour wheel and whose right half is the same wheel
 * in grey (the skimage weights), with a white ring.
 *
 * Run from the repository root: java app/scripts/IconGenerator.java assets/icons
 */
public class IconGenerator {

    static final int[] SIZES = {16, 24, 32, 48, 64, 128, 256, 512, 1024};

    public static void main(String[] args) throws Exception {
        File out = new File(args.length > 0 ? args[0] : "assets/icons");
        out.mkdirs();
        for (int size : SIZES) {
            ImageIO.write(draw(size), "png", new File(out, "greylab-" + size + ".png"));
        }
    }

    static BufferedImage draw(int size) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        double s = size;
        double pad = s * 0.04;
        double arc = s * 0.22;
        RoundRectangle2D tile = new RoundRectangle2D.Double(pad, pad, s - 2 * pad, s - 2 * pad, arc, arc);
        g.setPaint(new GradientPaint(0, 0, new Color(0x34, 0x41, 0x4f), 0, (float) s, new Color(0x1c, 0x24, 0x2c)));
        g.fill(tile);

        double r = s * 0.33;
        double cx = s / 2;
        double cy = s / 2;
        int segments = 72;
        for (int i = 0; i < segments; i++) {
            double start = 90 + i * 360.0 / segments;
            double mid = start + 180.0 / segments;
            float hue = (float) (((mid - 90) % 360) / 360.0);
            Color c = Color.getHSBColor(hue, 0.78f, 0.98f);
            boolean left = Math.cos(Math.toRadians(mid)) < 0;
            if (!left) {
                int y = (int) Math.round(0.2125 * c.getRed() + 0.7154 * c.getGreen() + 0.0721 * c.getBlue());
                c = new Color(y, y, y);
            }
            g.setColor(c);
            g.fill(new Arc2D.Double(cx - r, cy - r, 2 * r, 2 * r, start, 360.0 / segments + 0.6, Arc2D.PIE));
        }
        // soft centre: white to transparent, like a lens highlight
        double inner = r * 0.42;
        g.setColor(new Color(0x1c, 0x24, 0x2c));
        g.fill(new Ellipse2D.Double(cx - inner, cy - inner, 2 * inner, 2 * inner));
        g.setColor(new Color(255, 255, 255, 235));
        g.setStroke(new BasicStroke((float) Math.max(1, s * 0.035)));
        g.draw(new Ellipse2D.Double(cx - r, cy - r, 2 * r, 2 * r));
        g.setStroke(new BasicStroke((float) Math.max(1, s * 0.02)));
        g.drawLine((int) Math.round(cx), (int) Math.round(cy - r), (int) Math.round(cx), (int) Math.round(cy + r));
        g.dispose();
        return img;
    }
}
