package org.greylab.core.image;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The image kernel: encoded bytes in, encoded grey bytes out, with its own stage timings. It never sees a path, so it
 * runs the same in the app and on a remote engine. Thread-safe and stateless: one instance may serve many threads.
 *
 * <h2>What it does</h2>
 * <ol>
 *   <li><b>decode</b>: the format is found from the content ({@link ImageFormat#sniff}), never the name. ImageIO with
 *   the TwelveMonkeys plugins reads JPEG (baseline, progressive, CMYK/YCCK/Adobe, embedded ICC profiles), PNG (1-16
 *   bit, palette, grey, alpha), TIFF (LZW/Deflate/JPEG/old-style JPEG/LZMA/WebP, CIELab, associated alpha;
 *   multi-page: the first page, with a warning), BMP, GIF (animated: the first frame, with a warning), WebP (by
 *   libwebp on Java 22+ where present), PSD and HEIC/AVIF (by libheif on Java 22+ where present); see
 *   {@link ImageDecoder} for which reader is chosen, and docs/FORMATS.md for what is refused and why.
 *   A progressive Huffman JPEG is first transcoded losslessly to baseline ({@link ProgressiveJpegTranscoder}: the
 *   same coefficients, so the same pixels), since the JDK decodes progressive files about ten times slower.
 *   The pixel count is checked from the header before any pixel is decoded: above
 *   {@link ConversionSettings#maxPixels()} the file fails here ("image too large: W x H = N megapixels, above the L
 *   megapixel limit"). An embedded ICC profile that is not sRGB is converted to sRGB.</li>
 *   <li><b>convert</b>: grey from the raster arrays with {@link GreyFormula} (default scikit-image's
 *   {@code rgb2gray}: Y = 0.2125 R + 0.7154 G + 0.0721 B on the 8-bit values, rounded to the nearest level; exact
 *   integer arithmetic equal to rounding the double formula). Grey inputs keep their values; 16-bit inputs stay
 *   16-bit; alpha is kept beside the grey of the colour channels. Then the EXIF orientation is applied, so the
 *   output stands as the photo is seen.</li>
 *   <li><b>encode</b>: {@link OutputFormat#resolve} picks the container. PNG: a grey-only encoder (8/16-bit, grey or
 *   grey+alpha) at {@link ConversionSettings#pngCompression()} and {@link ConversionSettings#pngFilter()}, carrying
 *   the resolution (pHYs), the capture date (tEXt "Creation Time") and the EXIF block (eXIf). JPEG: 8-bit at
 *   {@link ConversionSettings#jpegQuality()}, alpha flattened on white, JFIF density and the source's EXIF (APP1).
 *   TIFF: ZLib-compressed, 8/16-bit, alpha kept, resolution and DateTime. Every EXIF block written has its
 *   Orientation reset to 1, since the pixels are already turned.</li>
 * </ol>
 *
 * <h2>Damaged files</h2>
 * A file the decoder can read only in part never passes silently. When the decoder reports that data is missing
 * (the JDK's JPEG reader warns "Premature end of JPEG file" and fills the rest grey; other readers throw on end of
 * data) the file <b>fails at stage decode</b> with "the file is truncated or damaged: ...". Damage a decoder
 * reports and works around without losing picture data (for example "extraneous bytes before marker") converts,
 * with a warning in the result that the report shows. Every reason is in words; no stack trace reaches the user.
 *
 * <p>Stages are separated by interruption checks: a cancelled conversion throws {@link InterruptedException}
 * between decode, convert and encode.
 */
public final class GreyscaleKernel {

    private static final Logger LOG = LoggerFactory.getLogger(GreyscaleKernel.class);

    static {
        ImageIO.setUseCache(false);
        ImageIO.scanForPlugins();
    }

    /**
     * Converts one image.
     *
     * @param input    the whole input file's bytes
     * @param settings output format, formula and encoder options
     * @return the grey output's bytes, its facts and the decode/convert/encode timings
     * @throws ConversionException  the image cannot be converted: the stage and a reason in words
     * @throws InterruptedException the calling thread was interrupted (checked between stages)
     */
    public ConversionResult convert(byte[] input, ConversionSettings settings)
            throws ConversionException, InterruptedException {
        if (input == null || input.length == 0) {
            throw new ConversionException(Stage.DECODE, "the file is empty");
        }
        ImageFormat inputFormat = sniff(input);
        checkInterrupted();

        long t0 = System.nanoTime();
        List<String> warnings = new ArrayList<>();
        if (inputFormat == ImageFormat.PNG) {
            // CRCs and structure first: the metadata below must not come from a chunk whose CRC is wrong either
            PngChunks.Checked checked = PngChunks.check(input, settings.maxPixels());
            input = checked.bytes();
            warnings.addAll(checked.warnings());
        } else if (inputFormat == ImageFormat.BMP) {
            BmpHeader.check(input);
        }
        SourceMetadata meta;
        try {
            meta = SourceMetadata.read(inputFormat, input);
        } catch (SourceMetadata.IccTooLargeException e) {
            throw new ConversionException(Stage.DECODE, e.getMessage());
        }
        if (meta.jpeg() != null && meta.jpeg().progressive() && ProgressiveCoverage.missingCoefficients(input) > 0) {
            // every decoder shows such a file without a word: only its first scans are there
            throw new ConversionException(Stage.DECODE, "the file is truncated or damaged: its progressive scans end"
                    + " (at an EOI marker) before every coefficient of the picture has arrived");
        }
        NativeJpegDecoder.Decoded fast = decodeNatively(input, inputFormat, meta, settings);
        ImageDecoder.Decoded decoded = fast != null ? null
                : ImageDecoder.decode(input, inputFormat, meta, settings.maxPixels(), settings.decoders());
        if (decoded != null) {
            warnings.addAll(decoded.warnings());
        }
        checkInterrupted();

        // the native path's grey step ran inside it: its time counts as convert, as the Java path's does
        long t1 = fast != null ? t0 + fast.decodeNanos() : System.nanoTime();
        GreyImage grey;
        try {
            grey = fast != null ? fast.image() : GreyConverter.toGrey(decoded, settings.formula());
            grey = Orientation.apply(grey, meta.orientation());
        } catch (RuntimeException e) {
            LOG.debug("grey conversion failed", e);
            throw new ConversionException(Stage.CONVERT, "the image's pixel layout could not be converted: "
                    + e.getMessage(), e);
        } catch (OutOfMemoryError e) {
            throw new ConversionException(Stage.CONVERT, "not enough memory to convert this image");
        }
        checkInterrupted();

        long t2 = System.nanoTime();
        ImageFormat outputFormat = settings.format().resolve(inputFormat);
        byte[] output;
        try {
            output = encode(grey, outputFormat, meta, settings);
        } catch (IOException | RuntimeException e) {
            LOG.debug("encoding failed", e);
            throw new ConversionException(Stage.ENCODE, "the " + outputFormat.displayName()
                    + " output could not be encoded: " + e.getMessage(), e);
        } catch (OutOfMemoryError e) {
            throw new ConversionException(Stage.ENCODE, "not enough memory to encode this image");
        }
        long t3 = System.nanoTime();
        int bitDepth = outputFormat == ImageFormat.JPEG ? 8 : grey.bitDepth();
        return new ConversionResult(output, outputFormat, inputFormat, grey.width(), grey.height(), bitDepth,
                warnings, new StageTimings(0, t1 - t0, t2 - t1, t3 - t2, 0));
    }

    private static ImageFormat sniff(byte[] input) throws ConversionException {
        var format = ImageFormat.sniff(input);
        if (format.isPresent()) {
            return format.get();
        }
        String damagedPng = PngChunks.damagedSignature(input);
        throw new ConversionException(Stage.DECODE, damagedPng != null ? damagedPng
                : "not an image: the content is not a known image format");
    }

    /**
     * The batch's native decoder on a JPEG it takes: 8-bit Huffman-coded grey or YCbCr, no colour profile other than
     * sRGB. Null sends the file to the Java path (other JPEGs, other formats, a batch that decodes with Java, or a
     * file the native decoder warned about).
     */
    private static NativeJpegDecoder.Decoded decodeNatively(byte[] input, ImageFormat format, SourceMetadata meta,
                                                            ConversionSettings settings)
            throws ConversionException {
        if (format != ImageFormat.JPEG || settings.jpegDecoding() != JpegDecoding.TURBO) {
            return null;
        }
        NativeJpegDecoder decoder = JpegDecoders.nativeDecoder();
        if (decoder == null) {
            // the client gives a batch the native decoder only when every engine of it has one
            throw new ConversionException(Stage.DECODE, "this batch decodes JPEGs with libjpeg-turbo, which this"
                    + " engine does not have: " + JpegDecoders.description());
        }
        SourceMetadata.JpegFacts f = meta.jpeg();
        // a broken profile goes to the Java path too, which warns about it as before
        if (f == null || f.precision() != 8 || !f.isHuffmanDct()
                || !(f.components() == 1 || f.components() == 3 && f.isYcc())
                || f.icc() != null && !ImageDecoder.isSrgb(f.icc(), false)) {
            return null;
        }
        return decoder.decodeGrey(input, f.components(), settings.maxPixels(), settings.formula());
    }

    private static byte[] encode(GreyImage grey, ImageFormat format, SourceMetadata meta, ConversionSettings s)
            throws IOException {
        byte[] exif = meta.exif() == null ? null : Exif.uprighted(meta.exif(), grey.width(), grey.height());
        return switch (format) {
            case JPEG -> GreyJpegEncoder.encode(grey, s.jpegQuality(), meta.dpiX(), meta.dpiY(), exif);
            case TIFF -> GreyTiffEncoder.encode(grey, meta.dpiX(), meta.dpiY(), meta.captureDate());
            case PNG -> GreyPngEncoder.encode(grey, s.pngCompression(), s.pngFilter(), meta.dpiX(), meta.dpiY(),
                    pngCreationTime(meta.captureDate()), exif);
            default -> throw new IOException("writing " + format.displayName() + " is not supported");
        };
    }

    /** EXIF "YYYY:MM:DD HH:MM:SS" as ISO 8601 (what PNG recommends for "Creation Time"); other text as found. */
    static String pngCreationTime(String captureDate) {
        if (captureDate != null && captureDate.matches("\\d{4}:\\d{2}:\\d{2} \\d{2}:\\d{2}:\\d{2}")) {
            return captureDate.substring(0, 4) + "-" + captureDate.substring(5, 7) + "-" + captureDate.substring(8, 10)
                    + "T" + captureDate.substring(11);
        }
        return captureDate;
    }

    private static void checkInterrupted() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("conversion cancelled");
        }
    }
}
