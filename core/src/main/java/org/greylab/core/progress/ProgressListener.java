package org.greylab.core.progress;

/** Receives a batch's events, on whatever thread produced them. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = event -> { };

    void onEvent(ProgressEvent event);
}
