package org.greylab.app.timeline;

import java.util.List;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.css.CssMetaData;
import javafx.css.Styleable;
import javafx.css.StyleableProperty;
import javafx.css.StyleablePropertyFactory;
import javafx.scene.control.Control;
import javafx.scene.control.Skin;
import javafx.scene.paint.Color;

/**
 * A live task stream, like Dask's: one lane per engine (and one for the serial run), one bar per image from the
 * moment it starts to the moment it is done, coloured by state. Hovering a bar shows its file, times and bytes.
 * Drawn by {@link TimelineChartSkin}; colours come from CSS ({@code timeline-chart.css}, overridable by the
 * application's stylesheet).
 */
public final class TimelineChart extends Control {

    private static final StyleablePropertyFactory<TimelineChart> CSS =
            new StyleablePropertyFactory<>(Control.getClassCssMetaData());

    private final ObjectProperty<TimelineViewModel> model = new SimpleObjectProperty<>(this, "model");
    private final StyleableProperty<Color> runningColor = CSS.createStyleableColorProperty(this, "runningColor",
            "-gl-running-color", c -> c.runningColor, Color.web("#e8a33d"));
    private final StyleableProperty<Color> doneColor = CSS.createStyleableColorProperty(this, "doneColor",
            "-gl-done-color", c -> c.doneColor, Color.web("#3f8fd2"));
    private final StyleableProperty<Color> failedColor = CSS.createStyleableColorProperty(this, "failedColor",
            "-gl-failed-color", c -> c.failedColor, Color.web("#d64545"));
    private final StyleableProperty<Color> rerunColor = CSS.createStyleableColorProperty(this, "rerunColor",
            "-gl-rerun-color", c -> c.rerunColor, Color.web("#9b59d0"));
    private final StyleableProperty<Color> abandonedColor = CSS.createStyleableColorProperty(this,
            "abandonedColor", "-gl-abandoned-color", c -> c.abandonedColor, Color.web("#9a9a9a"));
    private final StyleableProperty<Color> laneColor = CSS.createStyleableColorProperty(this, "laneColor",
            "-gl-lane-color", c -> c.laneColor, Color.web("#8080801a"));
    private final StyleableProperty<Color> textColor = CSS.createStyleableColorProperty(this, "textColor",
            "-gl-text-color", c -> c.textColor, Color.web("#333333"));
    private final StyleableProperty<Color> gridColor = CSS.createStyleableColorProperty(this, "gridColor",
            "-gl-grid-color", c -> c.gridColor, Color.web("#80808055"));

    public TimelineChart() {
        getStyleClass().add("timeline-chart");
    }

    public TimelineChart(TimelineViewModel model) {
        this();
        setModel(model);
    }

    public final ObjectProperty<TimelineViewModel> modelProperty() {
        return model;
    }

    public final TimelineViewModel getModel() {
        return model.get();
    }

    public final void setModel(TimelineViewModel value) {
        model.set(value);
    }

    @SuppressWarnings("unchecked")
    private static ObjectProperty<Color> prop(StyleableProperty<Color> p) {
        return (ObjectProperty<Color>) p;
    }

    public final ObjectProperty<Color> runningColorProperty() {
        return prop(runningColor);
    }

    public final ObjectProperty<Color> doneColorProperty() {
        return prop(doneColor);
    }

    public final ObjectProperty<Color> failedColorProperty() {
        return prop(failedColor);
    }

    public final ObjectProperty<Color> rerunColorProperty() {
        return prop(rerunColor);
    }

    public final ObjectProperty<Color> abandonedColorProperty() {
        return prop(abandonedColor);
    }

    public final ObjectProperty<Color> laneColorProperty() {
        return prop(laneColor);
    }

    public final ObjectProperty<Color> textColorProperty() {
        return prop(textColor);
    }

    public final ObjectProperty<Color> gridColorProperty() {
        return prop(gridColor);
    }

    /** The colour of a bar in {@code state}. */
    public Color colorOf(TimelineBar.State state) {
        return switch (state) {
            case RUNNING -> runningColor.getValue();
            case DONE -> doneColor.getValue();
            case FAILED -> failedColor.getValue();
            case RERUN -> rerunColor.getValue();
            case ABANDONED -> abandonedColor.getValue();
        };
    }

    @Override
    protected Skin<?> createDefaultSkin() {
        return new TimelineChartSkin(this);
    }

    @Override
    public String getUserAgentStylesheet() {
        return TimelineChart.class.getResource("timeline-chart.css").toExternalForm();
    }

    public static List<CssMetaData<? extends Styleable, ?>> getClassCssMetaData() {
        return CSS.getCssMetaData();
    }

    @Override
    public List<CssMetaData<? extends Styleable, ?>> getControlCssMetaData() {
        return getClassCssMetaData();
    }
}
