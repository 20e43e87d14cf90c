package org.greylab.app.ui;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import org.greylab.app.fx.AppExecutor;
import org.greylab.app.engines.ClusterService;
import org.greylab.app.engines.EnginesViewModel;
import org.greylab.app.input.InputViewModel;
import org.greylab.app.input.PreviewViewModel;
import org.greylab.app.results.ResultsViewModel;
import org.greylab.app.run.FolderOpener;
import org.greylab.app.run.RunOptions;
import org.greylab.app.run.RunViewModel;
import org.greylab.app.settings.SettingsStore;
import org.greylab.app.settings.WindowSettings;
import org.greylab.app.timeline.TimelineViewModel;
import org.greylab.core.image.GreyscaleKernel;
import org.greylab.core.schedule.Mode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole window's state: one view model per feature, wired together, plus what is remembered between runs.
 * {@link #startUp()} loads the bundled samples (or the last inputs) and starts local engines in the background,
 * so the first screen is useful at once; {@link #shutdown()} cancels a run, saves the settings and stops the
 * engines this window started.
 */
public final class MainViewModel {

    private static final Logger LOG = LoggerFactory.getLogger(MainViewModel.class);

    private final AppExecutor executor;
    private final SettingsStore store;
    private final Path home;
    private final InputViewModel input;
    private final PreviewViewModel preview;
    private final EnginesViewModel engines;
    private final TimelineViewModel timeline = new TimelineViewModel();
    private final ResultsViewModel results;
    private final RunViewModel run;
    private final BooleanProperty dark = new SimpleBooleanProperty(this, "dark");
    private final DoubleProperty width = new SimpleDoubleProperty(this, "width", 1280);
    private final DoubleProperty height = new SimpleDoubleProperty(this, "height", 860);
    private final ObjectProperty<Path> lastFolder = new SimpleObjectProperty<>(this, "lastFolder");
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper(this, "title", "Greylab");
    private boolean startEngines = true;
    private volatile CompletableFuture<?> saving = CompletableFuture.completedFuture(null);

    public MainViewModel(AppExecutor executor, ClusterService clusters, SettingsStore store, Path home,
                         FolderOpener opener) {
        this.executor = executor;
        this.store = store;
        this.home = home;
        GreyscaleKernel kernel = new GreyscaleKernel();
        this.input = new InputViewModel(executor);
        this.engines = new EnginesViewModel(executor, clusters);
        this.results = new ResultsViewModel(executor);
        this.run = new RunViewModel(executor, input, clusters, opener);
        // each view follows the run's events itself, in this order: the list, the engines, the bars, the timings
        run.subscribe(input);
        run.subscribe(engines);
        run.subscribe(timeline);
        run.subscribe(results);
        this.preview = new PreviewViewModel(executor, kernel, run.options()::settings);
        input.selectedProperty().addListener((obs, old, now) -> preview.show(now));
        input.sources().addListener((ListChangeListener<Path>) c -> title.set(title(input.inputs())));
    }

    /** "Greylab", then what it works on: {@code Greylab — Pictures}, {@code Greylab — Pictures and 2 more}. */
    static String title(List<Path> inputs) {
        return inputs.isEmpty() ? "Greylab" : "Greylab \u2014 " + InputViewModel.describe(inputs);
    }

    /** Whether {@link #startUp()} starts local engines (tests of the serial path turn it off). */
    public void setStartEngines(boolean start) {
        this.startEngines = start;
    }

    public InputViewModel input() {
        return input;
    }

    public PreviewViewModel preview() {
        return preview;
    }

    public EnginesViewModel engines() {
        return engines;
    }

    public TimelineViewModel timeline() {
        return timeline;
    }

    public ResultsViewModel results() {
        return results;
    }

    public RunViewModel run() {
        return run;
    }

    public AppExecutor executor() {
        return executor;
    }

    public BooleanProperty darkProperty() {
        return dark;
    }

    public DoubleProperty widthProperty() {
        return width;
    }

    public DoubleProperty heightProperty() {
        return height;
    }

    /** Where the folder and file choosers open. */
    public ObjectProperty<Path> lastFolderProperty() {
        return lastFolder;
    }

    /** The bundled samples folder. */
    public Path samples() {
        return home.resolve("assets").resolve("samples");
    }

    /** The window's title: Greylab, and what it works on. */
    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    /** Applies the remembered settings, loads the remembered inputs and starts local engines in the background. */
    public void startUp() {
        startUp(List.of());
    }

    /**
     * Applies the remembered settings, loads the inputs and starts local engines in the background.
     *
     * @param named the folders and files named on the command line: exactly these are loaded instead of the
     *              remembered ones (which go to the recent sets), the output folder is the default one for them, and
     *              the settings file remembers them at once; empty for the remembered inputs
     */
    public void startUp(List<Path> named) {
        WindowSettings s = store.load();
        if (!store.problems().isEmpty()) {
            run.notice(String.join(" ", store.problems()));
        }
        RunOptions options = run.options();
        options.modesProperty().set(RunOptions.CHOICES.contains(s.mode()) ? s.mode() : Mode.ALL);
        options.outputProperty().set(s.output() == null ? "" : s.output());
        options.formatProperty().set(s.format());
        options.formulaProperty().set(s.formula());
        options.policyProperty().set(s.overwrite());
        options.groupingProperty().set(s.group());
        engines.localCountProperty().set(s.localEngines());
        engines.addressesProperty().set(s.labAddresses());
        engines.clusterNameProperty().set(s.labCluster());
        engines.keyFileProperty().set(s.labKeyFile() == null ? "" : s.labKeyFile());
        dark.set(s.dark());
        width.set(s.width());
        height.set(s.height());
        if (s.lastFolder() != null && Files.isDirectory(Path.of(s.lastFolder()))) {
            lastFolder.set(Path.of(s.lastFolder()));
        }
        // oldest first, so that each remembered set ends up where it was
        List<List<String>> recent = new ArrayList<>(s.recent());
        java.util.Collections.reverse(recent);
        recent.forEach(set -> input.remember(set.stream().map(Path::of).toList()));
        List<Path> inputs = new ArrayList<>();
        for (String p : s.inputs()) {
            if (Files.exists(Path.of(p))) {
                inputs.add(Path.of(p));
            }
        }
        if (!named.isEmpty()) {
            input.remember(inputs);
            options.outputProperty().set("");
            input.addNamed(named);
            input.rememberInputs();
            saveInBackground();
        } else {
            if (inputs.isEmpty() && Files.isDirectory(samples())) {
                inputs.add(samples());
            }
            if (!inputs.isEmpty()) {
                input.add(inputs);
            }
            input.rememberInputs();
        }
        if (startEngines && engines.available()) {
            engines.startLocal();
        }
    }

    /**
     * Folders and files another {@code greylab} command sent: they join the list (those that cannot be read are
     * listed as left out); none only raises the window.
     */
    public void open(List<Path> paths) {
        if (!paths.isEmpty()) {
            input.addNamed(paths);
            saveInBackground();
        }
    }

    /**
     * Writes the settings off the FX thread (a snapshot taken here), each save after the one before, so that an
     * older snapshot never lands after a newer one.
     */
    private void saveInBackground() {
        WindowSettings snapshot = settings();
        saving = saving.thenCompose(done -> executor.supply(() -> {
            store.save(snapshot);
            return null;
        }));
    }

    /** A snapshot of what to remember; the recent sets start with the current inputs. */
    public WindowSettings settings() {
        RunOptions options = run.options();
        String output = options.outputProperty().get();
        return new WindowSettings(input.inputs().stream().map(Path::toString).toList(),
                output == null || output.isBlank() ? null : output,
                lastFolder.get() == null ? null : lastFolder.get().toString(), options.modesProperty().get(),
                engines.localCountProperty().get(), engines.addressesProperty().get(),
                engines.clusterNameProperty().get(), options.formatProperty().get(), options.formulaProperty().get(),
                options.policyProperty().get(), dark.get(), width.get(), height.get(),
                InputViewModel.withFirst(input.recent(), input.inputs()).stream()
                        .map(set -> set.stream().map(Path::toString).toList()).toList(),
                engines.keyFileProperty().get(), options.groupingProperty().get());
    }

    public void save() {
        store.save(settings());
    }

    /**
     * The window closes: cancel a run, remember the settings, stop the engines this window started. Blocks until
     * they are stopped, so no process is left behind.
     */
    public void shutdown() {
        run.cancel();
        saving.exceptionally(e -> null).join();
        save();
        try {
            engines.shutdown();
        } catch (RuntimeException e) {
            LOG.warn("Stopping the engines failed: {}", e.getMessage());
        }
    }

}
