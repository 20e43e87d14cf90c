package org.greylab.core.image;

import java.util.Objects;

/**
 * Everything that decides the bytes of one output, and nothing else: it travels with each task to an engine.
 *
 * @param format         the output container
 * @param formula        the grey weights
 * @param jpegQuality    JPEG quality 1-100
 * @param pngCompression zlib level 0-9 for PNG output
 * @param pngFilter      PNG row filter
 * @param maxPixels      inputs whose header claims more pixels than this fail at stage decode
 */
public record ConversionSettings(OutputFormat format, GreyFormula formula, int jpegQuality, int pngCompression,
                                 PngFilter pngFilter, long maxPixels) {

    public static final int DEFAULT_JPEG_QUALITY = 90;
    public static final int DEFAULT_PNG_COMPRESSION = 1;
    public static final PngFilter DEFAULT_PNG_FILTER = PngFilter.ADAPTIVE;
    public static final long DEFAULT_MAX_PIXELS = 250_000_000L;

    public ConversionSettings {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(formula, "formula");
        Objects.requireNonNull(pngFilter, "pngFilter");
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

    public static ConversionSettings defaults() {
        return new ConversionSettings(OutputFormat.KEEP, GreyFormula.SKIMAGE, DEFAULT_JPEG_QUALITY,
                DEFAULT_PNG_COMPRESSION, DEFAULT_PNG_FILTER, DEFAULT_MAX_PIXELS);
    }

    public ConversionSettings withFormat(OutputFormat newFormat) {
        return new ConversionSettings(newFormat, formula, jpegQuality, pngCompression, pngFilter, maxPixels);
    }

    public ConversionSettings withFormula(GreyFormula newFormula) {
        return new ConversionSettings(format, newFormula, jpegQuality, pngCompression, pngFilter, maxPixels);
    }

    public ConversionSettings withJpegQuality(int quality) {
        return new ConversionSettings(format, formula, quality, pngCompression, pngFilter, maxPixels);
    }

    public ConversionSettings withPng(int compression, PngFilter filter) {
        return new ConversionSettings(format, formula, jpegQuality, compression, filter, maxPixels);
    }

    public ConversionSettings withMaxPixels(long limit) {
        return new ConversionSettings(format, formula, jpegQuality, pngCompression, pngFilter, limit);
    }
}
