package org.greylab.app.input;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.greylab.app.fx.Ui;

/** The image list: a virtualized table (smooth with 10,000 rows), thumbnails loaded as rows come into view. */
public final class InputView extends VBox {

    public InputView(InputViewModel model) {
        TableView<ImageRow> table = new TableView<>(model.images());
        Ui.tip(table, "imageTable", "The images of the chosen folders and files. Select one to preview it; "
                + "Delete removes the selected ones from the run.");
        table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_ALL_COLUMNS);
        table.setPlaceholder(new Label("No images yet: open a folder (Ctrl+O) or drop folders and images here."));
        table.setFixedCellSize(44);

        TableColumn<ImageRow, Image> thumb = new TableColumn<>("");
        thumb.setMinWidth(52);
        thumb.setPrefWidth(52);
        thumb.setMaxWidth(52);
        thumb.setSortable(false);
        thumb.setCellValueFactory(c -> c.getValue().thumbnailProperty());
        thumb.setCellFactory(c -> new ThumbnailCell(model));

        // the path takes what is left; the short facts keep one width so their headers are never cut
        TableColumn<ImageRow, String> path = Ui.sized(
                column("File", r -> new ReadOnlyStringWrapper(r.relativePath())), 180);
        TableColumn<ImageRow, String> fmt = Ui.fixed(
                column("Format", r -> new ReadOnlyStringWrapper(r.formatName())), 60);
        TableColumn<ImageRow, String> px = Ui.fixed(column("Pixels", null), 92);
        px.setCellValueFactory(c -> c.getValue().pixelSizeProperty());
        TableColumn<ImageRow, String> size = Ui.fixed(
                column("Size", r -> new ReadOnlyStringWrapper(r.fileSize())), 72);
        TableColumn<ImageRow, String> status = Ui.fixed(column("Status", null), 80);
        status.setCellValueFactory(c -> c.getValue().statusProperty());
        status.setCellFactory(c -> new StatusCell());
        TableColumn<ImageRow, String> engine = Ui.fixed(column("Engine", null), 72);
        engine.setCellValueFactory(c -> c.getValue().engineProperty());
        TableColumn<ImageRow, String> time = Ui.fixed(column("Time", null), 64);
        time.setCellValueFactory(c -> c.getValue().timeProperty());
        table.getColumns().addAll(java.util.List.of(thumb, path, fmt, px, size, status, engine, time));

        table.getSelectionModel().selectedItemProperty().addListener((o, a, row) -> model.selectedProperty().set(row));
        table.setOnKeyPressed(e -> {
            if (e.getCode() == javafx.scene.input.KeyCode.DELETE) {
                model.remove(table.getSelectionModel().getSelectedItems());
            }
        });
        removeSelected = () -> model.remove(table.getSelectionModel().getSelectedItems());

        Label summary = Ui.id(new Label(), "inputSummary");
        summary.textProperty().bind(model.summaryProperty());
        summary.getStyleClass().add("text-muted");
        Label error = Ui.id(new Label(), "inputError");
        error.textProperty().bind(model.errorProperty());
        error.getStyleClass().add("danger");
        error.visibleProperty().bind(model.errorProperty().isNotEmpty());
        error.managedProperty().bind(error.visibleProperty());
        Label scanning = new Label("Scanning…");
        scanning.visibleProperty().bind(model.scanningProperty());
        scanning.managedProperty().bind(scanning.visibleProperty());
        Label leftOut = Ui.id(new Label(), "inputLeftOut");
        leftOut.textProperty().bind(model.leftOutProperty());
        leftOut.getStyleClass().add("warning");
        leftOut.setTooltip(new Tooltip());
        leftOut.getTooltip().textProperty().bind(model.leftOutProperty());
        leftOut.visibleProperty().bind(model.leftOutProperty().isNotEmpty());
        leftOut.managedProperty().bind(leftOut.visibleProperty());
        HBox footer = new HBox(12, summary, scanning, error, leftOut);
        footer.setAlignment(Pos.CENTER_LEFT);
        footer.setPadding(new Insets(4, 8, 4, 8));
        VBox.setVgrow(table, Priority.ALWAYS);
        getChildren().addAll(table, footer);
        this.table = table;
    }

    private final TableView<ImageRow> table;
    private final Runnable removeSelected;

    public TableView<ImageRow> table() {
        return table;
    }

    /** Removes the selected rows (the toolbar's Remove). */
    public void removeSelected() {
        removeSelected.run();
    }

    private static TableColumn<ImageRow, String> column(String title,
            java.util.function.Function<ImageRow, javafx.beans.value.ObservableValue<String>> value) {
        TableColumn<ImageRow, String> c = new TableColumn<>(title);
        if (value != null) {
            c.setCellValueFactory(cd -> value.apply(cd.getValue()));
        }
        return c;
    }

    /** Asks for the thumbnail only when the row is on screen. */
    private static final class ThumbnailCell extends TableCell<ImageRow, Image> {
        private final ImageView view = new ImageView();
        private final InputViewModel model;

        ThumbnailCell(InputViewModel model) {
            this.model = model;
            view.setFitWidth(40);
            view.setFitHeight(40);
            view.setPreserveRatio(true);
            setAlignment(Pos.CENTER);
        }

        @Override
        protected void updateItem(Image image, boolean empty) {
            super.updateItem(image, empty);
            if (empty || getTableRow() == null || getTableRow().getItem() == null) {
                setGraphic(null);
                return;
            }
            if (image == null) {
                model.requestThumbnail(getTableRow().getItem());
            }
            view.setImage(image);
            setGraphic(view);
        }
    }

    /** Colours the status and shows the reason as a tooltip. */
    private static final class StatusCell extends TableCell<ImageRow, String> {
        @Override
        protected void updateItem(String status, boolean empty) {
            super.updateItem(status, empty);
            getStyleClass().removeAll("success", "danger", "warning");
            if (empty || status == null || status.isEmpty()) {
                setText(null);
                setTooltip(null);
                return;
            }
            setText(status);
            getStyleClass().add(switch (status) {
                case "converted" -> "success";
                case "failed" -> "danger";
                default -> "warning";
            });
            ImageRow row = getTableRow() == null ? null : getTableRow().getItem();
            String reason = row == null ? "" : row.reasonProperty().get();
            setTooltip(reason == null || reason.isEmpty() ? null : new Tooltip(reason));
        }
    }
}
