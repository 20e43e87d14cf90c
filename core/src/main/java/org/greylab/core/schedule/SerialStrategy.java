package org.greylab.core.schedule;

import java.util.ArrayList;
import java.util.List;
import org.greylab.core.job.BatchPlan;
import org.greylab.core.job.FileResult;
import org.greylab.core.job.ImageJob;
import org.greylab.core.job.ImagePipeline;
import org.greylab.core.job.OutputUnavailableException;
import org.greylab.core.job.TaskTrace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference mode: every image in plan order, one after another, in the calling thread; no cluster. Events go
 * to the listener on the calling thread. An interrupt stops it before the next stage of the current image: the
 * batch ends with {@link ProgressEvent.BatchFinished} (cancelled) and no partial file.
 */
public final class SerialStrategy implements Strategy {

    private static final Logger LOG = LoggerFactory.getLogger(SerialStrategy.class);

    private final ImagePipeline pipeline;

    public SerialStrategy(ImagePipeline pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public Mode mode() {
        return Mode.SERIAL;
    }

    @Override
    public List<FileResult> run(BatchPlan plan, ProgressListener listener) throws InterruptedException {
        long t0 = System.nanoTime();
        listener.onEvent(new ProgressEvent.BatchStarted(Mode.SERIAL, plan.jobs().size(), plan.skipped().size()));
        List<FileResult> results = new ArrayList<>(plan.jobs().size());
        try {
            for (ImageJob job : plan.jobs()) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("batch cancelled");
                }
                listener.onEvent(new ProgressEvent.ImageStarted(job, TaskTrace.SERIAL, 1));
                FileResult result;
                try {
                    result = pipeline.convertLocally(plan, job);
                } catch (OutputUnavailableException e) {
                    LOG.warn("serial batch stopped after {} of {} images: {}", results.size(), plan.jobs().size(),
                            e.getMessage());
                    listener.onEvent(new ProgressEvent.BatchFinished(true, System.nanoTime() - t0));
                    throw new BatchStoppedException(e.getMessage(), results, e);
                }
                results.add(result);
                listener.onEvent(new ProgressEvent.ImageFinished(job, result));
            }
        } catch (InterruptedException e) {
            LOG.debug("serial batch cancelled after {} of {} images", results.size(), plan.jobs().size());
            listener.onEvent(new ProgressEvent.BatchFinished(true, System.nanoTime() - t0));
            throw e;
        }
        listener.onEvent(new ProgressEvent.BatchFinished(false, System.nanoTime() - t0));
        return results;
    }
}
