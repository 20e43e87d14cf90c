package org.greylab.core.image;

import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.EOFException;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bytes to a decoded image through ImageIO, with the decoder chosen on purpose, the decompression-bomb guard,
 * decoder warnings collected, and damage turned into a reason in words.
 *
 * <p>Decoder choice. JPEG: the JDK's reader for ordinary 1- and 3-component JPEGs (TwelveMonkeys' JPEG reader
 * delegates its pixel decoding to the JDK one anyway, and measured no faster), and TwelveMonkeys' reader for
 * 4-component (CMYK/YCCK) and Adobe-transform JPEGs, which the JDK cannot read; either one is retried with the
 * other when it refuses the file. An embedded ICC profile that is sRGB is not applied (decoding it is the identity,
 * and applying it through the colour management costs a full pass); any other embedded profile is converted to sRGB.
 * Other formats: the first reader ImageIO offers (TwelveMonkeys' plugins come before the JDK's where both exist).
 *
 * <p>Progressive JPEGs that the JDK reader takes are first transcoded to baseline, losslessly
 * ({@link ProgressiveJpegTranscoder}): the same coefficients, decoded about ten times faster. A stream the transcoder
 * does not take, or whose transcode does not decode cleanly, is decoded as it is.
 */
final class ImageDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(ImageDecoder.class);

    /**
     * The first image, decoded. For ordinary YCbCr JPEGs it is {@code ycc}, the decoder's raw YCbCr raster (the
     * kernel then does libjpeg's own YCbCr-to-RGB arithmetic fused with the grey formula, which makes decoding
     * 25-35 % faster); otherwise {@code image}.
     *
     * @param warnings what the user should know about the decoding
     */
    record Decoded(BufferedImage image, Raster ycc, List<String> warnings) {
    }

    private ImageDecoder() {
    }

    /** As {@link #decode(byte[], ImageFormat, SourceMetadata, long, Decoders)} with this process's own decoders. */
    static Decoded decode(byte[] input, ImageFormat format, SourceMetadata meta, long maxPixels)
            throws ConversionException, InterruptedException {
        return decode(input, format, meta, maxPixels, Decoders.preferred());
    }

    /** @param decoders the batch's WebP and HEIF decoders (its JPEG decoder is the kernel's business) */
    static Decoded decode(byte[] input, ImageFormat format, SourceMetadata meta, long maxPixels, Decoders decoders)
            throws ConversionException, InterruptedException {
        if (format == ImageFormat.TIFF) {
            TiffVariants.Prepared prepared = TiffVariants.prepare(input, maxPixels, decoders);
            Decoded d = decodeFirstImage(prepared.bytes(), format, meta, maxPixels);
            List<String> warnings = new ArrayList<>(prepared.warnings());
            warnings.addAll(TiffVariants.withoutNoise(d.warnings(), prepared));
            return new Decoded(TiffVariants.correct(d.image(), prepared), d.ycc(), warnings);
        }
        if (format == ImageFormat.WEBP) {
            return decodeWebp(input, meta, maxPixels, decoders);
        }
        if (format == ImageFormat.HEIF) {
            NativeHeifDecoder libheif = HeifDecoders.nativeDecoder();
            if (libheif == null) {
                throw new ConversionException(Stage.DECODE, HeifDecoders.unreadable(input));
            }
            if (!decoders.libheif()) {
                throw new ConversionException(Stage.DECODE, HeifDecoders.unreadableInThisBatch(input));
            }
            return new Decoded(libheif.decode(input, maxPixels), null, List.of());
        }
        if (format == ImageFormat.JPEG && meta.jpeg() != null && isArithmetic(meta.jpeg().frameMarker())) {
            // the JDK's words for it are "Sorry, there are legal restrictions on arithmetic coding"
            throw new ConversionException(Stage.DECODE, "this JPEG is arithmetic-coded, which the Java JPEG decoder"
                    + " does not read; djpeg (libjpeg-turbo) converts it");
        }
        if (format == ImageFormat.JPEG && meta.jpeg() != null && meta.jpeg().precision() == 12) {
            // what the JDK's decoder says is "Unsupported JPEG data precision 12", as if the file were broken
            throw new ConversionException(Stage.DECODE, "this is a 12-bit JPEG, which this program does not read (the"
                    + " JPEG decoders it uses are 8-bit); djpeg from libjpeg-turbo 3.0 or newer converts it");
        }
        byte[] baseline = isTranscodable(format, meta) ? ProgressiveJpegTranscoder.toBaseline(input, maxPixels)
                : null;
        if (baseline != null) {
            try {
                Decoded decoded = decodeFirstImage(baseline, format, meta, maxPixels);
                if (decoded.warnings().isEmpty()) {
                    return decoded;
                }
                LOG.debug("the baseline transcode decoded with warnings {}; decoding the original", decoded.warnings());
            } catch (ConversionException e) {
                LOG.debug("the baseline transcode did not decode; decoding the original", e);
            }
        }
        return decodeFirstImage(input, format, meta, maxPixels);
    }

    /** SOF9-SOF11 and SOF13-SOF15: arithmetic-coded frames. */
    private static boolean isArithmetic(int frameMarker) {
        return frameMarker >= 0xC9 && frameMarker <= 0xCB || frameMarker >= 0xCD && frameMarker <= 0xCF;
    }

    /** libwebp where the batch decodes with it (a file it refuses, such as an animation, takes the Java decoder). */
    private static Decoded decodeWebp(byte[] input, SourceMetadata meta, long maxPixels, Decoders decoders)
            throws ConversionException {
        NativeWebpDecoder libwebp = WebpDecoders.forBatch(decoders);
        if (libwebp != null) {
            BufferedImage image = libwebp.decode(input, maxPixels);
            if (image != null) {
                return new Decoded(image, null, List.of());
            }
        }
        Decoded d = decodeFirstImage(input, ImageFormat.WEBP, meta, maxPixels);
        if (!WebpDecoders.isLossy(input)) {
            return d;
        }
        List<String> warnings = new ArrayList<>(d.warnings());
        warnings.add(WebpDecoders.approximate());
        return new Decoded(d.image(), d.ycc(), warnings);
    }

    /**
     * A progressive Huffman JPEG that the JDK reader decodes (1 or 3 components, no Adobe YCCK transform): it is
     * transcoded to baseline first, since the JDK decodes progressive files about ten times slower.
     */
    private static boolean isTranscodable(ImageFormat format, SourceMetadata meta) {
        if (format != ImageFormat.JPEG || meta.jpeg() == null || !meta.jpeg().progressive()) {
            return false;
        }
        SourceMetadata.JpegFacts f = meta.jpeg();
        return (f.components() == 1 || f.components() == 3) && f.adobeTransform() != 2;
    }

    private static Decoded decodeFirstImage(byte[] input, ImageFormat format, SourceMetadata meta, long maxPixels)
            throws ConversionException {
        List<ImageReader> readers = readersFor(input, format, meta);
        if (readers.isEmpty()) {
            throw new ConversionException(Stage.DECODE, "no decoder for " + format.displayName() + " in this program");
        }
        Exception firstFailure = null;
        try {
            for (ImageReader reader : readers) {
                try {
                    return decodeWith(reader, input, format, meta, maxPixels);
                } catch (IOException | RuntimeException e) {
                    // This reader refused the file; the next one (if any) may read it.
                    if (firstFailure == null) {
                        firstFailure = e;
                    }
                } catch (OutOfMemoryError e) {
                    throw new ConversionException(Stage.DECODE, "not enough memory to decode this image");
                }
            }
        } finally {
            readers.forEach(ImageReader::dispose);
        }
        if (format == ImageFormat.JPEG && meta.jpeg() != null && meta.jpeg().endsInHeader()) {
            // the JDK's reader says only "No SOF segment in stream" of a file cut inside its header
            throw new ConversionException(Stage.DECODE, "the file is truncated or damaged: it ends before its image"
                    + " data, inside its header", firstFailure);
        }
        throw new ConversionException(Stage.DECODE, reasonFor(firstFailure), firstFailure);
    }

    private static Decoded decodeWith(ImageReader reader, byte[] input, ImageFormat format, SourceMetadata meta,
                                      long maxPixels) throws ConversionException, IOException {
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        try (ImageInputStream in = new ByteArrayImageInputStream(input)) {
            reader.setInput(in, false, true);
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            long pixels = (long) width * height;
            if (pixels > maxPixels) {
                throw tooLarge(width, height, maxPixels);
            }
            if (pixels * 4 > Integer.MAX_VALUE - 64) {
                throw new ConversionException(Stage.DECODE, "image too large for this program: " + width + " x "
                        + height + " = " + megapixels(pixels) + " megapixels");
            }
            ImageReadParam param = reader.getDefaultReadParam();
            byte[] profileToApply = null;
            if (format == ImageFormat.JPEG && meta.jpeg() != null && meta.jpeg().icc() != null
                    && isJdkReader(reader)) {
                profileToApply = keepEmbeddedProfile(reader, param, meta.jpeg().icc());
            }
            BufferedImage image = null;
            Raster ycc = null;
            if (format == ImageFormat.JPEG && isJdkReader(reader) && rawYccIsExact(meta.jpeg())) {
                ycc = reader.readRaster(0, null);
            } else {
                image = reader.read(0, param);
                if (profileToApply != null) {
                    image = EmbeddedProfiles.toSrgb(image, profileToApply);
                }
            }
            for (String w : warnings) {
                if (meansTruncated(w)) {
                    throw new ConversionException(Stage.DECODE, "the file is truncated or damaged: " + w);
                }
            }
            List<String> notes = new ArrayList<>();
            for (String w : warnings) {
                notes.add("the decoder reported damage it worked around: " + w);
            }
            countPages(reader, format, notes);
            if (format == ImageFormat.GIF) {
                image = onLogicalScreen(image, input, maxPixels);
            }
            if (format == ImageFormat.PNG && meta.pngTransparentGrey() >= 0) {
                image = withTransparentGrey(image, meta.pngTransparentGrey());
            }
            if (format == ImageFormat.PNG && meta.pngIcc() != null) {
                image = applyPngProfile(image, meta.pngIcc());
            }
            return new Decoded(image, ycc, notes);
        }
    }

    /** Raw YCbCr gives the same pixels as the decoder's RGB when no colour profile other than sRGB applies. */
    private static boolean rawYccIsExact(SourceMetadata.JpegFacts facts) {
        // the JDK ignores an invalid profile too (with a warning)
        return facts != null && facts.isYcc() && (facts.icc() == null || isSrgb(facts.icc(), true));
    }

    /** Whether an embedded ICC profile is sRGB (decoding it changes nothing); {@code ifInvalid} when it is broken. */
    static boolean isSrgb(byte[] icc, boolean ifInvalid) {
        ProfileFacts facts = ProfileFacts.of(icc);
        return facts.valid() ? facts.srgb() : ifInvalid;
    }

    private static void countPages(ImageReader reader, ImageFormat format, List<String> notes) throws IOException {
        if (format != ImageFormat.TIFF && format != ImageFormat.GIF && format != ImageFormat.WEBP) {
            return;
        }
        int n = reader.getNumImages(true);
        if (n > 1 && format == ImageFormat.TIFF) {
            notes.add("the TIFF has " + n + " pages: only the first page was converted");
        } else if (n > 1) {
            notes.add("animated " + format.name() + " with " + n + " frames: only the first frame was converted");
        }
    }

    private static List<ImageReader> readersFor(byte[] input, ImageFormat format, SourceMetadata meta) {
        List<ImageReader> readers = new ArrayList<>();
        try (ImageInputStream in = new ByteArrayImageInputStream(input)) {
            for (Iterator<ImageReader> it = ImageIO.getImageReaders(in); it.hasNext(); ) {
                readers.add(it.next());
            }
        } catch (IOException e) {
            return readers;
        }
        if (format == ImageFormat.JPEG && meta.jpeg() != null) {
            SourceMetadata.JpegFacts f = meta.jpeg();
            boolean plain = (f.components() == 1 || f.components() == 3) && f.adobeTransform() != 2;
            // Plain JPEGs: the JDK reader first; CMYK/YCCK/Adobe: TwelveMonkeys first. Stable sort keeps the rest.
            readers.sort((a, b) -> Boolean.compare(isJdkReader(a) != plain, isJdkReader(b) != plain));
        }
        return readers;
    }

    private static boolean isJdkReader(ImageReader reader) {
        return reader.getClass().getName().startsWith("com.sun.imageio.");
    }

    /**
     * Asks the JDK JPEG reader for its "raw RGB in the embedded profile" image type, so that it skips its own
     * colour-managed pass: for an sRGB profile that pass would change nothing; another RGB profile is then applied
     * by {@link EmbeddedProfiles}, which keeps each profile's transform instead of building it for every image.
     *
     * @return the profile to apply to what the reader returns, or null when there is none to apply (sRGB, not RGB,
     *         invalid, or the reader offers no such type and converts by itself)
     */
    private static byte[] keepEmbeddedProfile(ImageReader reader, ImageReadParam param, byte[] icc)
            throws IOException {
        ProfileFacts facts = ProfileFacts.of(icc);
        if (!facts.valid()) {
            return null;
        }
        boolean srgb = facts.srgb();
        if (!srgb && !EmbeddedProfiles.converts(facts)) {
            return null;
        }
        for (Iterator<ImageTypeSpecifier> it = reader.getImageTypes(0); it.hasNext(); ) {
            ImageTypeSpecifier type = it.next();
            ColorSpace cs = type.getColorModel().getColorSpace();
            if (cs instanceof ICC_ColorSpace && !cs.isCS_sRGB() && cs.getType() == ColorSpace.TYPE_RGB
                    && (srgb || type.getColorModel().getNumComponents() == 3
                    && type.getColorModel().getComponentSize(0) == 8)) {
                param.setDestinationType(type);
                return srgb ? null : icc;
            }
        }
        return null;
    }

    /**
     * A GIF's first frame on its logical screen when the frame is smaller or placed at an offset (a screen of zero
     * size, or one above the pixel limit, leaves the frame as it is).
     */
    private static BufferedImage onLogicalScreen(BufferedImage frame, byte[] gif, long maxPixels) {
        GifScreen screen = GifScreen.read(gif);
        if (screen == null || screen.frameFillsScreen() || screen.width() == 0 || screen.height() == 0
                || (long) screen.width() * screen.height() > maxPixels) {
            return frame;
        }
        return screen.place(frame);
    }

    /**
     * A grey PNG of 1, 2 or 4 bits with tRNS: the JDK's reader compares the tRNS value with the samples after scaling
     * them to 8 bits, so no pixel comes out transparent. Its grey+alpha is rebuilt here from the grey levels.
     */
    private static BufferedImage withTransparentGrey(BufferedImage image, int transparentLevel) {
        Raster src = image.getRaster();
        ColorModel cm = image.getColorModel();
        if (cm.getComponentSize(0) != 8 || !(cm instanceof IndexColorModel || src.getNumBands() <= 2)) {
            return image;
        }
        ComponentColorModel greyAlpha = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), true,
                false, ColorModel.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        int w = image.getWidth();
        int h = image.getHeight();
        WritableRaster out = greyAlpha.createCompatibleWritableRaster(w, h);
        int[] row = new int[w];
        int[] pixels = new int[2 * w];
        for (int y = 0; y < h; y++) {
            src.getSamples(src.getMinX(), src.getMinY() + y, w, 1, 0, row);
            for (int x = 0; x < w; x++) {
                int grey = cm instanceof IndexColorModel icm ? icm.getRed(row[x]) : row[x];
                pixels[2 * x] = grey;
                pixels[2 * x + 1] = grey == transparentLevel ? 0 : 255;
            }
            out.setPixels(0, y, w, 1, pixels);
        }
        return new BufferedImage(greyAlpha, out, false, null);
    }

    /** The JDK's PNG reader ignores iCCP: an RGB profile that is not sRGB is applied here. */
    private static BufferedImage applyPngProfile(BufferedImage image, byte[] icc) {
        ColorModel cm = image.getColorModel();
        // what the profile is comes from ProfileFacts, read once per profile; only a profile to apply is opened here
        if (!EmbeddedProfiles.converts(ProfileFacts.of(icc)) || !(cm instanceof ComponentColorModel)
                || cm.getNumColorComponents() != 3) {
            return image;
        }
        ColorModel tagged = new ComponentColorModel(new ICC_ColorSpace(ICC_Profile.getInstance(icc)), cm.hasAlpha(),
                cm.isAlphaPremultiplied(), cm.getTransparency(), cm.getTransferType());
        return GreyConverter.toSrgb(new BufferedImage(tagged, image.getRaster(), false, null));
    }

    /** The reason a header that claims more pixels than the limit fails with, whichever decoder read it. */
    static ConversionException tooLarge(int width, int height, long maxPixels) {
        return new ConversionException(Stage.DECODE, "image too large: " + width + " x " + height + " = "
                + megapixels((long) width * height) + " megapixels, above the " + megapixels(maxPixels)
                + " megapixel limit");
    }

    private static boolean meansTruncated(String warning) {
        String w = warning.toLowerCase(Locale.ROOT);
        return w.contains("premature end") || w.contains("truncated") || w.contains("missing eoi");
    }

    private static String reasonFor(Throwable e) {
        if (e instanceof EOFException && e.getMessage() == null) {
            return "the file is truncated or damaged: it ends before its image data does";
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof EOFException || t.getMessage() != null
                    && t.getMessage().toLowerCase(Locale.ROOT).matches(".*(truncat|premature end|end of (file|stream)|unexpected eof).*")) {
                return "the file is truncated or damaged: " + message;
            }
        }
        if (e instanceof IOException) {
            return "the file is damaged or uses a variant this program cannot read: " + message;
        }
        return "the decoder failed on this file: " + message;
    }

    /** "900", "12.3", "0.001": megapixels to three significant digits at most. */
    static String megapixels(long pixels) {
        return new BigDecimal(pixels).divide(BigDecimal.valueOf(1_000_000), new MathContext(3)).stripTrailingZeros()
                .toPlainString();
    }
}
