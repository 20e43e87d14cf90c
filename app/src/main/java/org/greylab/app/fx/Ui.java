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

    /**
     * Column headers as app.css draws them: bold 11 px text, plus the label's 4 px each side, the header's 2 px each
     * side and the room it keeps for a sort arrow (with 12 px in all, headers were cut to an ellipsis).
     * Measured at 13 px, the least widths added up to more than the Timings and Engines panes have in the default
     * 1280 px window, and their last columns were cut off.
     */
    private static final double HEADER_FONT_SIZE = 11;
    private static final double HEADER_PADDING = 16;
    /** Cells as app.css draws them: 12 px text and the theme's 0.5em each side, plus 2 px of air. */
    private static final double CELL_FONT_SIZE = 12;
    private static final double CELL_PADDING = 14;

    /**
     * The narrowest {@code title} can be as a column header without being cut: measured in the font this machine
     * renders, so it holds for wide fonts (DejaVu) as well as narrow ones.
     */
    public static double headerWidth(String title) {
        Text text = new Text(title);
        text.setFont(Font.font(Font.getDefault().getFamily(), FontWeight.BOLD, HEADER_FONT_SIZE));
        return Math.ceil(text.getLayoutBounds().getWidth()) + HEADER_PADDING;
    }

    /** The narrowest a cell showing {@code value} can be without cutting it, measured as {@link #headerWidth}. */
    public static double cellWidth(String value) {
        Text text = new Text(value);
        text.setFont(Font.font(Font.getDefault().getFamily(), CELL_FONT_SIZE));
        return Math.ceil(text.getLayoutBounds().getWidth()) + CELL_PADDING;
    }

    /**
     * As {@link #sized(TableColumn, double)}, never narrower than {@code widestValue} (a sample of the longest text
     * its cells show, such as "100.00 s") needs.
     */
    public static <S, T> TableColumn<S, T> sized(TableColumn<S, T> column, double pref, String widestValue) {
        sized(column, pref);
        double min = Math.max(column.getMinWidth(), cellWidth(widestValue));
        column.setMinWidth(min);
        column.setPrefWidth(Math.max(min, column.getPrefWidth()));
        return column;
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
