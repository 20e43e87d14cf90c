package org.greylab.app.ui;

import javafx.scene.Node;
import javafx.scene.control.Control;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
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
}
