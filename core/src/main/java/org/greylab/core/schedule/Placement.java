package org.greylab.core.schedule;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Where and in what order a distributed run's images go: the part that differs between direct and balanced.
 * Called on the dispatcher thread only.
 */
interface Placement {

    /** An image and the engine it goes to next. */
    record Assignment(PendingImage image, LiveEngine engine) {
    }

    /** The batch starts with these images (in plan order) and these engines. */
    void start(List<PendingImage> images, Collection<LiveEngine> live);

    /**
     * The next image to send and its engine, taken out of the placement; null when nothing may go now.
     *
     * @param mayRead whether an image not read yet may be read now (the client's window has room)
     */
    Assignment next(Collection<LiveEngine> live, Predicate<PendingImage> mayRead);

    /**
     * The image that would go to {@code engine} after the ones just assigned to it, taken out of the placement when
     * {@code mayJoin} accepts it, so that it travels in the same task; null when there is none or it may not join.
     * Only images not sent yet join a task: an image re-queued after a failover travels alone.
     */
    PendingImage nextFor(LiveEngine engine, Predicate<PendingImage> mayJoin);

    void engineJoined(LiveEngine engine, Collection<LiveEngine> live);

    /**
     * An engine died. {@code rerun} are the images it held in flight (already read), to go elsewhere.
     *
     * @return the images it had not been sent yet that moved to other engines (direct mode), for the report
     */
    List<PendingImage> engineGone(int engineId, List<PendingImage> rerun, Collection<LiveEngine> live);

    /** Takes every image not sent yet out of the placement (no engine is left to take them). */
    List<PendingImage> drain();

    /**
     * The images each engine holds now, by engine id, when the placement fixes them up front (direct mode's blocks);
     * empty when an engine's share is only known as it goes (balanced).
     */
    default Map<Integer, Integer> plannedShares() {
        return Map.of();
    }
}
