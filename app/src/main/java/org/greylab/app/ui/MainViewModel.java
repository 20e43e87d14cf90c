package org.greylab.app.ui;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.ObjectProperty;
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
    private boolean startEngines = true;

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

    /** Applies the remembered settings, loads the inputs and starts local engines in the background. */
    public void startUp() {
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
        List<Path> inputs = new ArrayList<>();
        for (String p : s.inputs()) {
            if (Files.exists(Path.of(p))) {
                inputs.add(Path.of(p));
            }
        }
        if (inputs.isEmpty() && Files.isDirectory(samples())) {
            inputs.add(samples());
        }
        if (!inputs.isEmpty()) {
            input.add(inputs);
        }
        if (startEngines && engines.available()) {
            engines.startLocal();
        }
    }

    /** A snapshot of what to remember. */
    public WindowSettings settings() {
        RunOptions options = run.options();
        String output = options.outputProperty().get();
        return new WindowSettings(input.inputs().stream().map(Path::toString).toList(),
                output == null || output.isBlank() ? null : output,
                lastFolder.get() == null ? null : lastFolder.get().toString(), options.modesProperty().get(),
                engines.localCountProperty().get(), engines.addressesProperty().get(),
                engines.clusterNameProperty().get(), options.formatProperty().get(), options.formulaProperty().get(),
                options.policyProperty().get(), dark.get(), width.get(), height.get(),
                engines.keyFileProperty().get());
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
        save();
        try {
            engines.shutdown();
        } catch (RuntimeException e) {
            LOG.warn("Stopping the engines failed: {}", e.getMessage());
        }
    }

}
