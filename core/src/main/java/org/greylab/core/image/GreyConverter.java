package org.greylab.core.image;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.DataBufferUShort;
import java.awt.image.DirectColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.SampleModel;
import java.awt.image.SinglePixelPackedSampleModel;
import java.awt.image.WritableRaster;
import java.nio.charset.StandardCharsets;

/**
 * Decoded image to grey plane, on the raster's own arrays (no per-pixel {@code getRGB}). Fast paths: interleaved
 * bytes in any band order (3-byte BGR, RGB, 4-byte ABGR/RGBA, grey, grey+alpha), interleaved 16-bit (grey, grey+alpha,
 * RGB, RGBA), packed int RGB/ARGB, palettes of up to 8 bits. Anything else (CMYK, float, non-sRGB ICC spaces, packed
 * 16-bit colour) is first colour-converted to sRGB with {@link ColorConvertOp}, then takes a fast path.
 *
 * <p>Single-channel inputs are passed through unchanged in value: their numbers are the grey levels, whatever
 * transfer curve the colour space claims.
 */
final class GreyConverter {

    private GreyConverter() {
    }

    static GreyImage toGrey(ImageDecoder.Decoded decoded, GreyFormula formula) {
        return decoded.ycc() != null ? fromYcc(decoded.ycc(), GreyMixer.of(formula))
                : toGrey(decoded.image(), formula);
    }

    static GreyImage toGrey(BufferedImage image, GreyFormula formula) {
        if (image.getColorModel().isAlphaPremultiplied()) {
            // associated alpha (a TIFF with ExtraSamples 1): the grey of the colour, not of colour times alpha, since
            // the output's alpha is straight
            image.coerceData(false);
        }
        GreyMixer mixer = GreyMixer.of(formula);
        ColorModel cm = image.getColorModel();
        WritableRaster raster = image.getRaster();
        SampleModel sm = raster.getSampleModel();
        DataBuffer db = raster.getDataBuffer();
        int w = image.getWidth();
        int h = image.getHeight();

        if (cm instanceof IndexColorModel icm && db.getNumBanks() == 1 && raster.getNumBands() == 1) {
            return fromPalette(raster, icm, mixer, w, h);
        }
        ColorSpace cs = cm.getColorSpace();
        boolean grey = cs.getType() == ColorSpace.TYPE_GRAY;
        boolean rgbAsIs = cs.getType() == ColorSpace.TYPE_RGB && isSrgbLike(cs);
        if (cm instanceof ComponentColorModel && sm instanceof ComponentSampleModel csm && db.getNumBanks() == 1
                && (grey || rgbAsIs) && isPixelInterleaved(csm)) {
            int colour = grey ? 1 : 3;
            int bands = raster.getNumBands();
            if (bands == colour || (bands == colour + 1 && cm.hasAlpha())) {
                if (db instanceof DataBufferByte bytes) {
                    return fromBytes(raster, csm, bytes.getData(), colour, cm.hasAlpha(), mixer, w, h);
                }
                if (db instanceof DataBufferUShort shorts) {
                    return fromShorts(raster, csm, shorts.getData(), colour, cm.hasAlpha(), mixer, w, h);
                }
            }
        }
        if (cm instanceof DirectColorModel dcm && db instanceof DataBufferInt ints && rgbAsIs
                && sm instanceof SinglePixelPackedSampleModel sppsm && isStandardIntPacking(dcm)) {
            return fromInts(raster, sppsm, ints.getData(), dcm.hasAlpha(), mixer, w, h);
        }
        return toGrey(toSrgb(image), formula);
    }

    /** Whether an RGB colour space may be read as sRGB numbers: the built-in sRGB, or an ICC profile that says sRGB. */
    static boolean isSrgbLike(ColorSpace cs) {
        if (cs.isCS_sRGB()) {
            return true;
        }
        if (cs instanceof ICC_ColorSpace icc) {
            return isSrgbProfile(icc.getProfile());
        }
        return false;
    }

    /** An embedded profile whose description names sRGB (e.g. "sRGB IEC61966-2.1"): decoding it is the identity. */
    static boolean isSrgbProfile(ICC_Profile profile) {
        if (profile.getColorSpaceType() != ColorSpace.TYPE_RGB) {
            return false;
        }
        byte[] desc = profile.getData(ICC_Profile.icSigProfileDescriptionTag);
        if (desc == null) {
            return false;
        }
        String text = new String(desc, StandardCharsets.ISO_8859_1).replace("\0", "");
        return text.contains("sRGB");
    }

    private static boolean isPixelInterleaved(ComponentSampleModel csm) {
        for (int i = 0; i < csm.getNumBands(); i++) {
            if (csm.getBankIndices()[i] != 0) {
                return false;
            }
        }
        return csm.getPixelStride() >= csm.getNumBands();
    }

    private static boolean isStandardIntPacking(DirectColorModel dcm) {
        return dcm.getRedMask() == 0xFF0000 && dcm.getGreenMask() == 0xFF00 && dcm.getBlueMask() == 0xFF
                && (!dcm.hasAlpha() || dcm.getAlphaMask() == 0xFF000000) && !dcm.isAlphaPremultiplied();
    }

    /** Colour-managed conversion to sRGB with the same sample size (8 or 16 bits) and alpha as the source. */
    static BufferedImage toSrgb(BufferedImage image) {
        ColorModel src = image.getColorModel();
        boolean alpha = src.hasAlpha();
        boolean wide = src.getComponentSize(0) > 8;
        ColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), alpha, false,
                alpha ? ColorModel.TRANSLUCENT : ColorModel.OPAQUE, wide ? DataBuffer.TYPE_USHORT : DataBuffer.TYPE_BYTE);
        BufferedImage out = new BufferedImage(cm, cm.createCompatibleWritableRaster(image.getWidth(),
                image.getHeight()), false, null);
        if (src.isAlphaPremultiplied()) {
            image.coerceData(false);
        }
        new ColorConvertOp(null).filter(image, out);
        return out;
    }

    private static GreyImage fromBytes(Raster raster, ComponentSampleModel csm, byte[] data, int colour,
                                       boolean alpha, GreyMixer mixer, int w, int h) {
        int stride = csm.getScanlineStride();
        int px = csm.getPixelStride();
        int[] offs = csm.getBandOffsets();
        int base = baseOffset(raster, csm);
        int outCh = alpha ? 2 : 1;
        byte[] out = new byte[w * h * outCh];
        int o = 0;
        if (colour == 1) {
            int ao = alpha ? offs[1] : 0;
            for (int y = 0; y < h; y++) {
                int i = base + y * stride + offs[0];
                if (!alpha && px == 1) {
                    System.arraycopy(data, i, out, o, w);
                    o += w;
                    continue;
                }
                for (int x = 0; x < w; x++, i += px) {
                    out[o++] = data[i];
                    if (alpha) {
                        out[o++] = data[i - offs[0] + ao];
                    }
                }
            }
            return GreyImage.of8(w, h, alpha, out);
        }
        int ro = offs[0];
        int go = offs[1];
        int bo = offs[2];
        int ao = alpha ? offs[3] : 0;
        if (!alpha && (px == 3 || px == 4)) {
            for (int y = 0; y < h; y++) {
                GreyRows.rgb8(data, base + y * stride, px, ro, go, bo, out, y * w, w, mixer.formula());
            }
            return GreyImage.of8(w, h, false, out);
        }
        for (int y = 0; y < h; y++) {
            int i = base + y * stride;
            int end = i + w * px;
            if (alpha) {
                for (; i < end; i += px) {
                    out[o++] = (byte) mixer.grey8(data[i + ro] & 0xFF, data[i + go] & 0xFF, data[i + bo] & 0xFF);
                    out[o++] = data[i + ao];
                }
            } else {
                for (; i < end; i += px) {
                    out[o++] = (byte) mixer.grey8(data[i + ro] & 0xFF, data[i + go] & 0xFF, data[i + bo] & 0xFF);
                }
            }
        }
        return GreyImage.of8(w, h, alpha, out);
    }

    private static GreyImage fromShorts(Raster raster, ComponentSampleModel csm, short[] data, int colour,
                                        boolean alpha, GreyMixer mixer, int w, int h) {
        int stride = csm.getScanlineStride();
        int px = csm.getPixelStride();
        int[] offs = csm.getBandOffsets();
        int base = baseOffset(raster, csm);
        int outCh = alpha ? 2 : 1;
        short[] out = new short[w * h * outCh];
        int o = 0;
        for (int y = 0; y < h; y++) {
            int i = base + y * stride;
            for (int x = 0; x < w; x++, i += px) {
                if (colour == 1) {
                    out[o++] = data[i + offs[0]];
                } else {
                    out[o++] = (short) mixer.grey16(data[i + offs[0]] & 0xFFFF, data[i + offs[1]] & 0xFFFF,
                            data[i + offs[2]] & 0xFFFF);
                }
                if (alpha) {
                    out[o++] = data[i + offs[colour]];
                }
            }
        }
        return GreyImage.of16(w, h, alpha, out);
    }

    private static GreyImage fromInts(Raster raster, SinglePixelPackedSampleModel sm, int[] data, boolean alpha,
                                      GreyMixer mixer, int w, int h) {
        int stride = sm.getScanlineStride();
        int base = -raster.getSampleModelTranslateY() * stride - raster.getSampleModelTranslateX()
                + raster.getDataBuffer().getOffset();
        byte[] out = new byte[w * h * (alpha ? 2 : 1)];
        int o = 0;
        for (int y = 0; y < h; y++) {
            int i = base + y * stride;
            for (int x = 0; x < w; x++, i++) {
                int p = data[i];
                out[o++] = (byte) mixer.grey8((p >> 16) & 0xFF, (p >> 8) & 0xFF, p & 0xFF);
                if (alpha) {
                    out[o++] = (byte) (p >>> 24);
                }
            }
        }
        return GreyImage.of8(w, h, alpha, out);
    }

    private static GreyImage fromPalette(Raster raster, IndexColorModel icm, GreyMixer mixer, int w, int h) {
        int size = icm.getMapSize();
        byte[] greyOf = new byte[256];
        byte[] alphaOf = new byte[256];
        boolean alpha = false;
        boolean wide = icm.getComponentSize(0) > 8;
        for (int i = 0; i < size; i++) {
            int r = icm.getRed(i);
            int g = icm.getGreen(i);
            int b = icm.getBlue(i);
            greyOf[i] = (byte) mixer.grey8(r, g, b);
            alphaOf[i] = (byte) icm.getAlpha(i);
            alpha |= icm.getAlpha(i) != 255;
        }
        if (wide) {
            throw new IllegalStateException("palettes wider than 8 bits per entry are not expected");
        }
        byte[] out = new byte[w * h * (alpha ? 2 : 1)];
        int[] row = new int[w];
        int o = 0;
        for (int y = 0; y < h; y++) {
            raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, 0, row);
            for (int x = 0; x < w; x++) {
                int index = row[x] & 0xFF;
                out[o++] = greyOf[index];
                if (alpha) {
                    out[o++] = alphaOf[index];
                }
            }
        }
        return GreyImage.of8(w, h, alpha, out);
    }

    private static final int SCALE_BITS = 16;
    private static final int[] CR_R = new int[256];
    private static final int[] CB_B = new int[256];
    private static final int[] CR_G = new int[256];
    private static final int[] CB_G = new int[256];
    /** 0-255 clamp of values from -512 to 767, indexed by value + 512 (libjpeg's range_limit). */
    private static final byte[] LIMIT = new byte[1280];

    static {
        // libjpeg's jdcolor.c tables, to the bit: the JDK's decoder converts YCbCr to RGB with exactly these.
        int half = 1 << (SCALE_BITS - 1);
        for (int i = 0; i < 256; i++) {
            int x = i - 128;
            CR_R[i] = (fix(1.40200) * x + half) >> SCALE_BITS;
            CB_B[i] = (fix(1.77200) * x + half) >> SCALE_BITS;
            CR_G[i] = -fix(0.71414) * x;
            CB_G[i] = -fix(0.34414) * x + half;
        }
        for (int v = -512; v < 768; v++) {
            LIMIT[v + 512] = (byte) Math.max(0, Math.min(255, v));
        }
    }

    private static int fix(double x) {
        return (int) (x * (1 << SCALE_BITS) + 0.5);
    }

    /** A JPEG's raw YCbCr raster: libjpeg's integer YCbCr-to-RGB, then the grey formula, in one pass. */
    static GreyImage fromYcc(Raster raster, GreyMixer mixer) {
        ComponentSampleModel csm = (ComponentSampleModel) raster.getSampleModel();
        byte[] data = ((DataBufferByte) raster.getDataBuffer()).getData();
        int w = raster.getWidth();
        int h = raster.getHeight();
        int stride = csm.getScanlineStride();
        int px = csm.getPixelStride();
        int[] offs = csm.getBandOffsets();
        int base = baseOffset(raster, csm);
        byte[] out = new byte[w * h];
        // a row as RGB bytes, then GreyRows: its grey is several times faster than grey8 per pixel
        byte[] rgb = new byte[3 * w];
        for (int y = 0; y < h; y++) {
            int i = base + y * stride;
            for (int x = 0, o = 0; x < w; x++, i += px, o += 3) {
                int lum = data[i + offs[0]] & 0xFF;
                int cb = data[i + offs[1]] & 0xFF;
                int cr = data[i + offs[2]] & 0xFF;
                rgb[o] = LIMIT[lum + CR_R[cr] + 512];
                rgb[o + 1] = LIMIT[lum + ((CB_G[cb] + CR_G[cr]) >> SCALE_BITS) + 512];
                rgb[o + 2] = LIMIT[lum + CB_B[cb] + 512];
            }
            GreyRows.rgb8(rgb, 0, 3, 0, 1, 2, out, y * w, w, mixer.formula());
        }
        return GreyImage.of8(w, h, false, out);
    }

    /** Index of the raster's first sample (rasters may be children of a larger one). */
    private static int baseOffset(Raster raster, ComponentSampleModel csm) {
        return -raster.getSampleModelTranslateY() * csm.getScanlineStride()
                - raster.getSampleModelTranslateX() * csm.getPixelStride() + raster.getDataBuffer().getOffset();
    }
}
