package org.greylab.engine.wire;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.greylab.core.image.ConversionResult;
import org.greylab.core.image.ConversionSettings;
import org.greylab.core.image.GreyFormula;
import org.greylab.core.image.ImageFormat;
import org.greylab.core.image.Decoders;
import org.greylab.core.image.JpegDecoding;
import org.greylab.core.image.OutputFormat;
import org.greylab.core.image.PngFilter;
import org.greylab.core.image.Stage;
import org.greylab.core.image.StageTimings;
import org.greylab.core.schedule.ConvertTask;

/**
 * Field-by-field encoding of what a task and an answer carry, into the plain bytes that {@code Sealer} seals. Enums
 * travel by name so a reordered enum cannot change meaning. Every count and length read is checked against a cap and
 * against the bytes actually there, so a hostile peer cannot make the reader allocate more than it sent.
 */
final class WireCodec {

    /** A relative path longer than this is no path a scanner produced. */
    static final int MAX_PATH_CHARS = 4096;
    /** Engine strings (warnings, reasons) are cut to this; a real one is a sentence. */
    static final int MAX_TEXT_CHARS = 500;
    /** More warnings than this are dropped: a real image gives one or two. */
    static final int MAX_WARNINGS = 16;
    private static final int MAX_NAME_CHARS = 64;

    private WireCodec() {
    }

    static byte[] encodeTask(ConvertTask task) {
        return write(task.input().length + FIELDS_ROOM, out -> {
            writeString(out, task.relativePath());
            writeBytes(out, task.input());
            writeSettings(out, task.settings());
        });
    }

    static ConvertTask decodeTask(long taskId, byte[] plain) throws IOException {
        DataInputStream in = reader(plain);
        String relativePath = readString(in, MAX_PATH_CHARS, false);
        byte[] input = readBytes(in);
        return new ConvertTask(taskId, relativePath, input, readSettings(in));
    }

    /** An answer: kernel times, then the result or the failure. */
    static byte[] encodeAnswer(ConversionResult result, Stage failedStage, String failureReason, long startedMicros,
                               long finishedMicros) {
        return write((result == null ? 0 : result.output().length) + FIELDS_ROOM, out -> {
            out.writeLong(startedMicros);
            out.writeLong(finishedMicros);
            out.writeBoolean(result != null);
            if (result != null) {
                writeResult(out, result);
            } else {
                writeString(out, failedStage.name());
                writeString(out, truncate(failureReason, MAX_TEXT_CHARS));
            }
        });
    }

    /** What an answer's plain bytes say; the client checks it further before it writes anything. */
    record Answer(ConversionResult result, Stage failedStage, String failureReason, long startedMicros,
                  long finishedMicros) {
    }

    static Answer decodeAnswer(byte[] plain) throws IOException {
        DataInputStream in = reader(plain);
        long started = in.readLong();
        long finished = in.readLong();
        if (in.readBoolean()) {
            return new Answer(readResult(in), null, null, started, finished);
        }
        Stage stage = readEnum(in, Stage.class);
        return new Answer(null, stage, readString(in, MAX_TEXT_CHARS, true), started, finished);
    }

    static byte[] encodeLong(long value) {
        return write(Long.BYTES, out -> out.writeLong(value));
    }

    static long decodeLong(byte[] plain) throws IOException {
        return reader(plain).readLong();
    }

    private static void writeSettings(DataOutputStream out, ConversionSettings settings) throws IOException {
        writeString(out, settings.format().name());
        writeString(out, settings.formula().name());
        out.writeInt(settings.jpegQuality());
        out.writeInt(settings.pngCompression());
        writeString(out, settings.pngFilter().name());
        out.writeLong(settings.maxPixels());
        writeString(out, settings.jpegDecoding().name());
        out.writeBoolean(settings.decoders().libwebp());
        out.writeBoolean(settings.decoders().libheif());
    }

    private static ConversionSettings readSettings(DataInputStream in) throws IOException {
        OutputFormat format = readEnum(in, OutputFormat.class);
        GreyFormula formula = readEnum(in, GreyFormula.class);
        int jpegQuality = in.readInt();
        int pngCompression = in.readInt();
        PngFilter pngFilter = readEnum(in, PngFilter.class);
        long maxPixels = in.readLong();
        Decoders decoders = new Decoders(readEnum(in, JpegDecoding.class), in.readBoolean(), in.readBoolean());
        try {
            return new ConversionSettings(format, formula, jpegQuality, pngCompression, pngFilter, maxPixels,
                    decoders);
        } catch (IllegalArgumentException e) {
            throw new IOException("settings out of range: " + e.getMessage(), e);
        }
    }

    private static void writeResult(DataOutputStream out, ConversionResult result) throws IOException {
        writeBytes(out, result.output());
        writeString(out, result.outputFormat().name());
        writeString(out, result.inputFormat().name());
        out.writeInt(result.width());
        out.writeInt(result.height());
        out.writeInt(result.bitDepth());
        List<String> warnings = result.warnings().size() > MAX_WARNINGS
                ? result.warnings().subList(0, MAX_WARNINGS) : result.warnings();
        out.writeInt(warnings.size());
        for (String warning : warnings) {
            writeString(out, truncate(warning, MAX_TEXT_CHARS));
        }
        StageTimings t = result.timings();
        out.writeLong(t.readNanos());
        out.writeLong(t.decodeNanos());
        out.writeLong(t.convertNanos());
        out.writeLong(t.encodeNanos());
        out.writeLong(t.writeNanos());
    }

    private static ConversionResult readResult(DataInputStream in) throws IOException {
        byte[] output = readBytes(in);
        ImageFormat outputFormat = readEnum(in, ImageFormat.class);
        ImageFormat inputFormat = readEnum(in, ImageFormat.class);
        int width = in.readInt();
        int height = in.readInt();
        int bitDepth = in.readInt();
        int warningCount = in.readInt();
        if (warningCount < 0 || warningCount > MAX_WARNINGS) {
            throw new IOException(warningCount + " warnings, more than the " + MAX_WARNINGS + " an answer may carry");
        }
        List<String> warnings = new ArrayList<>(warningCount);
        for (int i = 0; i < warningCount; i++) {
            warnings.add(readString(in, MAX_TEXT_CHARS, true));
        }
        StageTimings timings = new StageTimings(in.readLong(), in.readLong(), in.readLong(), in.readLong(),
                in.readLong());
        try {
            return new ConversionResult(output, outputFormat, inputFormat, width, height, bitDepth, warnings, timings);
        } catch (IllegalArgumentException e) {
            throw new IOException("result out of range: " + e.getMessage(), e);
        }
    }

    private interface Writing {
        void to(DataOutputStream out) throws IOException;
    }

    /**
     * Room for a message's fields besides its image bytes: a path, settings, warnings. Only a first size: a message
     * that needs more grows its buffer, as it would have from nothing.
     */
    private static final int FIELDS_ROOM = 4096;

    /**
     * The bytes {@code writing} writes, in a buffer made {@code sizeHint} long at first: an image's bytes are not
     * copied again and again as the buffer doubles from its default 32 bytes.
     */
    private static byte[] write(int sizeHint, Writing writing) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(sizeHint);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writing.to(out);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory", e);
        }
        return bytes.toByteArray();
    }

    private static DataInputStream reader(byte[] plain) {
        return new DataInputStream(new ByteArrayInputStream(plain));
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("a length of " + length + " bytes where " + in.available() + " are left");
        }
        return in.readNBytes(length);
    }

    private static void writeString(DataOutputStream out, String text) throws IOException {
        writeBytes(out, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A string of at most {@code maxChars}: a longer one is cut ({@code cut}) or refused. */
    private static String readString(DataInputStream in, int maxChars, boolean cut) throws IOException {
        int length = in.readInt();
        // UTF-8 takes at most 4 bytes a char
        if (length < 0 || length > in.available() || (!cut && length > 4 * maxChars)) {
            throw new IOException("a string of " + length + " bytes where " + in.available() + " are left");
        }
        byte[] bytes = in.readNBytes(length);
        return truncate(new String(bytes, StandardCharsets.UTF_8), maxChars);
    }

    private static <E extends Enum<E>> E readEnum(DataInputStream in, Class<E> type) throws IOException {
        String name = readString(in, MAX_NAME_CHARS, false);
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            throw new IOException("not a " + type.getSimpleName() + ": " + name, e);
        }
    }

    private static String truncate(String text, int maxChars) {
        return text.length() <= maxChars ? text : text.substring(0, maxChars) + "…";
    }
}
