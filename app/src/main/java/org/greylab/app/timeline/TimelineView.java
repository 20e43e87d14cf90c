package org.greylab.app.timeline;

import javafx.geometry.Insets;
import javafx.scene.layout.StackPane;

/** The live task stream of the current and earlier runs. */
public final class TimelineView extends StackPane {

    public TimelineView(TimelineViewModel model) {
        TimelineChart chart = new TimelineChart(model);
        chart.setId("timeline");
        setPadding(new Insets(6));
        getChildren().add(chart);
    }
}
