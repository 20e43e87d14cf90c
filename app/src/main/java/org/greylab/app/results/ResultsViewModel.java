package org.greylab.app.results;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.greylab.app.fx.AppExecutor;
import org.greylab.app.fx.RunSubscriber;
import org.greylab.core.run.RunEvent;

/**
 * The timings table: a row after each mode a run finishes (Compare adds three), with the run service's speedup
 * over the same images' serial run, and its exports.
 */
public final class ResultsViewModel implements RunSubscriber {

    private final AppExecutor executor;
    private final ObservableList<ResultRow> rows = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");

    public ResultsViewModel(AppExecutor executor) {
        this.executor = executor;
    }

    public ObservableList<ResultRow> rows() {
        return rows;
    }

    /** What the last export did, in words. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** A row for each mode a run finished (the last of its repeats); a cancelled mode has none. */
    @Override
    public void onRunEvents(List<RunEvent> events) {
        for (RunEvent event : events) {
            if (event instanceof RunEvent.ModeFinished f && !f.result().report().cancelled()) {
                rows.add(ResultRow.of(f.result()));
            }
        }
    }

    public void clear() {
        rows.clear();
    }

    public String markdown() {
        return ResultsExport.markdown(List.copyOf(rows));
    }

    public void exportCsv(Path file) {
        write(file, ResultsExport.csv(List.copyOf(rows)));
    }

    public void exportJson(Path file) {
        write(file, ResultsExport.json(List.copyOf(rows)));
    }

    private void write(Path file, String text) {
        executor.run(() -> {
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return file;
        }, f -> message.set("Saved " + f), e -> message.set("Could not save " + file + ": " + e.getMessage()));
    }
}
