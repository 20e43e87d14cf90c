package org.greylab.engine.client;

import java.util.Optional;
import org.greylab.core.image.ConversionResult;
import org.greylab.core.image.ImageFormat;
import org.greylab.core.image.Stage;
import org.greylab.core.schedule.ConvertTask;
import org.greylab.core.schedule.TaskOutcome;
import org.greylab.engine.wire.ImageSize;

/**
 * What an engine answered, checked before anything is written: the output must be the container the task asked for,
 * its own header must give the size the answer claims, and that size must be the input's (either way round: EXIF
 * orientation may turn it) when the input's header says it. Otherwise the image fails at {@link Stage#ENCODE} and no
 * file is written. Every string of the answer is cleaned ({@link EngineText}).
 */
final class AnswerCheck {

    private AnswerCheck() {
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
        Optional<ImageSize> header = ImageSize.of(r.output(), expected);
        if (header.isEmpty()) {
            return "bytes that are not a " + expected + " file";
        }
        ImageSize out = header.get();
        if (out.width() != r.width() || out.height() != r.height()) {
            return "a " + expected + " of " + out.width() + "x" + out.height() + " that it said was " + r.width()
                    + "x" + r.height();
        }
        Optional<ImageSize> input = ImageSize.of(task.input(), r.inputFormat());
        if (input.isPresent() && !(sameSize(input.get(), out)
                || sameSize(new ImageSize(input.get().height(), input.get().width()), out))) {
            return "a " + out.width() + "x" + out.height() + " image for an input of " + input.get().width() + "x"
                    + input.get().height();
        }
        return null;
    }

    private static boolean sameSize(ImageSize a, ImageSize b) {
        return a.width() == b.width() && a.height() == b.height();
    }
}
