package org.greylab.core.schedule;

import java.util.ArrayList;
import java.util.List;
import org.greylab.core.job.ImageJob;

/** One image of a distributed run on its way: owned by the dispatcher thread only. */
final class PendingImage {
    final int position;
    final ImageJob job;
    /** The input's bytes once read; kept across a failover so a re-run does not read again; dropped when answered. */
    byte[] input;
    long readNanos;
    /** Bytes this image holds in the client's window (input, then output); 0 before it is read. */
    long heldBytes;
    /** Which attempt this is: engines it was sent to so far. */
    int attempts;
    /** Engines that died while holding it (in flight), in order: it is never sent to them again. */
    final List<Integer> lostOn = new ArrayList<>(1);
    /**
     * Engines that died while converting it (it was among the oldest {@code slots} of their tasks in flight, which an
     * engine's executor runs first): the evidence against a file that crashes engines.
     */
    final List<Integer> crashedOn = new ArrayList<>(1);
    /**
     * Engines that died or stalled while running a group it was in: one of the group's images was the cause, which
     * one is not known. Evidence only together with a death while it ran alone ({@link #crashedOn}).
     */
    final List<Integer> suspectedOn = new ArrayList<>(1);
    /**
     * It was in a task whose engine was lost: from now on it travels alone, so that an image that crashes engines is
     * found and blamed alone, and the others are not held up by it again.
     */
    boolean alone;
    /** Of {@link #lostOn}, the engines that stalled on it rather than died. */
    final List<Integer> stalledOn = new ArrayList<>(1);
    /** The engine whose block it came from before that engine died unsent-to, for the report; -1 if none. */
    int movedFrom = -1;

    PendingImage(int position, ImageJob job) {
        this.position = position;
        this.job = job;
    }

    boolean isRead() {
        return input != null;
    }
}
