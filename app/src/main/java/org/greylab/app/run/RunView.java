package org.greylab.app.run;

import java.io.File;
import java.util.List;
import java.util.function.Supplier;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.Window;
import org.greylab.app.fx.Ui;
import org.greylab.core.image.GreyFormula;
import org.greylab.core.image.OutputFormat;
import org.greylab.core.job.OverwritePolicy;
import org.greylab.core.schedule.Mode;

/** Mode, output options, Run / Cancel, and the overall progress. */
public final class RunView extends VBox {

    private final Button runButton;
    private final Button cancelButton;

    public RunView(RunViewModel model, Supplier<Window> owner) {
        getStyleClass().add("run-panel");
        setSpacing(10);
        setPadding(new Insets(10));
        setPrefWidth(300);
        setMinWidth(260);

        ToggleGroup modes = new ToggleGroup();
        HBox modeBox = new HBox();
        modeBox.getStyleClass().add("segmented");
        RunOptions opts = model.options();
        for (List<Mode> m : RunOptions.CHOICES) {
            ToggleButton b = Ui.tip(new ToggleButton(RunOptions.label(m)), "mode" + RunOptions.label(m),
                    RunOptions.description(m));
            b.setUserData(m);
            b.setToggleGroup(modes);
            b.setMaxWidth(Double.MAX_VALUE);
            HBox.setHgrow(b, Priority.ALWAYS);
            b.setSelected(m.equals(opts.modesProperty().get()));
            modeBox.getChildren().add(b);
        }
        modes.selectedToggleProperty().addListener((o, a, b) -> {
            if (b == null) {
                a.setSelected(true);
            } else {
                opts.modesProperty().set(RunOptions.CHOICES.get(modeBox.getChildren().indexOf((ToggleButton) b)));
            }
        });
        opts.modesProperty().addListener((o, a, m) -> modes.getToggles().forEach(t ->
                t.setSelected(m.equals(t.getUserData()))));
        Label modeText = Ui.muted("");
        modeText.textProperty().bind(opts.modesProperty().map(RunOptions::description));
        modeText.setMinHeight(Region.USE_PREF_SIZE);

        TextField output = Ui.tip(new TextField(), "outputFolder",
                "Where the grey images go; empty: a folder beside the input named <input>-grey");
        output.textProperty().bindBidirectional(opts.outputProperty());
        output.promptTextProperty().bind(opts.defaultOutputProperty());
        Button browse = Ui.tip(new Button("…"), "chooseOutput", "Choose the output folder");
        browse.setOnAction(e -> {
            DirectoryChooser chooser = new DirectoryChooser();
            chooser.setTitle("Output folder");
            File f = chooser.showDialog(owner.get());
            if (f != null) {
                opts.outputProperty().set(f.toPath().toString());
            }
        });
        HBox.setHgrow(output, Priority.ALWAYS);
        HBox outputRow = new HBox(4, output, browse);

        ComboBox<OutputFormat> format = Ui.tip(new ComboBox<>(), "format",
                "keep: JPEG stays JPEG, PNG stays PNG, TIFF stays TIFF, anything else becomes PNG");
        format.getItems().setAll(OutputFormat.values());
        format.valueProperty().bindBidirectional(opts.formatProperty());
        ComboBox<GreyFormula> formula = Ui.tip(new ComboBox<>(), "formula",
                "SKIMAGE: 0.2125 R + 0.7154 G + 0.0721 B (scikit-image's rgb2gray); REC601: 0.299/0.587/0.114; "
                        + "AVERAGE: (R+G+B)/3");
        formula.getItems().setAll(GreyFormula.values());
        formula.valueProperty().bindBidirectional(opts.formulaProperty());
        ComboBox<OverwritePolicy> policy = Ui.tip(new ComboBox<>(), "overwrite",
                "When an output already exists: SKIP leaves it, OVERWRITE replaces it, RENAME writes 'name (1)'");
        policy.getItems().setAll(OverwritePolicy.values());
        policy.valueProperty().bindBidirectional(opts.policyProperty());
        ComboBox<String> grouping = Ui.tip(new ComboBox<>(), "grouping", "Images one task to an engine carries"
                + " (direct and balanced): auto sizes each task by the engine's measured speed (small images"
                + " together, a large one alone), off sends one image a task, a number up to that many");
        grouping.getItems().setAll(RunOptions.GROUPING_WORDS);
        // a number remembered from the settings file that is not among the offered ones is offered too
        addIfMissing(grouping, opts.groupingWordProperty().get());
        opts.groupingWordProperty().addListener((o, was, now) -> addIfMissing(grouping, now));
        grouping.valueProperty().bindBidirectional(opts.groupingWordProperty());
        GridPane options = new GridPane();
        options.setHgap(8);
        options.setVgap(6);
        options.addRow(0, new Label("Format"), format);
        options.addRow(1, new Label("Formula"), formula);
        options.addRow(2, new Label("Existing"), policy);
        options.addRow(3, new Label("Group"), grouping);
        format.setConverter(lowerCase(OutputFormat::valueOf));
        formula.setConverter(lowerCase(GreyFormula::valueOf));
        policy.setConverter(lowerCase(OverwritePolicy::valueOf));
        for (ComboBox<?> c : new ComboBox<?>[] {format, formula, policy, grouping}) {
            c.setMaxWidth(Double.MAX_VALUE);
            GridPane.setHgrow(c, Priority.ALWAYS);
        }

        runButton = Ui.tip(new Button("Run"), "run", "Run the chosen mode on the listed images (Ctrl+R)");
        runButton.getStyleClass().addAll("accent", "run-button");
        runButton.setDefaultButton(false);
        runButton.setMaxWidth(Double.MAX_VALUE);
        runButton.setOnAction(e -> model.run());
        runButton.disableProperty().bind(model.stateProperty().isEqualTo(RunViewModel.State.RUNNING));
        cancelButton = Ui.tip(new Button("Cancel"), "cancel",
                "Stop now (Esc): images done stay, running ones are abandoned, no partial file is left");
        cancelButton.setMaxWidth(Double.MAX_VALUE);
        cancelButton.setOnAction(e -> model.cancel());
        cancelButton.disableProperty().bind(model.stateProperty().isEqualTo(RunViewModel.State.IDLE));
        Button resumeButton = Ui.tip(new Button("Resume"), "resume", "The output folder holds a batch that did"
                + " not finish: convert only the images it did not do, with its settings");
        resumeButton.setMaxWidth(Double.MAX_VALUE);
        resumeButton.setOnAction(e -> model.resume());
        // shown only when there is something to resume, so the usual panel keeps its two buttons
        resumeButton.visibleProperty().bind(model.resumableProperty());
        resumeButton.managedProperty().bind(resumeButton.visibleProperty());
        HBox.setHgrow(runButton, Priority.ALWAYS);
        HBox.setHgrow(resumeButton, Priority.ALWAYS);
        HBox.setHgrow(cancelButton, Priority.ALWAYS);
        HBox buttons = new HBox(8, runButton, resumeButton, cancelButton);

        ProgressBar bar = Ui.tip(new ProgressBar(0), "progress", "Progress of the whole run");
        bar.setMaxWidth(Double.MAX_VALUE);
        bar.progressProperty().bind(model.progress().fractionProperty());
        Label phase = Ui.id(new Label(), "phase");
        phase.textProperty().bind(model.phaseProperty());
        phase.getStyleClass().add("text-bold");
        phase.setWrapText(true); // "Compare · Balanced (3 of 3) on 2 engines" is wider than the panel
        Label done = Ui.id(new Label(), "doneText");
        done.textProperty().bind(model.progress().doneTextProperty());
        Label rate = Ui.id(new Label(), "rateText");
        rate.textProperty().bind(model.progress().rateTextProperty());
        Label elapsed = Ui.id(new Label(), "elapsedText");
        elapsed.textProperty().bind(model.progress().elapsedTextProperty()
                .map(t -> t.isEmpty() ? "" : "elapsed " + t));
        Label remaining = Ui.id(new Label(), "remainingText");
        remaining.textProperty().bind(model.progress().remainingTextProperty());
        // a flow, not a row: rate, elapsed and remaining time wrap in a narrow panel instead of being cut off
        FlowPane times = new FlowPane(10, 2, rate, elapsed, remaining);
        times.prefWrapLengthProperty().bind(widthProperty().subtract(20));
        VBox progressBox = new VBox(4, phase, bar, done, times);

        Label message = Ui.id(new Label(), "runMessage");
        message.textProperty().bind(model.messageProperty());
        message.setWrapText(true);
        message.setMinHeight(Region.USE_PREF_SIZE);
        Label error = Ui.id(new Label(), "runError");
        error.textProperty().bind(model.errorProperty());
        error.getStyleClass().add("danger");
        error.setWrapText(true);
        error.setMinHeight(Region.USE_PREF_SIZE);
        error.visibleProperty().bind(model.errorProperty().isNotEmpty());
        error.managedProperty().bind(error.visibleProperty());

        Button open = Ui.tip(new Button("Open output folder"), "openOutput",
                "Show the output folder in the file manager");
        open.setMaxWidth(Double.MAX_VALUE);
        open.setOnAction(e -> model.openOutput());
        open.disableProperty().bind(model.outputReadyProperty().not());

        getChildren().addAll(Ui.heading("Mode"), modeBox, modeText, Ui.heading("Output"), outputRow, options,
                buttons, progressBox, error, message, open);
        setAlignment(Pos.TOP_LEFT);
    }

    /** Shows enum constants as the CLI writes them (keep, skimage, overwrite). */
    private static void addIfMissing(ComboBox<String> box, String word) {
        if (word != null && !box.getItems().contains(word)) {
            box.getItems().add(word);
        }
    }

    private static <E extends Enum<E>> javafx.util.StringConverter<E> lowerCase(
            java.util.function.Function<String, E> parse) {
        return new javafx.util.StringConverter<>() {
            @Override
            public String toString(E value) {
                return value == null ? "" : value.name().toLowerCase(java.util.Locale.ROOT);
            }

            @Override
            public E fromString(String text) {
                return parse.apply(text.toUpperCase(java.util.Locale.ROOT));
            }
        };
    }

    public Button runButton() {
        return runButton;
    }

    public Button cancelButton() {
        return cancelButton;
    }
}
