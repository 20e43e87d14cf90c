package org.greylab.app.settings;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.List;
import org.greylab.core.image.GreyFormula;
import org.greylab.core.image.OutputFormat;
import org.greylab.core.job.OverwritePolicy;
import org.greylab.core.schedule.EngineCluster;
import org.greylab.core.schedule.Mode;
import org.greylab.core.schedule.TaskGrouping;

/**
 * What the window remembers between runs. Every field may be missing in an older file, or hold a value this build
 * does not know; {@link #orDefaults()} fills the gaps.
 *
 * @param inputs        the input folders and files of the last session (empty: the bundled samples)
 * @param output        the output folder, or null for the default {@code <input>-grey}
 * @param lastFolder    where the folder chooser opens
 * @param mode          the modes Run runs: one, or all of them for a Compare ({@code compare} in the file)
 * @param localEngines  how many local engines to start
 * @param labAddresses  lab engine addresses, {@code host[:port],...}
 * @param labCluster    lab cluster name
 * @param labKeyFile    the lab cluster's key file, as a path (never the key); null or blank for none
 * @param format        the output format
 * @param formula       the grey formula
 * @param overwrite     what to do with outputs already there
 * @param dark          dark theme
 * @param width         window width
 * @param height        window height
 * @param recent        the last input sets, newest first (the Recent menu)
 * @param labKeyFile    the lab cluster's key file
 * @param group         how many images a task to an engine carries ({@code --group}: auto, off or a number)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WindowSettings(List<String> inputs, String output, String lastFolder,
                             @JsonSerialize(using = ModesJson.Writer.class)
                             @JsonDeserialize(using = ModesJson.Reader.class) List<Mode> mode,
                             int localEngines, String labAddresses, String labCluster, OutputFormat format,
                             GreyFormula formula, OverwritePolicy overwrite, boolean dark, double width,
                             double height, List<List<String>> recent, String labKeyFile,
                             @JsonSerialize(using = GroupingJson.Writer.class)
                             @JsonDeserialize(using = GroupingJson.Reader.class) TaskGrouping group) {

    public WindowSettings {
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        mode = mode == null ? null : List.copyOf(mode);
        recent = recent == null ? List.of() : recent.stream().filter(java.util.Objects::nonNull)
                .map(List::copyOf).toList();
    }

    /** With the default grouping. */
    public WindowSettings(List<String> inputs, String output, String lastFolder, List<Mode> mode, int localEngines,
                          String labAddresses, String labCluster, OutputFormat format, GreyFormula formula,
                          OverwritePolicy overwrite, boolean dark, double width, double height,
                          List<List<String>> recent, String labKeyFile) {
        this(inputs, output, lastFolder, mode, localEngines, labAddresses, labCluster, format, formula, overwrite,
                dark, width, height, recent, labKeyFile, TaskGrouping.AUTO);
    }

    /** Without recent sets and without a lab key file. */
    public WindowSettings(List<String> inputs, String output, String lastFolder, List<Mode> mode, int localEngines,
                          String labAddresses, String labCluster, OutputFormat format, GreyFormula formula,
                          OverwritePolicy overwrite, boolean dark, double width, double height) {
        this(inputs, output, lastFolder, mode, localEngines, labAddresses, labCluster, format, formula, overwrite,
                dark, width, height, List.of(), null);
    }

    public static WindowSettings defaults() {
        return new WindowSettings(List.of(), null, null, Mode.ALL, EngineCluster.defaultLocalEngines(), "127.0.0.1",
                "", OutputFormat.KEEP, GreyFormula.SKIMAGE, OverwritePolicy.SKIP, false, 1280, 860, null, null,
                TaskGrouping.AUTO);
    }

    /** This, with every unset field taken from the defaults. */
    public WindowSettings orDefaults() {
        WindowSettings d = defaults();
        return new WindowSettings(inputs, output, lastFolder, or(mode, d.mode), localEngines > 0 ? localEngines
                : d.localEngines, labAddresses == null || labAddresses.isBlank() ? d.labAddresses : labAddresses,
                labCluster == null ? "" : labCluster, or(format, d.format), or(formula, d.formula),
                or(overwrite, d.overwrite), dark, width >= 400 ? width : d.width, height >= 300 ? height : d.height,
                recent, labKeyFile == null || labKeyFile.isBlank() ? null : labKeyFile, or(group, d.group));
    }

    private static <T> T or(T value, T fallback) {
        return value == null ? fallback : value;
    }
}
