package org.greylab.core.schedule;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.greylab.core.job.ImagePipeline;

/**
 * How a batch runs. A Compare is not a mode of its own but a run of several modes on one plan (see
 * {@code org.greylab.core.run.RunService}). This enum is the one place that knows which strategy a mode means.
 */
public enum Mode {
    SERIAL("Serial", "Every image in one loop in this process: the reference timing"),
    DIRECT("Direct", "The list split up front into one contiguous block per engine (DirectView)"),
    BALANCED("Balanced", "The next image goes to the least-loaded engine (load-balanced view)");

    /** Every mode, in the order a Compare runs them: serial first, so the others have a reference. */
    public static final List<Mode> ALL = List.of(values());

    private final String label;
    private final String description;

    Mode(String label, String description) {
        this.label = label;
        this.description = description;
    }

    /** The word the window shows: the name capitalised. */
    public String label() {
        return label;
    }

    public String description() {
        return description;
    }

    /** The word on the command line, in reports and in JSON: the name in lower case. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean needsEngines() {
        return this != SERIAL;
    }

    /**
     * The strategy that runs this mode.
     *
     * @param cluster the engines; ignored (and may be null) for {@link #SERIAL}
     */
    public Strategy strategy(EngineCluster cluster, ImagePipeline pipeline, DispatchOptions options) {
        return switch (this) {
            case SERIAL -> new SerialStrategy(pipeline);
            case DIRECT -> new DirectStrategy(cluster, pipeline, options);
            case BALANCED -> new BalancedStrategy(cluster, pipeline, options);
        };
    }

    /** The mode whose {@link #word()} is {@code text} (any case, surrounding blanks ignored); empty if none. */
    public static Optional<Mode> fromWord(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String wanted = text.trim();
        return Arrays.stream(values()).filter(m -> m.word().equalsIgnoreCase(wanted)).findFirst();
    }

    @Override
    public String toString() {
        return word();
    }
}
