package io.kubenexus.scheduler.core.framework;

import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;

/** Sees every pod the informer reports, in order, before and after the loop applies it. */
public interface PodEventsPlugin extends LifecyclePlugin {
    /**
     * A pod was added or changed (ours pending, or anyone's assigned). Returns null, or why the pod
     * cannot be scheduled (an unreadable label): an unassigned pod is then reported and not queued.
     */
    String podUpdated(PodInfo pod);

    /** An assigned pod is now charged to its node; {@code before} is what was charged before, or null. */
    default void podAccounted(PodInfo pod, PodInfo before) {
    }

    /** The pod was deleted. */
    void podRemoved(PodKey key);

    /** The pod can no longer be read: it holds nothing and is no member of anything until it can. */
    default void podUnreadable(PodKey key) {
    }
}
