package org.greylab.core.schedule;

/** Receives a batch's events, on whatever thread produced them. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = event -> { };

    void onEvent(ProgressEvent event);
}
