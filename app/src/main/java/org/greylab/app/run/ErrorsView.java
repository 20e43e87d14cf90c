package org.greylab.app.run;

import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.greylab.app.fx.Ui;

/** The failed images of the last run, with Retry failed. */
public final class ErrorsView extends VBox {

    public ErrorsView(RunViewModel model) {
        TableView<ErrorRow> table = new TableView<>(model.failed().rows());
        Ui.tip(table, "errorsTable", "Images that could not be converted: where it failed and why");
        table.setPlaceholder(new Label("No errors."));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().add(column("File", 220, ErrorRow::file));
        table.getColumns().add(column("Stage", 70, ErrorRow::stage));
        table.getColumns().add(column("Engine", 80, ErrorRow::engine));
        table.getColumns().add(column("Reason", 380, ErrorRow::reason));
        Button retry = Ui.tip(new Button("Retry failed"), "retryFailed",
                "Run only the failed images again, to the same output names");
        retry.setOnAction(e -> model.retryFailed());
        retry.disableProperty().bind(model.failed().canRetryProperty().not()
                .or(model.stateProperty().isEqualTo(RunViewModel.State.RUNNING)));
        HBox bar = new HBox(8, retry);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(6, 0, 0, 0));
        VBox.setVgrow(table, Priority.ALWAYS);
        setPadding(new Insets(6));
        getChildren().addAll(table, bar);
    }

    private static TableColumn<ErrorRow, String> column(String title, double width,
            java.util.function.Function<ErrorRow, String> value) {
        TableColumn<ErrorRow, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(cd -> new ReadOnlyStringWrapper(value.apply(cd.getValue())));
        return c;
    }
}
