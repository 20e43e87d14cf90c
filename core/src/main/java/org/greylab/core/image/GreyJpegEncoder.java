package org.greylab.core.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.w3c.dom.Node;

/**
 * Grey JPEG (JFIF with the source's density), with the source's EXIF spliced back in as an APP1 segment right after
 * the JFIF APP0 (Orientation already reset by the caller). libjpeg-turbo writes it where {@link JpegEncoders} has it,
 * the JDK's writer otherwise: the same bytes either way.
 */
final class GreyJpegEncoder {

    private static final String JPEG_NATIVE = "javax_imageio_jpeg_image_1.0";

    private GreyJpegEncoder() {
    }

    static byte[] encode(GreyImage img, int quality, double dpiX, double dpiY, byte[] exif) throws IOException {
        GreyImage flat = img.flattenOnWhite();
        NativeJpegEncoder turbo = JpegEncoders.nativeEncoder(quality);
        byte[] jpeg = turbo == null ? null
                : turbo.encodeGrey(flat.bytes(), flat.width(), flat.height(), quality, jfif(dpiX, dpiY));
        if (jpeg == null) {
            jpeg = encodeWithJdk(flat, quality, dpiX, dpiY);
        }
        return exif == null || exif.length + 8 > 0xFFFF ? jpeg : withExif(jpeg, exif);
    }

    /** {@code flat} (8-bit, no alpha) through the JDK's writer, with the JFIF segment {@link #jfif} describes. */
    static byte[] encodeWithJdk(GreyImage flat, int quality, double dpiX, double dpiY) throws IOException {
        BufferedImage grey = new BufferedImage(flat.width(), flat.height(), BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = grey.getRaster();
        byte[] target = ((DataBufferByte) raster.getDataBuffer()).getData();
        System.arraycopy(flat.bytes(), 0, target, 0, target.length);

        ImageWriter writer = jdkJpegWriter();
        try {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality / 100f);
            IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(grey), param);
            if (dpiX > 0 && dpiY > 0) {
                setDensity(meta, dpiX, dpiY);
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(flat.bytes().length / 4 + 1024);
            try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
                writer.setOutput(out);
                writer.write(null, new IIOImage(grey, null, meta), param);
            }
            return bytes.toByteArray();
        } finally {
            writer.dispose();
        }
    }

    /**
     * The JFIF APP0 segment, marker included, as the JDK's writer makes it: version 1.02, no thumbnail, the density
     * in dots per inch when both are known, else an aspect ratio of 1:1.
     */
    static byte[] jfif(double dpiX, double dpiY) {
        boolean known = dpiX > 0 && dpiY > 0;
        int x = known ? clampDensity(dpiX) : 1;
        int y = known ? clampDensity(dpiY) : 1;
        return new byte[] {(byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 2, (byte) (known ? 1 : 0),
            (byte) (x >> 8), (byte) x, (byte) (y >> 8), (byte) y, 0, 0};
    }

    private static ImageWriter jdkJpegWriter() {
        ImageWriter fallback = null;
        for (Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("jpeg"); it.hasNext(); ) {
            ImageWriter w = it.next();
            if (w.getClass().getName().startsWith("com.sun.imageio.plugins.jpeg")) {
                return w;
            }
            if (fallback == null) {
                fallback = w;
            } else {
                w.dispose();
            }
        }
        if (fallback == null) {
            throw new IllegalStateException("no JPEG writer in this Java runtime");
        }
        return fallback;
    }

    private static void setDensity(IIOMetadata meta, double dpiX, double dpiY) throws IOException {
        Node root = meta.getAsTree(JPEG_NATIVE);
        IIOMetadataNode jfif = find(root, "app0JFIF");
        if (jfif == null) {
            return;
        }
        jfif.setAttribute("resUnits", "1");
        jfif.setAttribute("Xdensity", Integer.toString(clampDensity(dpiX)));
        jfif.setAttribute("Ydensity", Integer.toString(clampDensity(dpiY)));
        meta.setFromTree(JPEG_NATIVE, root);
    }

    private static int clampDensity(double dpi) {
        return (int) Math.max(1, Math.min(0xFFFF, Math.round(dpi)));
    }

    private static IIOMetadataNode find(Node node, String name) {
        if (name.equals(node.getNodeName())) {
            return (IIOMetadataNode) node;
        }
        for (Node c = node.getFirstChild(); c != null; c = c.getNextSibling()) {
            IIOMetadataNode hit = find(c, name);
            if (hit != null) {
                return hit;
            }
        }
        return null;
    }

    /** Inserts an APP1 "Exif" segment after SOI and any APP0 segments. */
    static byte[] withExif(byte[] jpeg, byte[] tiff) {
        int pos = 2;
        while (pos + 4 <= jpeg.length && (jpeg[pos] & 0xFF) == 0xFF && (jpeg[pos + 1] & 0xFF) == 0xE0) {
            pos += 2 + ((jpeg[pos + 2] & 0xFF) << 8 | (jpeg[pos + 3] & 0xFF));
        }
        int segLen = 2 + 6 + tiff.length;
        byte[] out = new byte[jpeg.length + 2 + segLen];
        System.arraycopy(jpeg, 0, out, 0, pos);
        int o = pos;
        out[o++] = (byte) 0xFF;
        out[o++] = (byte) 0xE1;
        out[o++] = (byte) (segLen >> 8);
        out[o++] = (byte) segLen;
        for (char c : "Exif\0\0".toCharArray()) {
            out[o++] = (byte) c;
        }
        System.arraycopy(tiff, 0, out, o, tiff.length);
        o += tiff.length;
        System.arraycopy(jpeg, pos, out, o, jpeg.length - pos);
        return out;
    }
}
