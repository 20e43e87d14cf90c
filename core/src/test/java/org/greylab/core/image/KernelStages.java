package org.greylab.core.image;

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
}
