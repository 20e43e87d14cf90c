package org.greylab.app.settings;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * What the window remembers between runs. Every field may be missing in an older file; {@link #defaults()} fills
 * the gaps.
 *
 * @param inputs        the input folders and files of the last session (empty: the bundled samples)
 * @param output        the output folder, or null for the default {@code <input>-grey}
 * @param lastFolder    where the folder chooser opens
 * @param mode          serial, direct, balanced or compare
 * @param localEngines  how many local engines to start
 * @param labAddresses  lab engine addresses, {@code host[:port],...}
 * @param labCluster    lab cluster name
 * @param format        keep, png, jpeg or tiff
 * @param formula       skimage, rec601 or average
 * @param overwrite     skip, overwrite or rename
 * @param dark          dark theme
 * @param width         window width
 * @param height        window height
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WindowSettings(List<String> inputs, String output, String lastFolder, String mode, int localEngines,
                             String labAddresses, String labCluster, String format, String formula,
                             String overwrite, boolean dark, double width, double height) {

    public WindowSettings {
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
    }

    /** Two engines, or one per core when the machine has more. */
    public static int defaultEngineCount() {
        return Math.max(2, Runtime.getRuntime().availableProcessors());
    }

    public static WindowSettings defaults() {
        return new WindowSettings(List.of(), null, null, "compare", defaultEngineCount(), "127.0.0.1",
                "", "keep", "skimage", "skip", false, 1280, 860);
    }

    /** This, with every unset field taken from the defaults. */
    public WindowSettings orDefaults() {
        WindowSettings d = defaults();
        return new WindowSettings(inputs, output, lastFolder, or(mode, d.mode), localEngines > 0 ? localEngines
                : d.localEngines, or(labAddresses, d.labAddresses), labCluster == null ? "" : labCluster,
                or(format, d.format), or(formula, d.formula), or(overwrite, d.overwrite), dark,
                width >= 400 ? width : d.width, height >= 300 ? height : d.height);
    }

    private static String or(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
