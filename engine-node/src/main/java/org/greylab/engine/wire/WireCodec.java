package org.greylab.engine.wire;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.greylab.core.image.ConversionResult;
import org.greylab.core.image.ConversionSettings;
import org.greylab.core.image.GreyFormula;
import org.greylab.core.image.ImageFormat;
import org.greylab.core.image.JpegDecoding;
import org.greylab.core.image.OutputFormat;
import org.greylab.core.image.PngFilter;
import org.greylab.core.image.StageTimings;

/** Field-by-field encoding of core's records; enums travel by name so a reordered enum cannot change meaning. */
final class WireCodec {

    private WireCodec() {
    }

    static void writeSettings(ObjectDataOutput out, ConversionSettings settings) throws IOException {
        out.writeString(settings.format().name());
        out.writeString(settings.formula().name());
        out.writeInt(settings.jpegQuality());
        out.writeInt(settings.pngCompression());
        out.writeString(settings.pngFilter().name());
        out.writeLong(settings.maxPixels());
        out.writeString(settings.jpegDecoding().name());
    }

    static ConversionSettings readSettings(ObjectDataInput in) throws IOException {
        OutputFormat format = OutputFormat.valueOf(in.readString());
        GreyFormula formula = GreyFormula.valueOf(in.readString());
        int jpegQuality = in.readInt();
        int pngCompression = in.readInt();
        PngFilter pngFilter = PngFilter.valueOf(in.readString());
        long maxPixels = in.readLong();
        JpegDecoding jpegDecoding = JpegDecoding.valueOf(in.readString());
        return new ConversionSettings(format, formula, jpegQuality, pngCompression, pngFilter, maxPixels,
                jpegDecoding);
    }

    static void writeResult(ObjectDataOutput out, ConversionResult result) throws IOException {
        out.writeByteArray(result.output());
        out.writeString(result.outputFormat().name());
        out.writeString(result.inputFormat().name());
        out.writeInt(result.width());
        out.writeInt(result.height());
        out.writeInt(result.bitDepth());
        out.writeInt(result.warnings().size());
        for (String warning : result.warnings()) {
            out.writeString(warning);
        }
        StageTimings t = result.timings();
        out.writeLong(t.readNanos());
        out.writeLong(t.decodeNanos());
        out.writeLong(t.convertNanos());
        out.writeLong(t.encodeNanos());
        out.writeLong(t.writeNanos());
    }

    static ConversionResult readResult(ObjectDataInput in) throws IOException {
        byte[] output = in.readByteArray();
        ImageFormat outputFormat = ImageFormat.valueOf(in.readString());
        ImageFormat inputFormat = ImageFormat.valueOf(in.readString());
        int width = in.readInt();
        int height = in.readInt();
        int bitDepth = in.readInt();
        int warningCount = in.readInt();
        List<String> warnings = new ArrayList<>(warningCount);
        for (int i = 0; i < warningCount; i++) {
            warnings.add(in.readString());
        }
        StageTimings timings = new StageTimings(in.readLong(), in.readLong(), in.readLong(), in.readLong(),
                in.readLong());
        return new ConversionResult(output, outputFormat, inputFormat, width, height, bitDepth, warnings, timings);
    }
}
