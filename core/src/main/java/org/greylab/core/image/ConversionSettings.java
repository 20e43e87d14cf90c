package org.greylab.core.image;

import java.util.Objects;

/**
 * Everything that decides the bytes of one output, and nothing else: it travels with each task to an engine.
 *
 * @param format         the output container
 * @param formula        the grey weights
 * @param jpegQuality    JPEG quality 1-100
 * @param pngCompression zlib level 0-9 for PNG output (0 stores; 1-9 set the LZ77 effort on flat row bands)
 * @param pngFilter      PNG row filter
 * @param maxPixels      inputs whose header claims more pixels than this fail at stage decode
 * @param decoders       the decoders of the batch (JPEG, WebP, HEIF), the same everywhere so that outputs are
 *                       byte-identical
 */
public record ConversionSettings(OutputFormat format, GreyFormula formula, int jpegQuality, int pngCompression,
                                 PngFilter pngFilter, long maxPixels, Decoders decoders) {

    public static final int DEFAULT_JPEG_QUALITY = 90;
    /**
     * zlib level 1. The grey PNG encoder codes photographic row bands with Huffman coding alone (smaller and faster
     * than any LZ77 level there) and uses this level only for flat bands (graphics, borders), where level 1 already
     * gets most of the gain. Measured on the 14 corpus JPEGs (56 MP): 16.98 MB at level 1, 16.89 MB at 6 (+10 %
     * encode time), 16.87 MB at 9 (+60 %); ImageMagick writes 17.73 MB.
     */
    public static final int DEFAULT_PNG_COMPRESSION = 1;
    /**
     * PAETH. Measured side by side on the 14 corpus JPEGs (56 MP, 2-core VM): it encodes in 1.4-1.5 s against
     * 2.3-2.8 s for ADAPTIVE (libpng's per-row minimum sum of absolute values), a whole-process CPU ratio of 0.82,
     * for 0.33 % more bytes (17.04 MB against 16.98 MB; ImageMagick writes 17.73 MB). ADAPTIVE stays an option: it
     * is clearly better on flat graphics (94 KB against 103 KB for a text page). SUB, the fastest, is 18 % larger
     * on photos.
     */
    public static final PngFilter DEFAULT_PNG_FILTER = PngFilter.PAETH;
    public static final long DEFAULT_MAX_PIXELS = 250_000_000L;

    public ConversionSettings {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(formula, "formula");
        Objects.requireNonNull(pngFilter, "pngFilter");
        Objects.requireNonNull(decoders, "decoders");
        if (jpegQuality < 1 || jpegQuality > 100) {
            throw new IllegalArgumentException("JPEG quality must be 1-100, not " + jpegQuality);
        }
        if (pngCompression < 0 || pngCompression > 9) {
            throw new IllegalArgumentException("PNG compression must be 0-9, not " + pngCompression);
        }
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("the pixel limit must be positive, not " + maxPixels);
        }
    }

    /** Settings with this process's own best decoders ({@link Decoders#preferred()}). */
    public ConversionSettings(OutputFormat format, GreyFormula formula, int jpegQuality, int pngCompression,
                              PngFilter pngFilter, long maxPixels) {
        this(format, formula, jpegQuality, pngCompression, pngFilter, maxPixels, Decoders.preferred());
    }

    /** The batch's JPEG decoder. */
    public JpegDecoding jpegDecoding() {
        return decoders.jpeg();
    }

    public static ConversionSettings defaults() {
        return new ConversionSettings(OutputFormat.KEEP, GreyFormula.SKIMAGE, DEFAULT_JPEG_QUALITY,
                DEFAULT_PNG_COMPRESSION, DEFAULT_PNG_FILTER, DEFAULT_MAX_PIXELS);
    }

    public ConversionSettings withFormat(OutputFormat newFormat) {
        return new ConversionSettings(newFormat, formula, jpegQuality, pngCompression, pngFilter,
                maxPixels, decoders);
    }

    public ConversionSettings withFormula(GreyFormula newFormula) {
        return new ConversionSettings(format, newFormula, jpegQuality, pngCompression, pngFilter,
                maxPixels, decoders);
    }

    public ConversionSettings withJpegQuality(int quality) {
        return new ConversionSettings(format, formula, quality, pngCompression, pngFilter,
                maxPixels, decoders);
    }

    public ConversionSettings withPng(int compression, PngFilter filter) {
        return new ConversionSettings(format, formula, jpegQuality, compression, filter,
                maxPixels, decoders);
    }

    public ConversionSettings withMaxPixels(long limit) {
        return new ConversionSettings(format, formula, jpegQuality, pngCompression, pngFilter,
                limit, decoders);
    }

    public ConversionSettings withJpegDecoding(JpegDecoding decoding) {
        return withDecoders(new Decoders(decoding, decoders.libwebp(), decoders.libheif()));
    }

    public ConversionSettings withDecoders(Decoders batch) {
        return new ConversionSettings(format, formula, jpegQuality, pngCompression, pngFilter,
                maxPixels, batch);
    }
}
