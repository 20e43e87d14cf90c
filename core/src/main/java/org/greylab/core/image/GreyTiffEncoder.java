package org.greylab.core.image;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferUShort;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
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
import javax.imageio.plugins.tiff.BaselineTIFFTagSet;
import javax.imageio.plugins.tiff.TIFFDirectory;
import javax.imageio.plugins.tiff.TIFFField;
import javax.imageio.plugins.tiff.TIFFTag;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Grey TIFF (8/16-bit, with unassociated alpha when the source had alpha) through the JDK's TIFF writer, ZLib
 * (Adobe Deflate) compressed, with XResolution/YResolution/ResolutionUnit and DateTime in IFD0.
 */
final class GreyTiffEncoder {

    private GreyTiffEncoder() {
    }

    static byte[] encode(GreyImage img, double dpiX, double dpiY, String captureDate) throws IOException {
        BufferedImage image = asBufferedImage(img);
        ImageWriter writer = jdkTiffWriter();
        try {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionType("ZLib");
            param.setCompressionQuality(0.5f);
            IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), param);
            TIFFDirectory dir = TIFFDirectory.createFromMetadata(meta);
            BaselineTIFFTagSet base = BaselineTIFFTagSet.getInstance();
            if (dpiX > 0 && dpiY > 0) {
                dir.addTIFFField(rational(base.getTag(BaselineTIFFTagSet.TAG_X_RESOLUTION), dpiX));
                dir.addTIFFField(rational(base.getTag(BaselineTIFFTagSet.TAG_Y_RESOLUTION), dpiY));
                dir.addTIFFField(new TIFFField(base.getTag(BaselineTIFFTagSet.TAG_RESOLUTION_UNIT),
                        BaselineTIFFTagSet.RESOLUTION_UNIT_INCH));
            }
            if (captureDate != null && captureDate.matches("\\d{4}:\\d{2}:\\d{2} \\d{2}:\\d{2}:\\d{2}")) {
                dir.addTIFFField(new TIFFField(base.getTag(BaselineTIFFTagSet.TAG_DATE_TIME), TIFFTag.TIFF_ASCII, 1,
                        new String[] {captureDate}));
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(img.width() * img.height() / 2 + 1024);
            try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
                writer.setOutput(out);
                writer.write(null, new IIOImage(image, null, dir.getAsMetadata()), param);
            }
            return bytes.toByteArray();
        } finally {
            writer.dispose();
        }
    }

    private static TIFFField rational(TIFFTag tag, double dpi) {
        long[][] value = {{Math.round(dpi * 100), 100}};
        return new TIFFField(tag, TIFFTag.TIFF_RATIONAL, 1, value);
    }

    /** Wraps the grey plane's array (no copy) as a grey or grey+alpha image. */
    static BufferedImage asBufferedImage(GreyImage img) {
        int w = img.width();
        int h = img.height();
        int ch = img.channels();
        boolean wide = img.bitDepth() == 16;
        int type = wide ? DataBuffer.TYPE_USHORT : DataBuffer.TYPE_BYTE;
        ColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), img.hasAlpha(), false,
                img.hasAlpha() ? Transparency.TRANSLUCENT : Transparency.OPAQUE, type);
        int[] offsets = ch == 2 ? new int[] {0, 1} : new int[] {0};
        PixelInterleavedSampleModel sm = new PixelInterleavedSampleModel(type, w, h, ch, w * ch, offsets);
        DataBuffer db = wide ? new DataBufferUShort(img.shorts(), img.shorts().length)
                : new DataBufferByte(img.bytes(), img.bytes().length);
        WritableRaster raster = Raster.createWritableRaster(sm, db, null);
        return new BufferedImage(cm, raster, false, null);
    }

    private static ImageWriter jdkTiffWriter() {
        for (Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("tiff"); it.hasNext(); ) {
            ImageWriter w = it.next();
            if (w.getClass().getName().startsWith("com.sun.imageio.plugins.tiff")) {
                return w;
            }
            w.dispose();
        }
        throw new IllegalStateException("no JDK TIFF writer in this Java runtime");
    }
}
