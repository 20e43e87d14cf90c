package org.greylab.app.run;

import java.util.List;
import java.util.Locale;

/** What Run does: one mode, or all three on the same images, one after the other. */
public enum RunMode {
    SERIAL("Serial", "Every image in one loop in this window's process: the reference timing"),
    DIRECT("Direct", "The list split up front into one contiguous block per engine (DirectView)"),
    BALANCED("Balanced", "The next image goes to the least-loaded engine (load-balanced view)"),
    COMPARE("Compare", "Serial, then direct, then balanced on the same images; outputs are checked identical");

    private final String label;
    private final String description;

    RunMode(String label, String description) {
        this.label = label;
        this.description = description;
    }

    public String label() {
        return label;
    }

    public String description() {
        return description;
    }

    /** serial, direct or balanced: the strategy names. */
    public String strategyName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean needsEngines() {
        return this != SERIAL;
    }

    /** The single modes this one runs, in order. */
    public List<RunMode> steps() {
        return this == COMPARE ? List.of(SERIAL, DIRECT, BALANCED) : List.of(this);
    }

    public static RunMode parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            return COMPARE;
        }
    }

    @Override
    public String toString() {
        return label;
    }
}
