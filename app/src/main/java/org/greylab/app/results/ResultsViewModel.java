package org.greylab.app.results;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.greylab.app.ui.AppExecutor;
import org.greylab.core.stats.BatchReport;

/**
 * The timings table: a row after each run (Compare adds three), with speedup against the latest serial run,
 * and its exports.
 */
public final class ResultsViewModel {

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

    /** Adds the row of a finished run. */
    public ResultRow add(BatchReport report, int engines, int slots) {
        boolean serial = "serial".equals(report.mode());
        double speedup = Double.NaN;
        if (serial) {
            speedup = 1.0;
        } else {
            for (int i = rows.size() - 1; i >= 0; i--) {
                ResultRow r = rows.get(i);
                if ("serial".equals(r.mode()) && r.imagesPerSecond() > 0) {
                    speedup = report.imagesPerSecond() / r.imagesPerSecond();
                    break;
                }
            }
        }
        int usedSlots = serial ? 1 : Math.max(1, slots);
        ResultRow row = new ResultRow(report.mode(), serial ? 0 : engines, usedSlots, report.converted(),
                report.wallSeconds(), report.imagesPerSecond(), report.megapixelsPerSecond(), speedup,
                Double.isNaN(speedup) ? Double.NaN : speedup / usedSlots, report.failed());
        rows.add(row);
        return row;
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
