package org.greylab.app.input;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.image.ImageView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.greylab.app.fx.Ui;

/** Before and after, side by side, for the selected image. */
public final class PreviewView extends VBox {

    public PreviewView(PreviewViewModel model) {
        getStyleClass().add("preview");
        ImageView before = Ui.id(new ImageView(), "previewBefore");
        ImageView after = Ui.id(new ImageView(), "previewAfter");
        before.imageProperty().bind(model.beforeProperty());
        after.imageProperty().bind(model.afterProperty());
        HBox pair = new HBox(8, frame(before, "Before"), frame(after, "After (grey, as the run writes it)"));
        pair.setAlignment(Pos.CENTER);
        VBox.setVgrow(pair, Priority.ALWAYS);
        Label caption = Ui.id(new Label(), "previewCaption");
        caption.textProperty().bind(model.captionProperty());
        caption.getStyleClass().add("text-muted");
        caption.setWrapText(true);
        setSpacing(6);
        setPadding(new Insets(8));
        getChildren().addAll(Ui.heading("Preview"), pair, caption);
        setMinWidth(200);
    }

    private static VBox frame(ImageView view, String title) {
        StackPane holder = new StackPane(view);
        holder.getStyleClass().add("preview-frame");
        holder.setMinSize(80, 80);
        view.setPreserveRatio(true);
        view.setSmooth(true);
        view.fitWidthProperty().bind(holder.widthProperty().subtract(8));
        view.fitHeightProperty().bind(holder.heightProperty().subtract(8));
        VBox.setVgrow(holder, Priority.ALWAYS);
        Label label = new Label(title);
        label.getStyleClass().add("text-small");
        VBox box = new VBox(4, label, holder);
        HBox.setHgrow(box, Priority.ALWAYS);
        box.setPrefWidth(200);
        return box;
    }
}
