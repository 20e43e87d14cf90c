package org.greylab.app.timeline;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.beans.InvalidationListener;
import javafx.beans.value.ChangeListener;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Label;
import javafx.scene.control.SkinBase;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.Pane;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.Text;
import javafx.scene.text.TextAlignment;

/**
 * Draws a {@link TimelineChart} on one canvas (thousands of bars cost one pass, not thousands of nodes) and
 * shows a small label for the bar under the mouse.
 */
public final class TimelineChartSkin extends SkinBase<TimelineChart> {

    private static final double GUTTER = 170;
    private static final double AXIS = 34;
    private static final double LEGEND = 20;
    private static final double LANE_GAP = 6;
    /** The row height the chart asks for (its preferred height fits its lanes at this). */
    private static final double PREF_ROW = 26;
    /** With few lanes the rows grow to fill the pane, up to this: a task stream reads best when it fills. */
    private static final double MAX_ROW = 96;
    private static final Font FONT = Font.font(11);

    private final Pane pane = new Pane();
    private final Canvas canvas = new Canvas();
    private final Label tooltip = new Label();
    /** Measures legend entries, so they are spaced evenly whatever the font. */
    private final Text legendText = new Text();
    private final InvalidationListener redraw = o -> draw();
    private final ChangeListener<TimelineViewModel> modelChanged;
    private Layout layout;

    /** Where each lane sits after the last draw (for hover). */
    private record Layout(Map<String, double[]> laneTop, double rowHeight, long origin, double scale, double left) {
        double x(long micros) {
            return left + (micros - origin) * scale;
        }
    }

    public TimelineChartSkin(TimelineChart chart) {
        super(chart);
        legendText.setFont(FONT);
        tooltip.getStyleClass().add("timeline-tooltip");
        tooltip.setVisible(false);
        tooltip.setMouseTransparent(true);
        tooltip.setManaged(false);
        pane.getChildren().addAll(canvas, tooltip);
        getChildren().add(pane);
        canvas.widthProperty().bind(pane.widthProperty());
        canvas.heightProperty().bind(pane.heightProperty());
        canvas.widthProperty().addListener(redraw);
        canvas.heightProperty().addListener(redraw);
        for (var p : List.of(chart.runningColorProperty(), chart.doneColorProperty(), chart.failedColorProperty(),
                chart.rerunColorProperty(), chart.abandonedColorProperty(), chart.laneColorProperty(),
                chart.textColorProperty(), chart.gridColorProperty())) {
            p.addListener(redraw);
        }
        modelChanged = (obs, old, now) -> {
            if (old != null) {
                old.revisionProperty().removeListener(redraw);
            }
            if (now != null) {
                now.revisionProperty().addListener(redraw);
            }
            draw();
        };
        chart.modelProperty().addListener(modelChanged);
        if (chart.getModel() != null) {
            chart.getModel().revisionProperty().addListener(redraw);
        }
        canvas.addEventHandler(MouseEvent.MOUSE_MOVED, this::hover);
        canvas.addEventHandler(MouseEvent.MOUSE_EXITED, e -> tooltip.setVisible(false));
        draw();
    }

    @Override
    public void dispose() {
        TimelineChart chart = getSkinnable();
        chart.modelProperty().removeListener(modelChanged);
        if (chart.getModel() != null) {
            chart.getModel().revisionProperty().removeListener(redraw);
        }
        super.dispose();
    }

    private void draw() {
        TimelineChart chart = getSkinnable();
        GraphicsContext g = canvas.getGraphicsContext2D();
        double w = canvas.getWidth();
        double h = canvas.getHeight();
        g.clearRect(0, 0, w, h);
        g.setFont(FONT);
        TimelineViewModel model = chart.getModel();
        if (model == null || model.lanes().isEmpty() || w < GUTTER + 40) {
            g.setFill(chart.textColorProperty().get());
            g.setTextAlign(TextAlignment.CENTER);
            g.setTextBaseline(VPos.CENTER);
            g.fillText("The timeline fills while a run goes: one lane per engine, one bar per image.", w / 2, h / 2);
            layout = null;
            return;
        }
        List<TimelineLane> lanes = model.lanes();
        int totalRows = lanes.stream().mapToInt(TimelineLane::rows).sum();
        double usable = h - AXIS - LEGEND - LANE_GAP * lanes.size();
        double rowHeight = Math.max(2, Math.min(MAX_ROW, usable / Math.max(1, totalRows)));
        long origin = model.originMicros();
        long end = Math.max(origin + 1_000_000, model.endMicros());
        double plotWidth = w - GUTTER - 12;
        double scale = plotWidth / (double) (end - origin);
        Map<String, double[]> laneTop = new HashMap<>();
        Layout l = new Layout(laneTop, rowHeight, origin, scale, GUTTER);

        // time axis: a tick every 1, 2, 5, 10... seconds
        double seconds = (end - origin) / 1e6;
        double step = niceStep(seconds / Math.max(1, plotWidth / 90));
        g.setStroke(chart.gridColorProperty().get());
        g.setLineWidth(1);
        g.setFill(chart.textColorProperty().get());
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.TOP);
        double lanesBottom = AXIS + lanes.stream().mapToDouble(x -> x.rows() * rowHeight + LANE_GAP).sum();
        for (double t = 0; t <= seconds + 1e-9; t += step) {
            double x = GUTTER + t * 1e6 * scale;
            g.strokeLine(x + 0.5, 16, x + 0.5, lanesBottom);
            g.fillText(formatSeconds(t, step), x, 3);
        }

        // lanes
        double y = AXIS;
        g.setTextBaseline(VPos.CENTER);
        for (TimelineLane lane : lanes) {
            double height = lane.rows() * rowHeight;
            laneTop.put(lane.key(), new double[] {y, height});
            g.setFill(chart.laneColorProperty().get());
            g.fillRect(GUTTER, y, plotWidth, height);
            g.setFill(lane.gone() ? chart.failedColorProperty().get() : chart.textColorProperty().get());
            g.setTextAlign(TextAlignment.RIGHT);
            g.fillText(lane.label(), GUTTER - 8, y + height / 2, GUTTER - 14);
            y += height + LANE_GAP;
        }

        // bars
        for (TimelineBar bar : model.bars()) {
            double[] top = laneTop.get(bar.lane());
            if (top == null) {
                continue;
            }
            long barEnd = bar.running() ? Math.max(bar.startMicros() + 1, model.endMicros()) : bar.endMicros();
            double x0 = l.x(bar.startMicros());
            double x1 = Math.max(x0 + 1.5, l.x(barEnd));
            double by = top[0] + bar.row() * rowHeight + 1;
            g.setFill(chart.colorOf(bar.state()));
            g.fillRect(x0, by, x1 - x0 - (x1 - x0 > 4 ? 1 : 0), Math.max(1, rowHeight - 2));
        }

        // run markers (serial | direct | balanced)
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.BOTTOM);
        for (TimelineViewModel.Marker m : model.markers()) {
            double x = l.x(m.micros());
            g.setStroke(chart.textColorProperty().get());
            g.setLineDashes(3, 3);
            g.strokeLine(x + 0.5, AXIS, x + 0.5, lanesBottom);
            g.setLineDashes(null);
            g.setFill(chart.textColorProperty().get());
            g.fillText(m.label(), x + 4, AXIS - 3);
        }

        // legend: under the plot, or from the left edge when the plot is too narrow for it
        List<TimelineBar.State> states = List.of(TimelineBar.State.values());
        double[] widths = new double[states.size()];
        double total = 0;
        for (int i = 0; i < states.size(); i++) {
            legendText.setText(legendName(states.get(i)));
            widths[i] = 14 + legendText.getLayoutBounds().getWidth();
            total += widths[i] + (i == 0 ? 0 : 12);
        }
        double lx = total <= plotWidth ? GUTTER : Math.max(4, w - 8 - total);
        // right under the lanes, so a short chart has no gap between its lanes and its key
        double ly = Math.min(h - LEGEND / 2, lanesBottom + 6 + LEGEND / 2);
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.CENTER);
        for (int i = 0; i < states.size(); i++) {
            g.setFill(chart.colorOf(states.get(i)));
            g.fillRect(lx, ly - 5, 10, 10);
            g.setFill(chart.textColorProperty().get());
            g.fillText(legendName(states.get(i)), lx + 14, ly);
            lx += widths[i] + 12;
        }
        layout = l;
    }

    private static String legendName(TimelineBar.State state) {
        return switch (state) {
            case RUNNING -> "running";
            case DONE -> "done";
            case FAILED -> "failed";
            case RERUN -> "re-run after failover";
            case ABANDONED -> "lost or cancelled";
        };
    }

    private void hover(MouseEvent e) {
        TimelineViewModel model = getSkinnable().getModel();
        Layout l = layout;
        if (model == null || l == null) {
            tooltip.setVisible(false);
            return;
        }
        TimelineBar hit = null;
        List<TimelineBar> bars = model.bars();
        for (int i = bars.size() - 1; i >= 0; i--) {
            TimelineBar bar = bars.get(i);
            double[] top = l.laneTop().get(bar.lane());
            if (top == null) {
                continue;
            }
            double by = top[0] + bar.row() * l.rowHeight();
            if (e.getY() < by || e.getY() > by + l.rowHeight()) {
                continue;
            }
            long barEnd = bar.running() ? model.endMicros() : bar.endMicros();
            double x0 = l.x(bar.startMicros()) - 1;
            double x1 = Math.max(x0 + 3, l.x(barEnd) + 1);
            if (e.getX() >= x0 && e.getX() <= x1) {
                hit = bar;
                break;
            }
        }
        if (hit == null) {
            tooltip.setVisible(false);
            return;
        }
        double start = (hit.startMicros() - l.origin()) / 1e6;
        String times = hit.running()
                ? String.format(Locale.ROOT, "started at %.2f s, running", start)
                : String.format(Locale.ROOT, "%.2f s → %.2f s (%.0f ms)", start, (hit.endMicros() - l.origin()) / 1e6,
                (hit.endMicros() - hit.startMicros()) / 1e3);
        tooltip.setText(hit.file() + "\n" + hit.run() + " · " + laneLabel(model, hit.lane()) + "\n" + times + "\n"
                + hit.detail());
        tooltip.setVisible(true);
        tooltip.autosize();
        double x = Math.min(e.getX() + 14, canvas.getWidth() - tooltip.getWidth() - 4);
        double y = Math.min(e.getY() + 14, canvas.getHeight() - tooltip.getHeight() - 4);
        tooltip.relocate(Math.max(0, x), Math.max(0, y));
    }

    private static String laneLabel(TimelineViewModel model, String key) {
        return model.lanes().stream().filter(x -> x.key().equals(key)).map(TimelineLane::label).findFirst()
                .orElse(key);
    }

    static double niceStep(double raw) {
        double[] steps = {0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600};
        for (double s : steps) {
            if (s >= raw) {
                return s;
            }
        }
        return 7200;
    }

    private static String formatSeconds(double t, double step) {
        return step < 1 ? String.format(Locale.ROOT, "%.1f s", t) : String.format(Locale.ROOT, "%.0f s", t);
    }

    @Override
    protected double computePrefHeight(double width, double top, double right, double bottom, double left) {
        TimelineViewModel model = getSkinnable().getModel();
        if (model == null || model.lanes().isEmpty()) {
            return 160;
        }
        double rows = model.lanes().stream().mapToInt(TimelineLane::rows).sum();
        return top + bottom + AXIS + LEGEND + rows * PREF_ROW + model.lanes().size() * LANE_GAP + 8;
    }

    Color textColor() {
        return getSkinnable().textColorProperty().get();
    }
}
