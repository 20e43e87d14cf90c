package org.greylab.core.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.tukaani.xz.XZInputStream;

/**
 * The TIFF variants the TIFF reader gets wrong or cannot read, prepared before it decodes and corrected after:
 *
 * <ul>
 *   <li><b>LZMA</b> (compression 34925, libtiff's .xz strips) and <b>WebP</b> (50001) strips are decompressed here
 *   and handed over as Deflate ({@link TiffRewriter}).</li>
 *   <li><b>CIELab</b> (photometric 8): the reader's own Lab conversion came out 1.4 levels darker on average than
 *   the picture's sRGB copy. The samples are read as they are and converted here as ICC does (L*a*b* relative to
 *   D50, Bradford-adapted to sRGB's D65), which matches LittleCMS within a level.</li>
 *   <li><b>Old-style JPEG</b> (compression 6) in YCbCr with a ReferenceBlackWhite other than full range: the reader
 *   ignores the tag, which made studio-range files grey ≈ 0.87 x + 15. The range is undone here on the decoded RGB
 *   (luma and chroma separately, as libtiff's TIFFYCbCrToRGB does).</li>
 *   <li><b>Associated alpha</b> (ExtraSamples 1): at 16 bits the reader says so and the grey step un-premultiplies;
 *   at 8 bits it hands the premultiplied samples over as straight ones, so they are labelled premultiplied here.</li>
 *   <li><b>LogLuv</b> (SGI, high dynamic range): refused with a reason that names a tool which reads it.</li>
 * </ul>
 */
final class TiffVariants {

    private static final int OLD_JPEG = 6;
    private static final int LZMA = 34925;
    private static final int WEBP = 50001;
    private static final int SGILOG = 34676;
    private static final int SGILOG24 = 34677;
    private static final int PHOTOMETRIC_YCBCR = 6;
    private static final int PHOTOMETRIC_CIELAB = 8;
    private static final int PHOTOMETRIC_RGB = 2;

    /** What decoding must do differently; {@code directory} is null when IFD0 could not be read. */
    record Prepared(byte[] bytes, TiffDirectory directory, boolean lab, double[] referenceBlackWhite,
                    boolean associatedAlpha, List<String> warnings) {
    }

    private TiffVariants() {
    }

    /**
     * @param maxPixels checked here too, before any strip is decompressed
     * @param decoders  the batch's, whose WebP decoder reads WebP strips
     */
    static Prepared prepare(byte[] in, long maxPixels, Decoders decoders) throws ConversionException {
        TiffDirectory dir = TiffDirectory.read(in);
        if (dir == null) {
            return new Prepared(in, null, false, null, false, List.of());
        }
        long width = dir.value(TiffDirectory.IMAGE_WIDTH, 0);
        long height = dir.value(TiffDirectory.IMAGE_LENGTH, 0);
        if (width * height > maxPixels) {
            throw ImageDecoder.tooLarge((int) width, (int) height, maxPixels);
        }
        long compression = dir.value(TiffDirectory.COMPRESSION, 1);
        long photometric = dir.value(TiffDirectory.PHOTOMETRIC, -1);
        if (compression == SGILOG || compression == SGILOG24 || photometric == 32844 || photometric == 32845) {
            throw new ConversionException(Stage.DECODE, "this TIFF holds SGI LogLuv high-dynamic-range pixels, which"
                    + " this program does not read: convert it first with tiff2rgba (libtiff-tools) or ImageMagick");
        }
        byte[] bytes = in;
        try {
            if (compression == LZMA) {
                bytes = TiffRewriter.recompressed(bytes, dir, TiffVariants::unxz);
            } else if (compression == WEBP) {
                int samples = (int) dir.value(TiffDirectory.SAMPLES_PER_PIXEL, 3);
                NativeWebpDecoder libwebp = WebpDecoders.forBatch(decoders);
                bytes = TiffRewriter.recompressed(bytes, dir, (file, offset, length, index)
                        -> WebpStrips.decode(file, offset, length, samples, libwebp));
            }
        } catch (IOException e) {
            throw new ConversionException(Stage.DECODE, "the file is damaged: a " + (compression == LZMA ? "LZMA"
                    : "WebP") + " strip of this TIFF does not decode (" + e.getMessage() + ")", e);
        }
        boolean lab = photometric == PHOTOMETRIC_CIELAB && dir.value(TiffDirectory.SAMPLES_PER_PIXEL, 1) >= 3;
        if (lab) {
            bytes = TiffRewriter.withPhotometric(bytes, dir, PHOTOMETRIC_RGB);
        }
        double[] rbw = referenceBlackWhite(dir);
        boolean studioRange = compression == OLD_JPEG && photometric == PHOTOMETRIC_YCBCR && rbw != null
                && !isFullRange(rbw);
        long[] extra = dir.values(TiffDirectory.EXTRA_SAMPLES);
        boolean associated = extra != null && extra.length > 0 && extra[0] == 1;
        List<String> warnings = compression == WEBP && !decoders.libwebp()
                ? List.of(WebpDecoders.approximate()) : List.of();
        return new Prepared(bytes, dir, lab, studioRange ? rbw : null, associated, warnings);
    }

    /** The decoded image with the corrections {@link #prepare} found necessary. */
    static BufferedImage correct(BufferedImage image, Prepared p) {
        ColorModel cm = image.getColorModel();
        if (p.associatedAlpha() && cm instanceof ComponentColorModel && cm.hasAlpha() && !cm.isAlphaPremultiplied()) {
            // 8-bit associated alpha comes back labelled straight: label it as it is, the grey step un-premultiplies
            ColorModel premultiplied = new ComponentColorModel(cm.getColorSpace(), true, true, cm.getTransparency(),
                    cm.getTransferType());
            image = new BufferedImage(premultiplied, image.getRaster(), false, null);
        }
        if (p.lab()) {
            return labToSrgb(image);
        }
        if (p.referenceBlackWhite() != null) {
            return withReferenceRange(image, p.referenceBlackWhite());
        }
        return image;
    }

    /**
     * Whether a decoder warning is noise: "strip/tileByteCount < required" on an uncompressed stripped TIFF whose
     * last strip is shorter because the image ends inside it, as the TIFF specification allows, is not damage; nor is
     * "Old-style JPEG compressed TIFF with(out) JPEGInterchangeFormat encountered", said of every such file.
     */
    static boolean isNoise(String warning, Prepared p) {
        if (warning.contains("Old-style JPEG compressed TIFF with") && warning.contains("encountered")) {
            // how the reader rebuilds every old-style JPEG stream, not damage: there is nothing to act on
            return true;
        }
        if (!warning.contains("strip/tileByteCount < required") || p.directory() == null) {
            return false;
        }
        TiffDirectory d = p.directory();
        long[] counts = d.values(TiffDirectory.STRIP_BYTE_COUNTS);
        if (d.value(TiffDirectory.COMPRESSION, 1) != 1 || d.tiled() || counts == null) {
            return false;
        }
        long width = d.value(TiffDirectory.IMAGE_WIDTH, 0);
        long height = d.value(TiffDirectory.IMAGE_LENGTH, 0);
        long rowsPerStrip = Math.min(d.value(TiffDirectory.ROWS_PER_STRIP, height), height);
        long bits = d.value(TiffDirectory.BITS_PER_SAMPLE, 1);
        long samples = d.value(TiffDirectory.SAMPLES_PER_PIXEL, 1);
        boolean planar = d.value(TiffDirectory.PLANAR_CONFIGURATION, 1) == 2;
        long rowBytes = (width * bits * (planar ? 1 : samples) + 7) / 8;
        long stripsPerPlane = (height + rowsPerStrip - 1) / rowsPerStrip;
        if (rowsPerStrip <= 0 || counts.length != stripsPerPlane * (planar ? samples : 1)) {
            return false;
        }
        for (int i = 0; i < counts.length; i++) {
            long strip = i % stripsPerPlane;
            long rows = Math.min(rowsPerStrip, height - strip * rowsPerStrip);
            if (counts[i] < rows * rowBytes) {
                return false;
            }
        }
        return true;
    }

    static List<String> withoutNoise(List<String> warnings, Prepared p) {
        return warnings.stream().filter(w -> !isNoise(w, p)).toList();
    }

    /** Y black, Y white, Cb black, Cb white, Cr black, Cr white (RATIONAL as the specification says, or LONG). */
    private static double[] referenceBlackWhite(TiffDirectory dir) {
        TiffDirectory.Entry e = dir.entry(TiffDirectory.REFERENCE_BLACK_WHITE);
        if (e == null) {
            return null;
        }
        boolean rational = e.type() == 5 || e.type() == 10;
        long[] raw = e.values();
        if (raw.length != (rational ? 12 : 6)) {
            return null;
        }
        double[] v = new double[6];
        for (int i = 0; i < 6; i++) {
            v[i] = !rational ? raw[i] : raw[2 * i + 1] == 0 ? 0 : (double) raw[2 * i] / raw[2 * i + 1];
        }
        return v[1] > v[0] && v[3] > v[2] && v[5] > v[4] ? v : null;
    }

    private static boolean isFullRange(double[] v) {
        return v[0] == 0 && v[1] == 255 && v[2] == 128 && v[3] == 255 && v[4] == 128 && v[5] == 255;
    }

    private static byte[] unxz(byte[] file, int offset, int length, int index) throws IOException {
        try (InputStream in = new XZInputStream(new ByteArrayInputStream(file, offset, length))) {
            return in.readAllBytes();
        }
    }

    /**
     * Undoes a studio range on YCbCr that was turned into RGB as if full range: luma Y = 0.299 R + 0.587 G +
     * 0.114 B is stretched from [black, white] to [0, 255], the colour differences R - Y and B - Y by 127 over their
     * reference range, as TIFFYCbCrToRGB does with ReferenceBlackWhite.
     */
    private static BufferedImage withReferenceRange(BufferedImage image, double[] rbw) {
        if (image.getColorModel().getNumComponents() != 3 || image.getColorModel().getComponentSize(0) != 8) {
            return image;
        }
        double yBlack = rbw[0];
        double yScale = 255.0 / (rbw[1] - rbw[0]);
        double cbScale = 127.0 / (rbw[3] - rbw[2]);
        double crScale = 127.0 / (rbw[5] - rbw[4]);
        int w = image.getWidth();
        int h = image.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Raster src = image.getRaster();
        WritableRaster dst = out.getRaster();
        int[] px = new int[3 * w];
        for (int y = 0; y < h; y++) {
            src.getPixels(src.getMinX(), src.getMinY() + y, w, 1, px);
            for (int i = 0; i < px.length; i += 3) {
                double r = px[i];
                double g = px[i + 1];
                double b = px[i + 2];
                double luma = 0.299 * r + 0.587 * g + 0.114 * b;
                double cb = (b - luma) / 1.772 * cbScale;
                double cr = (r - luma) / 1.402 * crScale;
                double lum = (luma - yBlack) * yScale;
                px[i] = clamp(lum + 1.402 * cr);
                px[i + 1] = clamp(lum - 0.344136 * cb - 0.714136 * cr);
                px[i + 2] = clamp(lum + 1.772 * cb);
            }
            dst.setPixels(0, y, w, 1, px);
        }
        return out;
    }

    /**
     * CIELab samples (read as RGB: L, a, b) to sRGB. 8 bits: L = v * 100 / 255, a and b signed bytes; 16 bits:
     * L = v * 100 / 65535, a and b signed 16-bit / 256. Lab (D50) to XYZ, then the Bradford-adapted D50 sRGB matrix
     * and the sRGB curve. Extra samples (alpha) are kept.
     */
    private static BufferedImage labToSrgb(BufferedImage image) {
        Raster src = image.getRaster();
        int bands = src.getNumBands();
        boolean wide = image.getColorModel().getComponentSize(0) > 8;
        boolean alpha = bands >= 4;
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), alpha, false,
                alpha ? ColorModel.TRANSLUCENT : ColorModel.OPAQUE, wide ? DataBuffer.TYPE_USHORT : DataBuffer.TYPE_BYTE);
        int w = image.getWidth();
        int h = image.getHeight();
        WritableRaster dst = cm.createCompatibleWritableRaster(w, h);
        int max = wide ? 65535 : 255;
        int[] in = new int[bands * w];
        int[] out = new int[(alpha ? 4 : 3) * w];
        for (int y = 0; y < h; y++) {
            src.getPixels(src.getMinX(), src.getMinY() + y, w, 1, in);
            for (int x = 0; x < w; x++) {
                int i = x * bands;
                double l = in[i] * 100.0 / max;
                double a = wide ? (short) in[i + 1] / 256.0 : (byte) in[i + 1];
                double b = wide ? (short) in[i + 2] / 256.0 : (byte) in[i + 2];
                double fy = (l + 16) / 116;
                double fx = fy + a / 500;
                double fz = fy - b / 200;
                double cx = 0.9642 * labInverse(fx);
                double cy = labInverse(fy);
                double cz = 0.8249 * labInverse(fz);
                double rl = 3.1338561 * cx - 1.6168667 * cy - 0.4906146 * cz;
                double gl = -0.9787684 * cx + 1.9161415 * cy + 0.0334540 * cz;
                double bl = 0.0719453 * cx - 0.2289914 * cy + 1.4052427 * cz;
                int o = x * (alpha ? 4 : 3);
                out[o] = encode(rl, max);
                out[o + 1] = encode(gl, max);
                out[o + 2] = encode(bl, max);
                if (alpha) {
                    out[o + 3] = in[i + 3];
                }
            }
            dst.setPixels(0, y, w, 1, out);
        }
        return new BufferedImage(cm, dst, false, null);
    }

    private static double labInverse(double f) {
        double cube = f * f * f;
        return cube > 216.0 / 24389 ? cube : (116 * f - 16) * 27.0 / 24389;
    }

    private static int encode(double linear, int max) {
        double c = Math.max(0, Math.min(1, linear));
        double v = c <= 0.0031308 ? 12.92 * c : 1.055 * Math.pow(c, 1 / 2.4) - 0.055;
        return (int) Math.round(v * max);
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
