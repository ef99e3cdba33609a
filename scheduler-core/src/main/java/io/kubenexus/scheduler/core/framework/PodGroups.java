package io.kubenexus.scheduler.core.framework;

import io.kubenexus.scheduler.core.model.PodInfo;

/**
 * Says which pods must be scheduled together (pod groups, gangs). A pure function of the pod;
 * called only from the scheduling loop.
 */
@FunctionalInterface
public interface PodGroups {
    /** Every pod is scheduled on its own. */
    PodGroups NONE = pod -> null;

    /** The pod's group, or null when the pod is scheduled on its own. */
    GroupMembership membership(PodInfo pod);
}
