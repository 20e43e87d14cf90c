package org.greylab.app.ui;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.ObjectProperty;
import org.greylab.app.engines.ClusterService;
import org.greylab.app.engines.EnginesViewModel;
import org.greylab.app.input.InputViewModel;
import org.greylab.app.input.PreviewViewModel;
import org.greylab.app.results.ResultsViewModel;
import org.greylab.app.run.FolderOpener;
import org.greylab.app.run.RunMode;
import org.greylab.app.run.RunViewModel;
import org.greylab.app.settings.SettingsStore;
import org.greylab.app.settings.WindowSettings;
import org.greylab.app.timeline.TimelineViewModel;
import org.greylab.core.image.GreyFormula;
import org.greylab.core.image.GreyscaleKernel;
import org.greylab.core.image.OutputFormat;
import org.greylab.core.job.OverwritePolicy;
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
        this.run = new RunViewModel(executor, input, engines, clusters, timeline, results, opener);
        this.preview = new PreviewViewModel(executor, kernel, run::settings);
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
        run.modeProperty().set(RunMode.parse(s.mode()));
        run.outputProperty().set(s.output() == null ? "" : s.output());
        run.formatProperty().set(parse(OutputFormat.class, s.format(), OutputFormat.KEEP));
        run.formulaProperty().set(parse(GreyFormula.class, s.formula(), GreyFormula.SKIMAGE));
        run.policyProperty().set(parse(OverwritePolicy.class, s.overwrite(), OverwritePolicy.SKIP));
        engines.localCountProperty().set(s.localEngines());
        engines.addressesProperty().set(s.labAddresses());
        engines.clusterNameProperty().set(s.labCluster());
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
        return new WindowSettings(input.inputs().stream().map(Path::toString).toList(),
                run.outputProperty().get() == null || run.outputProperty().get().isBlank() ? null
                        : run.outputProperty().get(),
                lastFolder.get() == null ? null : lastFolder.get().toString(),
                run.modeProperty().get().name().toLowerCase(Locale.ROOT), engines.localCountProperty().get(),
                engines.addressesProperty().get(), engines.clusterNameProperty().get(),
                run.formatProperty().get().name().toLowerCase(Locale.ROOT),
                run.formulaProperty().get().name().toLowerCase(Locale.ROOT),
                run.policyProperty().get().name().toLowerCase(Locale.ROOT), dark.get(), width.get(), height.get());
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

    private static <E extends Enum<E>> E parse(Class<E> type, String text, E fallback) {
        try {
            return Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            return fallback;
        }
    }
}
