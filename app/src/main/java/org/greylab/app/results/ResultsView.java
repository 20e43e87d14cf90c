package org.greylab.app.results;

import java.io.File;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.chart.BarChart;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import org.greylab.app.fx.Ui;
import org.greylab.core.schedule.Mode;

/** The timings table and its two charts (wall time and speedup per mode), with the exports. */
public final class ResultsView extends VBox {

    public ResultsView(ResultsViewModel model, Supplier<Window> owner) {
        TableView<ResultRow> table = new TableView<>(model.rows());
        Ui.tip(table, "resultsTable", "One row per run; speedup is against the latest serial run, efficiency is "
                + "speedup / slots");
        table.setPlaceholder(new Label("Timings appear here after each run; Compare fills all three modes."));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_ALL_COLUMNS);
        // least widths from the headers and the widest values: all eight fit the pane of a 1280 px window
        table.getColumns().add(Ui.sized(column("mode", r -> r.mode().word()), 80, "balanced"));
        table.getColumns().add(Ui.sized(column("engines", r -> Integer.toString(r.engines())), 70, "000"));
        table.getColumns().add(Ui.sized(column("slots", r -> Integer.toString(r.slots())), 56, "000"));
        table.getColumns().add(Ui.sized(column("wall", r -> fmt("%.2f s", r.wallSeconds())), 70, "00.00 s"));
        table.getColumns().add(Ui.sized(column("img/s", r -> fmt("%.1f", r.imagesPerSecond())), 60, "0000.0"));
        table.getColumns().add(Ui.sized(column("MP/s", r -> fmt("%.1f", r.megapixelsPerSecond())), 60, "000.0"));
        table.getColumns().add(Ui.sized(column("speedup", r -> Double.isNaN(r.speedup()) ? "–"
                : fmt("%.2f×", r.speedup())), 76, "0.00×"));
        TableColumn<ResultRow, String> efficiency = Ui.sized(column("eff.", r -> Double.isNaN(r.efficiency()) ? "–"
                : fmt("%.0f %%", r.efficiency() * 100)), 58, "100 %");
        table.getColumns().add(efficiency);
        // a few runs fill it; the charts below take the rest of the height
        table.setMinHeight(120);
        table.setPrefHeight(170);

        Button csv = Ui.tip(new Button("Export CSV"), "exportCsv", "Save the table as CSV");
        csv.setOnAction(e -> choose(owner, "greylab-timings.csv").ifPresent(f -> model.exportCsv(f.toPath())));
        Button json = Ui.tip(new Button("Export JSON"), "exportJson", "Save the table as JSON");
        json.setOnAction(e -> choose(owner, "greylab-timings.json").ifPresent(f -> model.exportJson(f.toPath())));
        Button md = Ui.tip(new Button("Copy as Markdown"), "copyMarkdown",
                "Copy the table to the clipboard as a Markdown table");
        md.setOnAction(e -> {
            ClipboardContent content = new ClipboardContent();
            content.putString(model.markdown());
            Clipboard.getSystemClipboard().setContent(content);
        });
        Label message = new Label();
        message.textProperty().bind(model.messageProperty());
        message.getStyleClass().add("text-muted");
        HBox buttons = new HBox(6, csv, json, md, message);
        buttons.setAlignment(Pos.CENTER_LEFT);

        BarChart<String, Number> wall = chart("Wall time (s)", "wallChart");
        BarChart<String, Number> speedup = chart("Speedup vs serial", "speedupChart");
        XYChart.Series<String, Number> wallSeries = new XYChart.Series<>();
        XYChart.Series<String, Number> speedSeries = new XYChart.Series<>();
        wall.getData().add(wallSeries);
        speedup.getData().add(speedSeries);
        model.rows().addListener((ListChangeListener<ResultRow>) c -> {
            // one bar per mode: its latest run
            wallSeries.getData().clear();
            speedSeries.getData().clear();
            java.util.Map<Mode, ResultRow> latest = new java.util.LinkedHashMap<>();
            for (ResultRow r : model.rows()) {
                latest.remove(r.mode());
                latest.put(r.mode(), r);
            }
            for (ResultRow r : latest.values()) {
                wallSeries.getData().add(new XYChart.Data<>(r.mode().word(), r.wallSeconds()));
                speedSeries.getData().add(new XYChart.Data<>(r.mode().word(),
                        Double.isNaN(r.speedup()) ? 0 : r.speedup()));
            }
        });
        HBox charts = new HBox(8, wall, speedup);
        HBox.setHgrow(wall, Priority.ALWAYS);
        HBox.setHgrow(speedup, Priority.ALWAYS);
        VBox.setVgrow(charts, Priority.ALWAYS);
        VBox.setVgrow(table, Priority.SOMETIMES);
        setSpacing(6);
        setPadding(new Insets(6));
        getChildren().addAll(table, charts, buttons);
    }

    private static BarChart<String, Number> chart(String title, String id) {
        CategoryAxis x = new CategoryAxis();
        NumberAxis y = new NumberAxis();
        BarChart<String, Number> chart = new BarChart<>(x, y);
        chart.setId(id);
        chart.setTitle(title);
        chart.setLegendVisible(false);
        chart.setAnimated(false);
        chart.setPrefWidth(240);
        chart.setMinHeight(110);
        chart.setPrefHeight(170);
        chart.setCategoryGap(14);
        chart.getStyleClass().add("small-chart");
        return chart;
    }

    private static java.util.Optional<File> choose(Supplier<Window> owner, String name) {
        FileChooser chooser = new FileChooser();
        chooser.setInitialFileName(name);
        return java.util.Optional.ofNullable(chooser.showSaveDialog(owner.get()));
    }

    private static String fmt(String pattern, double v) {
        return String.format(Locale.ROOT, pattern, v);
    }

    private static TableColumn<ResultRow, String> column(String title, Function<ResultRow, String> f) {
        TableColumn<ResultRow, String> c = new TableColumn<>(title);
        c.setCellValueFactory(cd -> new ReadOnlyStringWrapper(f.apply(cd.getValue())));
        return c;
    }
}
