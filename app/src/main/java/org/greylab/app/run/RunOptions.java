package org.greylab.app.run;

import java.nio.file.Path;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.ListChangeListener;
import javafx.util.StringConverter;
import org.greylab.app.settings.Locations;
import org.greylab.app.input.InputViewModel;
import org.greylab.core.image.ConversionSettings;
import org.greylab.core.image.GreyFormula;
import org.greylab.core.image.OutputFormat;
import org.greylab.core.job.BatchPlanner;
import org.greylab.core.job.BatchSetupException;
import org.greylab.core.job.OverwritePolicy;
import org.greylab.core.schedule.Mode;
import org.greylab.core.schedule.TaskGrouping;

/** What Run does: the modes, and the output options with the CLI's meanings. Written on the FX thread only. */
public final class RunOptions {

    /** What Run can do: one mode, or a Compare of all three. */
    public static final List<List<Mode>> CHOICES = List.of(List.of(Mode.SERIAL), List.of(Mode.DIRECT),
            List.of(Mode.BALANCED), Mode.ALL);

    private final InputViewModel input;
    private final ObjectProperty<List<Mode>> modes = new SimpleObjectProperty<>(this, "modes", Mode.ALL);
    private final StringProperty output = new SimpleStringProperty(this, "output", "");
    private final ObjectProperty<OutputFormat> format = new SimpleObjectProperty<>(this, "format", OutputFormat.KEEP);
    private final ObjectProperty<GreyFormula> formula = new SimpleObjectProperty<>(this, "formula",
            GreyFormula.SKIMAGE);
    private final ObjectProperty<OverwritePolicy> policy = new SimpleObjectProperty<>(this, "policy",
            OverwritePolicy.SKIP);
    private final ObjectProperty<TaskGrouping> grouping = new SimpleObjectProperty<>(this, "grouping",
            TaskGrouping.AUTO);
    private final StringProperty groupingWord = new SimpleStringProperty(this, "groupingWord",
            TaskGrouping.AUTO.word());
    private final ReadOnlyStringWrapper defaultOutput = new ReadOnlyStringWrapper(this, "defaultOutput", "");

    public RunOptions(InputViewModel input) {
        this.input = input;
        Bindings.bindBidirectional(groupingWord, grouping, new StringConverter<>() {
            @Override
            public String toString(TaskGrouping g) {
                return g == null ? TaskGrouping.AUTO.word() : g.word();
            }

            @Override
            public TaskGrouping fromString(String word) {
                return TaskGrouping.parse(word);
            }
        });
        input.sources().addListener((ListChangeListener<Path>) c -> updateDefaultOutput());
        updateDefaultOutput();
    }

    /** "Compare" for several modes, else the mode's label. */
    public static String label(List<Mode> modes) {
        return modes.size() == 1 ? modes.get(0).label() : "Compare";
    }

    /** What a choice of modes does, in a sentence. */
    public static String description(List<Mode> modes) {
        return modes.size() == 1 ? modes.get(0).description() : "Serial, then direct, then balanced on the same"
                + " images; outputs are checked identical";
    }

    /** The modes Run runs: one of {@link #CHOICES}. */
    public ObjectProperty<List<Mode>> modesProperty() {
        return modes;
    }

    /** The output folder the user chose; empty for the default {@code <input>-grey}. */
    public StringProperty outputProperty() {
        return output;
    }

    public ObjectProperty<OutputFormat> formatProperty() {
        return format;
    }

    public ObjectProperty<GreyFormula> formulaProperty() {
        return formula;
    }

    public ObjectProperty<OverwritePolicy> policyProperty() {
        return policy;
    }

    /** How many images a task to an engine carries in direct and balanced runs ({@code --group}). */
    public ObjectProperty<TaskGrouping> groupingProperty() {
        return grouping;
    }

    /**
     * The grouping as the CLI's word ({@code auto}, {@code off}, a number), for the view: bound both ways to
     * {@link #groupingProperty()}.
     */
    public StringProperty groupingWordProperty() {
        return groupingWord;
    }

    /** The grouping choices the window offers, as words: auto, off, and a few fixed sizes. */
    public static final List<String> GROUPING_WORDS = List.of(TaskGrouping.AUTO.word(), TaskGrouping.OFF.word(),
            "8", "32", "128");

    /** The default output folder for the current inputs (the prompt of the output field). */
    public ReadOnlyStringProperty defaultOutputProperty() {
        return defaultOutput.getReadOnlyProperty();
    }

    /** The settings a run and the preview use. */
    public ConversionSettings settings() {
        return ConversionSettings.defaults().withFormat(format.get()).withFormula(formula.get());
    }

    /**
     * The folder a run writes: the one chosen, or blank for the usual {@code <input>-grey} (for the bundled samples
     * of an installed copy: in the user's home); null when the inputs leave none.
     */
    Path outputFolder(List<Path> inputs) {
        return output.get() == null || output.get().isBlank()
                ? Locations.defaultOutputFor(inputs, Locations.home()).orElse(null) : Path.of(output.get().trim());
    }

    private void updateDefaultOutput() {
        try {
            List<Path> inputs = input.inputs();
            defaultOutput.set(inputs.isEmpty() ? "" : Locations.defaultOutputFor(inputs, Locations.home())
                    .orElse(BatchPlanner.defaultOutputFolder(inputs)).toString());
        } catch (BatchSetupException e) {
            defaultOutput.set("");
        }
    }
}
