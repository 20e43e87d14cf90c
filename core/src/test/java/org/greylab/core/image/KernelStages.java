package org.greylab.core.image;

import java.util.concurrent.Executor;
import java.util.zip.Deflater;

/**
 * The kernel's stages one by one, for the benchmark in {@code org.greylab.core.bench} (test code only: production
 * callers use {@link GreyscaleKernel#convert}, which runs them in this order).
 */
public final class KernelStages {

    private KernelStages() {
    }

    /** A decoded image with what the later stages need from its container. */
    public record Decoded(Object image, Object metadata) {
    }

    /** A grey plane ready to encode. */
    public record Grey(Object plane, Object metadata) {
        public long pixels() {
            GreyImage g = (GreyImage) plane;
            return (long) g.width() * g.height();
        }
    }

    public static Decoded decode(byte[] input) throws ConversionException, InterruptedException {
        ImageFormat format = ImageFormat.sniff(input).orElseThrow();
        SourceMetadata meta = SourceMetadata.read(format, input);
        return new Decoded(ImageDecoder.decode(input, format, meta, Long.MAX_VALUE), meta);
    }

    public static Grey convert(Decoded decoded, GreyFormula formula) {
        SourceMetadata meta = (SourceMetadata) decoded.metadata();
        GreyImage grey = Orientation.apply(GreyConverter.toGrey((ImageDecoder.Decoded) decoded.image(), formula), meta.orientation());
        return new Grey(grey, meta);
    }

    public static byte[] encodePng(Grey grey, int level, PngFilter filter) {
        SourceMetadata meta = (SourceMetadata) grey.metadata();
        return GreyPngEncoder.encode((GreyImage) grey.plane(), level, filter, meta.dpiX(), meta.dpiY(),
                GreyscaleKernel.pngCreationTime(meta.captureDate()), meta.exif());
    }

    /** {@link #encodePng(Grey, int, PngFilter)} with the image's bands filtered and deflated on {@code executor}. */
    public static byte[] encodePng(Grey grey, int level, PngFilter filter, Executor executor) {
        SourceMetadata meta = (SourceMetadata) grey.metadata();
        return GreyPngEncoder.encode((GreyImage) grey.plane(), level, filter, meta.dpiX(), meta.dpiY(),
                GreyscaleKernel.pngCreationTime(meta.captureDate()), meta.exif(), executor);
    }

    /**
     * The floor the PNG encoder is measured against: the whole image filtered into one array, then deflated in one
     * Huffman-only pass into one presized array, with no flat-slice detection, checksum, bands or chunks.
     *
     * @return the deflated length
     */
    public static int huffmanOnlyDeflate(Grey grey, PngFilter filter) {
        GreyImage img = (GreyImage) grey.plane();
        if (img.bitDepth() != 8) {
            throw new IllegalArgumentException("8-bit planes only");
        }
        int bpp = img.channels();
        int rowBytes = img.width() * bpp;
        byte[] filtered = new byte[(rowBytes + 1) * img.height()];
        PngRowFilter.filterRows(img.bytes(), rowBytes, bpp, filter, 0, img.height(), filtered, 0);
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try {
            deflater.setStrategy(Deflater.HUFFMAN_ONLY);
            deflater.setInput(filtered);
            deflater.finish();
            byte[] out = new byte[filtered.length + filtered.length / 64 + 1024];
            int n = 0;
            while (!deflater.finished()) {
                n += deflater.deflate(out, n, out.length - n);
            }
            return n;
        } finally {
            deflater.end();
        }
    }
}
