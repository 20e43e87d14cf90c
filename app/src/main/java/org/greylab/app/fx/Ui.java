package org.greylab.app.fx;

import javafx.scene.Node;
import javafx.scene.control.Control;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.Tooltip;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.Text;
import javafx.util.Duration;

/** Small building helpers the views share. */
public final class Ui {

    private Ui() {
    }

    /** Gives a control its id and tooltip. */
    public static <T extends Control> T tip(T control, String id, String text) {
        control.setId(id);
        Tooltip tooltip = new Tooltip(text);
        tooltip.setShowDelay(Duration.millis(400));
        tooltip.setWrapText(true);
        tooltip.setMaxWidth(420);
        control.setTooltip(tooltip);
        return control;
    }

    public static Label heading(String text) {
        Label l = new Label(text);
        l.getStyleClass().addAll("section-title", "title-4");
        return l;
    }

    public static Label muted(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("text-muted");
        l.setWrapText(true);
        return l;
    }

    public static <T extends Node> T id(T node, String id) {
        node.setId(id);
        return node;
    }

    /** Bold header text at the window's 13 px, plus the theme's header padding (0.5em each side, 4 px for
     * the sort arrow) and a few pixels of air. */
    private static final double HEADER_FONT_SIZE = 13;
    private static final double HEADER_PADDING = 20;

    /**
     * The narrowest {@code title} can be as a column header without being cut: measured in the font this machine
     * renders, so it holds for wide fonts (DejaVu) as well as narrow ones.
     */
    public static double headerWidth(String title) {
        Text text = new Text(title);
        text.setFont(Font.font(Font.getDefault().getFamily(), FontWeight.BOLD, HEADER_FONT_SIZE));
        return Math.ceil(text.getLayoutBounds().getWidth()) + HEADER_PADDING;
    }

    /** A column that never cuts its header and prefers {@code pref} (or its header's width, if wider). */
    public static <S, T> TableColumn<S, T> sized(TableColumn<S, T> column, double pref) {
        double min = headerWidth(column.getText() == null ? "" : column.getText());
        column.setMinWidth(min);
        column.setPrefWidth(Math.max(min, pref));
        return column;
    }

    /**
     * A column of one width (or its header's, if wider): numbers and states, which need no more room when the table
     * is wider and would be cut when it is narrower; the other columns give way instead.
     */
    public static <S, T> TableColumn<S, T> fixed(TableColumn<S, T> column, double width) {
        sized(column, width);
        column.setMinWidth(column.getPrefWidth());
        column.setMaxWidth(column.getPrefWidth());
        return column;
    }
}
