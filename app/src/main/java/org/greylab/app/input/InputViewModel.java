package org.greylab.app.input;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingDeque;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.image.Image;
import org.greylab.app.fx.AppExecutor;
import org.greylab.app.fx.RunSubscriber;
import org.greylab.core.job.BatchPlanner;
import org.greylab.core.job.FileResult;
import org.greylab.core.job.FileStatus;
import org.greylab.core.job.BatchSetupException;
import org.greylab.core.job.ImageJob;
import org.greylab.core.job.InputScanner;
import org.greylab.core.job.ScanResult;
import org.greylab.core.job.ScannedImage;
import org.greylab.core.job.TaskTrace;
import org.greylab.core.run.RunEvent;
import org.greylab.core.schedule.Mode;
import org.greylab.core.schedule.ProgressEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The input side of the window: which folders and files are in, the images they hold (scanned off the FX
 * thread), what the user removed, and the row selected for the preview. It follows runs itself: each row shows
 * what became of its image (status, reason, engine, time).
 */
public final class InputViewModel implements RunSubscriber {

    private static final Logger LOG = LoggerFactory.getLogger(InputViewModel.class);
    private static final int THUMBNAIL_SIDE = 40;
    private static final int MAX_PENDING_THUMBNAILS = 200;
    private static final int MAX_LOADED_THUMBNAILS = 2000;
    private static final int HEADER_BATCH = 256;
    public static final int RECENT_SETS = 10;

    private final AppExecutor executor;
    private final ObservableList<Path> sources = FXCollections.observableArrayList();
    private final ObservableList<ImageRow> images = FXCollections.observableArrayList();
    private final Set<Path> removed = new HashSet<>();
    private final Map<String, ImageRow> byRelativePath = new HashMap<>();
    private final ReadOnlyBooleanWrapper scanning = new ReadOnlyBooleanWrapper(this, "scanning");
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "No images yet");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error", "");
    private final ReadOnlyStringWrapper leftOut = new ReadOnlyStringWrapper(this, "leftOut", "");
    private final ObservableList<List<Path>> recent = FXCollections.observableArrayList();
    private final BooleanProperty dropTargetShown = new SimpleBooleanProperty(this, "dropTargetShown");
    private final ObjectProperty<ImageRow> selected = new SimpleObjectProperty<>(this, "selected");
    private final LinkedBlockingDeque<ImageRow> pendingThumbnails = new LinkedBlockingDeque<>();
    private final ArrayDeque<ImageRow> loadedThumbnails = new ArrayDeque<>();
    private int scanGeneration;
    private Future<?> headerWork;
    private int skippedCount;

    public InputViewModel(AppExecutor executor) {
        this.executor = executor;
    }

    public ObservableList<Path> sources() {
        return sources;
    }

    /** The images of the sources, minus the removed ones, in natural order. */
    public ObservableList<ImageRow> images() {
        return images;
    }

    public ReadOnlyBooleanProperty scanningProperty() {
        return scanning.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** Why the last scan failed, in words; empty when it did not. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /**
     * The folders and files named from outside (the command line, the file manager, a recent set) that could not
     * be added, each with the reason; empty when all were.
     */
    public ReadOnlyStringProperty leftOutProperty() {
        return leftOut.getReadOnlyProperty();
    }

    /** The last {@value #RECENT_SETS} input sets, newest first. */
    public ObservableList<List<Path>> recent() {
        return recent;
    }

    /** Shown while files are dragged over the window. */
    public BooleanProperty dropTargetShownProperty() {
        return dropTargetShown;
    }

    public ObjectProperty<ImageRow> selectedProperty() {
        return selected;
    }

    /** Adds folders and files (dropped, chosen, or remembered) and rescans. */
    public void add(Collection<Path> paths) {
        dropTargetShown.set(false);
        boolean changed = false;
        for (Path path : paths) {
            Path p = path.toAbsolutePath().normalize();
            if (!sources.contains(p)) {
                sources.add(p);
                changed = true;
            }
            removed.remove(p);
        }
        if (changed) {
            rescan();
        }
    }

    /**
     * Adds folders and files named from outside the window (the command line, the file manager, a recent set):
     * those that do not exist or cannot be read are left out, and {@link #leftOutProperty()} says which and why.
     */
    public void addNamed(Collection<Path> paths) {
        List<Path> usable = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (Path path : paths) {
            Path p = path.toAbsolutePath().normalize();
            String why = unusable(p);
            if (why == null) {
                usable.add(p);
            } else {
                reasons.add(p + " (" + why + ")");
            }
        }
        leftOut.set(reasons.isEmpty() ? "" : "Left out: " + String.join("; ", reasons));
        add(usable);
    }

    /** Why a named path cannot be added, or null. */
    static String unusable(Path path) {
        if (!Files.exists(path)) {
            return Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? "a broken link" : "does not exist";
        }
        if (!Files.isReadable(path)) {
            return "not readable: permission denied";
        }
        if (Files.isDirectory(path) && !Files.isExecutable(path)) {
            return "its files cannot be listed: permission denied";
        }
        return null;
    }

    /** Puts the current inputs at the top of {@link #recent()} (a set already there moves up). */
    public void rememberInputs() {
        remember(inputs());
    }

    /** Puts a set at the top of {@link #recent()}, keeping {@value #RECENT_SETS}; the same set (in any order) moves up. */
    public void remember(List<Path> set) {
        List<List<Path>> updated = withFirst(recent, set);
        if (!updated.equals(recent)) {
            recent.setAll(updated);
        }
    }

    /** {@code sets} with {@code set} first (taken from where it was, in any order), {@value #RECENT_SETS} at most. */
    public static List<List<Path>> withFirst(List<List<Path>> sets, List<Path> set) {
        if (set.isEmpty()) {
            return List.copyOf(sets);
        }
        Set<Path> asSet = new HashSet<>(set);
        List<List<Path>> updated = new ArrayList<>(RECENT_SETS);
        updated.add(List.copyOf(set));
        for (List<Path> old : sets) {
            if (updated.size() < RECENT_SETS && !new HashSet<>(old).equals(asSet)) {
                updated.add(old);
            }
        }
        return updated;
    }

    /** Replaces the inputs with a recent set; the current one is remembered first. */
    public void openRecent(List<Path> set) {
        rememberInputs();
        clear();
        addNamed(set);
        remember(set);
    }

    /** A set in a few words: the first folder's or file's name, and how many more. */
    public static String describe(List<Path> set) {
        if (set.isEmpty()) {
            return "";
        }
        Path first = set.get(0).getFileName();
        String name = first == null ? set.get(0).toString() : first.toString();
        return set.size() == 1 ? name : name + " and " + (set.size() - 1) + " more";
    }

    public void addFolder(Path folder) {
        add(List.of(folder));
    }

    /** Leaves these images out of the next run (their sources stay). */
    public void remove(Collection<ImageRow> rows) {
        List<ImageRow> copy = new ArrayList<>(rows);
        for (ImageRow row : copy) {
            removed.add(row.source());
            byRelativePath.remove(row.relativePath());
        }
        images.removeAll(copy);
        updateSummary();
    }

    public void clear() {
        scanGeneration++;
        sources.clear();
        removed.clear();
        images.clear();
        byRelativePath.clear();
        pendingThumbnails.clear();
        loadedThumbnails.clear();
        selected.set(null);
        skippedCount = 0;
        error.set("");
        leftOut.set("");
        updateSummary();
    }

    /** The row for a planned image, by its relative path. */
    public Optional<ImageRow> row(String relativePath) {
        return Optional.ofNullable(byRelativePath.get(relativePath));
    }

    /** Keeps only the jobs the list still holds (the user may have removed some), numbered again from 0. */
    public List<ImageJob> keepListed(List<ImageJob> jobs) {
        List<ImageJob> kept = new ArrayList<>(jobs.size());
        for (ImageJob job : jobs) {
            if (!removed.contains(job.source().toAbsolutePath().normalize())) {
                kept.add(new ImageJob(kept.size(), job.source(), job.relativePath(), job.outputPath(),
                        job.sizeBytes(), job.format()));
            }
        }
        return kept;
    }

    /** Asks for a row's thumbnail; it loads off the FX thread, newest requests first. */
    public void requestThumbnail(ImageRow row) {
        if (!row.markThumbnailRequested()) {
            return;
        }
        pendingThumbnails.addFirst(row);
        while (pendingThumbnails.size() > MAX_PENDING_THUMBNAILS) {
            ImageRow stale = pendingThumbnails.pollLast();
            if (stale != null) {
                stale.forgetThumbnail();
            }
        }
        executor.image(this::loadNextThumbnail, loaded -> {
            if (loaded != null) {
                loaded.row().thumbnailProperty().set(loaded.image());
                loadedThumbnails.addLast(loaded.row());
                while (loadedThumbnails.size() > MAX_LOADED_THUMBNAILS) {
                    loadedThumbnails.pollFirst().forgetThumbnail();
                }
            }
        }, e -> LOG.debug("thumbnail failed", e));
    }

    private record LoadedThumbnail(ImageRow row, Image image) {
    }

    private LoadedThumbnail loadNextThumbnail() {
        ImageRow row = pendingThumbnails.pollFirst();
        if (row == null) {
            return null;
        }
        Optional<BufferedImage> picture = ImageHeaders.thumbnail(row.source(), THUMBNAIL_SIDE);
        return picture.map(p -> new LoadedThumbnail(row, SwingFXUtils.toFXImage(p, null))).orElse(null);
    }

    private void rescan() {
        int generation = ++scanGeneration;
        List<Path> roots = List.copyOf(sources);
        scanning.set(true);
        error.set("");
        if (headerWork != null) {
            headerWork.cancel(true);
        }
        executor.run(() -> scan(roots), scan -> {
            if (generation != scanGeneration) {
                return;
            }
            scanning.set(false);
            showScan(scan);
        }, e -> {
            if (generation != scanGeneration) {
                return;
            }
            scanning.set(false);
            error.set(e instanceof BatchSetupException ? e.getMessage() : "The folder could not be scanned: " + e);
        });
    }

    private static ScanResult scan(List<Path> roots) throws BatchSetupException {
        List<Path> existing = roots.stream().filter(Files::exists).toList();
        if (existing.isEmpty()) {
            return new ScanResult(List.of(), List.of(), List.of());
        }
        return new InputScanner(true, null).scan(existing);
    }

    private void showScan(ScanResult scan) {
        List<ImageRow> rows = new ArrayList<>(scan.images().size());
        byRelativePath.clear();
        for (ScannedImage image : scan.images()) {
            if (removed.contains(image.source().toAbsolutePath().normalize())) {
                continue;
            }
            ImageRow row = new ImageRow(image.source(), image.relativePath(), image.format(), image.sizeBytes());
            rows.add(row);
            byRelativePath.put(row.relativePath(), row);
        }
        skippedCount = scan.skipped().size();
        images.setAll(rows);
        updateSummary();
        readHeaders(rows, scanGeneration);
    }

    /** Pixel sizes come from the headers, a batch at a time, so a folder of 10,000 shows at once and fills in. */
    private void readHeaders(List<ImageRow> rows, int generation) {
        List<ImageRow> todo = List.copyOf(rows);
        headerWork = executor.image(() -> {
            for (int from = 0; from < todo.size(); from += HEADER_BATCH) {
                if (Thread.currentThread().isInterrupted()) {
                    return null;
                }
                List<ImageRow> batch = todo.subList(from, Math.min(todo.size(), from + HEADER_BATCH));
                List<String> sizes = new ArrayList<>(batch.size());
                for (ImageRow row : batch) {
                    sizes.add(ImageHeaders.pixelSize(row.source()).orElse("?"));
                }
                executor.fx().execute(() -> {
                    if (generation == scanGeneration) {
                        for (int i = 0; i < batch.size(); i++) {
                            batch.get(i).pixelSizeProperty().set(sizes.get(i));
                        }
                    }
                });
            }
            return null;
        }, ignored -> { }, e -> LOG.debug("reading image headers failed", e));
    }

    private void updateSummary() {
        if (images.isEmpty() && sources.isEmpty()) {
            summary.set("No images yet: open a folder (Ctrl+O) or drop folders and images here");
            return;
        }
        long bytes = images.stream().mapToLong(ImageRow::sizeBytes).sum();
        StringBuilder text = new StringBuilder();
        text.append(images.size()).append(images.size() == 1 ? " image, " : " images, ")
                .append(BatchPlanner.humanBytes(bytes));
        if (skippedCount > 0) {
            text.append(" · ").append(skippedCount).append(" other file").append(skippedCount == 1 ? "" : "s")
                    .append(" left out");
        }
        if (!removed.isEmpty()) {
            text.append(" · ").append(removed.size()).append(" removed");
        }
        summary.set(text.toString());
    }

    @Override
    public void onRunEvents(List<RunEvent> events) {
        for (RunEvent event : events) {
            if (event instanceof RunEvent.RunStarted started) {
                rememberInputs();
                for (ImageRow row : images) {
                    row.clearOutcome();
                }
                for (FileResult skipped : started.plan().skipped()) {
                    row(skipped.input()).ifPresent(r -> {
                        r.statusProperty().set(FileStatus.SKIPPED.label());
                        r.reasonProperty().set(skipped.reason());
                    });
                }
            } else if (event instanceof RunEvent.Progress p && p.event() instanceof ProgressEvent.ImageFinished f) {
                FileResult r = f.result();
                row(r.input()).ifPresent(row -> show(row, r));
            }
        }
    }

    private static void show(ImageRow row, FileResult r) {
        row.statusProperty().set(r.status().label());
        row.reasonProperty().set(r.reason() == null ? "" : r.stage() == null ? r.reason()
                : r.stage().label() + ": " + r.reason());
        row.engineProperty().set(engineName(r.trace()));
        TaskTrace t = r.trace();
        if (t != null && t.finishedMicros() >= t.startedMicros() && t.startedMicros() > 0) {
            row.timeProperty().set(String.format(Locale.ROOT, "%.0f ms",
                    (t.finishedMicros() - t.startedMicros()) / 1e3));
        }
    }

    /** {@code engine 2}, or the serial mode's word for an image converted in the window's own process. */
    public static String engineName(TaskTrace t) {
        if (t == null || !t.ranOnEngine()) {
            return Mode.SERIAL.word();
        }
        return "engine " + t.engineId();
    }

    /** Distinct sources in the order added: the run's inputs. */
    public List<Path> inputs() {
        return List.copyOf(new LinkedHashSet<>(sources));
    }
}
