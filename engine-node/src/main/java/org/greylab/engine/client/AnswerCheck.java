package org.greylab.engine.client;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import org.greylab.core.image.ConversionResult;
import org.greylab.core.image.ImageFormat;
import org.greylab.core.image.Stage;
import org.greylab.core.schedule.ConvertTask;
import org.greylab.core.schedule.TaskOutcome;

/**
 * What an engine answered, checked before anything is written: the output must be the container the task asked for,
 * its own header must give the size the answer claims, and that size must be the input's (either way round: EXIF
 * orientation may turn it) when the input's header says it. Otherwise the image fails at {@link Stage#ENCODE} and no
 * file is written. Every string of the answer is cleaned ({@link EngineText}).
 */
final class AnswerCheck {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private AnswerCheck() {
    }

    record Size(int width, int height) {
    }

    static TaskOutcome checked(TaskOutcome answer, ConvertTask task) {
        if (!answer.succeeded()) {
            return new TaskOutcome(null, answer.failedStage(), EngineText.text(answer.failureReason()),
                    answer.engineId(), answer.startedMicros(), answer.finishedMicros());
        }
        ConversionResult r = answer.result();
        String problem = problem(r, task);
        if (problem != null) {
            return new TaskOutcome(null, Stage.ENCODE, "engine " + answer.engineId() + " sent back " + problem
                    + ": nothing written", answer.engineId(), answer.startedMicros(), answer.finishedMicros());
        }
        ConversionResult clean = new ConversionResult(r.output(), r.outputFormat(), r.inputFormat(), r.width(),
                r.height(), r.bitDepth(), r.warnings().stream().map(EngineText::text).toList(), r.timings());
        return new TaskOutcome(clean, null, null, answer.engineId(), answer.startedMicros(), answer.finishedMicros());
    }

    /** What is wrong with the result, in words; null when nothing is. */
    static String problem(ConversionResult r, ConvertTask task) {
        ImageFormat expected = task.settings().format().resolve(r.inputFormat());
        if (r.outputFormat() != expected) {
            return "a " + r.outputFormat() + " where a " + expected + " was asked for";
        }
        Optional<Size> header = size(r.output(), expected);
        if (header.isEmpty()) {
            return "bytes that are not a " + expected + " file";
        }
        Size out = header.get();
        if (out.width() != r.width() || out.height() != r.height()) {
            return "a " + expected + " of " + out.width() + "x" + out.height() + " that it said was " + r.width()
                    + "x" + r.height();
        }
        Optional<Size> input = size(task.input(), r.inputFormat());
        if (input.isPresent() && !(sameSize(input.get(), out)
                || sameSize(new Size(input.get().height(), input.get().width()), out))) {
            return "a " + out.width() + "x" + out.height() + " image for an input of " + input.get().width() + "x"
                    + input.get().height();
        }
        return null;
    }

    private static boolean sameSize(Size a, Size b) {
        return a.width() == b.width() && a.height() == b.height();
    }

    /** The pixel size a PNG, JPEG or TIFF file's header gives; empty for other containers and for damaged bytes. */
    static Optional<Size> size(byte[] file, ImageFormat format) {
        try {
            return switch (format) {
                case PNG -> png(file);
                case JPEG -> jpeg(file);
                case TIFF -> tiff(file);
                default -> Optional.empty();
            };
        } catch (IndexOutOfBoundsException | java.nio.BufferUnderflowException damaged) {
            return Optional.empty();
        }
    }

    private static Optional<Size> png(byte[] f) {
        for (int i = 0; i < PNG_SIGNATURE.length; i++) {
            if (f[i] != PNG_SIGNATURE[i]) {
                return Optional.empty();
            }
        }
        ByteBuffer b = ByteBuffer.wrap(f);
        if (b.getInt(12) != 0x49484452) { // "IHDR", always the first chunk
            return Optional.empty();
        }
        return Optional.of(new Size(b.getInt(16), b.getInt(20)));
    }

    private static Optional<Size> jpeg(byte[] f) {
        if ((f[0] & 0xff) != 0xff || (f[1] & 0xff) != 0xd8) {
            return Optional.empty();
        }
        int i = 2;
        while (i + 3 < f.length) {
            if ((f[i] & 0xff) != 0xff) {
                return Optional.empty();
            }
            int marker = f[i + 1] & 0xff;
            if (marker == 0xff) {
                i++;
                continue;
            }
            if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
                i += 2;
                continue;
            }
            int length = ((f[i + 2] & 0xff) << 8) | (f[i + 3] & 0xff);
            boolean startOfFrame = marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8
                    && marker != 0xcc;
            if (startOfFrame) {
                int height = ((f[i + 5] & 0xff) << 8) | (f[i + 6] & 0xff);
                int width = ((f[i + 7] & 0xff) << 8) | (f[i + 8] & 0xff);
                return Optional.of(new Size(width, height));
            }
            if (marker == 0xd9 || marker == 0xda || length < 2) {
                return Optional.empty();
            }
            i += 2 + length;
        }
        return Optional.empty();
    }

    private static Optional<Size> tiff(byte[] f) {
        ByteBuffer b = ByteBuffer.wrap(f);
        if (f[0] == 'I' && f[1] == 'I') {
            b.order(ByteOrder.LITTLE_ENDIAN);
        } else if (!(f[0] == 'M' && f[1] == 'M')) {
            return Optional.empty();
        }
        if (b.getShort(2) != 42) {
            return Optional.empty();
        }
        int ifd = b.getInt(4);
        int entries = b.getShort(ifd) & 0xffff;
        int width = -1;
        int height = -1;
        for (int e = 0; e < entries; e++) {
            int at = ifd + 2 + 12 * e;
            int tag = b.getShort(at) & 0xffff;
            int type = b.getShort(at + 2) & 0xffff;
            int value = type == 3 ? b.getShort(at + 8) & 0xffff : b.getInt(at + 8);
            if (tag == 256) {
                width = value;
            } else if (tag == 257) {
                height = value;
            }
        }
        return width > 0 && height > 0 ? Optional.of(new Size(width, height)) : Optional.empty();
    }
}
