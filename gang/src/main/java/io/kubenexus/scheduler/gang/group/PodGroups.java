package io.kubenexus.scheduler.gang.group;

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

    /**
     * For an executor, its sequence number among the executors its driver created (Spark's
     * {@code spark-exec-id}: 1, 2, ...), or 0 when unknown. After a restart the highest number seen
     * says how many executors were created, even those that ran and are gone, so room is not
     * reserved again for them.
     */
    default int executorOrdinal(PodInfo pod) {
        return 0;
    }

    /**
     * Whether a driver was created from an application object that sizes its executors (spark-operator's
     * pods name their SparkApplication), so that a driver seen before that object (its watch was cut
     * and is relisting) is worth a short wait rather than being placed without room for its executors.
     */
    default boolean sizedByApplication(PodInfo pod) {
        return false;
    }
}
