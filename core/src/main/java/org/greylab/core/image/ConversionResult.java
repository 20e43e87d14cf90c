package org.greylab.core.image;

import java.util.List;

/**
 * The grey output of one image and what it cost.
 *
 * @param output       the encoded output file's bytes
 * @param outputFormat the container {@code output} is in
 * @param inputFormat  the container the input was found to be
 * @param width        output width (after EXIF orientation)
 * @param height       output height
 * @param bitDepth     bits per grey sample in the output (8 or 16)
 * @param warnings     things the user should know (first page of several, first frame of an animation, ...)
 * @param timings      decode, convert and encode times; read and write are zero here
 */
public record ConversionResult(byte[] output, ImageFormat outputFormat, ImageFormat inputFormat, int width,
                               int height, int bitDepth, List<String> warnings, StageTimings timings) {

    public ConversionResult {
        warnings = List.copyOf(warnings);
    }

    public long pixels() {
        return (long) width * height;
    }
}
