package org.greylab.app.run;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.greylab.app.fx.RunSubscriber;
import org.greylab.app.input.InputViewModel;
import org.greylab.core.job.BatchPlan;
import org.greylab.core.job.FileResult;
import org.greylab.core.job.ImageJob;
import org.greylab.core.run.RunEvent;

/**
 * The errors list: each image the last run's first mode failed, with stage, reason and engine, and the plan of just
 * those images for Retry failed (same output names). A Compare lists the failures once: every mode fails the same
 * images. Written on the FX thread only.
 */
public final class FailedImages implements RunSubscriber {

    private final ObservableList<ErrorRow> rows = FXCollections.observableArrayList();
    private final ReadOnlyBooleanWrapper canRetry = new ReadOnlyBooleanWrapper(this, "canRetry");
    private final List<ImageJob> failedJobs = new ArrayList<>();
    private BatchPlan plan;
    private boolean listed;

    public ObservableList<ErrorRow> rows() {
        return rows;
    }

    public ReadOnlyBooleanProperty canRetryProperty() {
        return canRetry.getReadOnlyProperty();
    }

    @Override
    public void onRunEvents(List<RunEvent> events) {
        for (RunEvent event : events) {
            if (event instanceof RunEvent.RunStarted s) {
                plan = s.plan();
                listed = false;
                rows.clear();
                failedJobs.clear();
                canRetry.set(false);
            } else if (event instanceof RunEvent.ModeFinished f && !listed) {
                listed = true;
                Set<String> failed = new HashSet<>();
                for (FileResult e : f.result().report().errors()) {
                    rows.add(new ErrorRow(e.input(), e.stage() == null ? "" : e.stage().label(), e.reason(),
                            InputViewModel.engineName(e.trace())));
                    failed.add(e.input());
                }
                plan.jobs().stream().filter(j -> failed.contains(j.relativePath())).forEach(failedJobs::add);
                canRetry.set(!failedJobs.isEmpty());
            }
        }
    }

    /** The failed images as a plan of their own, numbered from 0, to the same output names; null when none. */
    BatchPlan retryPlan() {
        if (failedJobs.isEmpty() || plan == null) {
            return null;
        }
        List<ImageJob> jobs = new ArrayList<>();
        for (ImageJob j : failedJobs) {
            jobs.add(new ImageJob(jobs.size(), j.source(), j.relativePath(), j.outputPath(), j.sizeBytes(),
                    j.format()));
        }
        return new BatchPlan(plan.inputRoots(), plan.outputRoot(), plan.settings(), plan.policy(), jobs, List.of());
    }
}
