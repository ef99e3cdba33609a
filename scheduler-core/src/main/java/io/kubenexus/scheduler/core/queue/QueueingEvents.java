package io.kubenexus.scheduler.core.queue;

import io.kubenexus.scheduler.core.framework.ClusterEventType;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Why a pod entered a part of the queue, labelled as kube-scheduler labels it in
 * {@code scheduler_queue_incoming_pods_total} (a cluster event's label is its resource followed by
 * its action type, e.g. {@code NodeAdd}, {@code NodeUpdateNodeTaint}, {@code AssignedPodDelete}).
 * Our cluster events map to kube-scheduler's in {@link #forClusterEvent}, the one table of the
 * mapping; an event kube-scheduler has no name for is {@link #OTHER}. The set of labels is closed:
 * {@link #ALL}.
 */
public final class QueueingEvents {
    /** A new pending pod (kube-scheduler's unscheduled-pod add). */
    public static final String POD_ADD = "UnschedulablePodAdd";
    /** A pending pod changed while unschedulable. */
    public static final String POD_UPDATE = "UnschedulablePodUpdate";
    /** An attempt failed: unschedulable, a bind error, a gang waiting. */
    public static final String SCHEDULE_ATTEMPT_FAILURE = "ScheduleAttemptFailure";
    /** A pod's backoff ended and it moved to active. */
    public static final String BACKOFF_COMPLETE = "BackoffComplete";
    /** A pod was made ready at once by something it waited for (its PodGroup or SparkApplication). */
    public static final String FORCE_ACTIVATE = "ForceActivate";
    /** A pod waited {@code podMaxInUnschedulablePods} in the unschedulable pool and was retried. */
    public static final String UNSCHEDULABLE_TIMEOUT = "UnschedulableTimeout";
    /** A cluster event kube-scheduler has no label for (a NUMA topology change, a namespace's labels). */
    public static final String OTHER = "other";

    private static final Map<ClusterEventType, String> CLUSTER_EVENTS = new EnumMap<>(ClusterEventType.class);

    static {
        CLUSTER_EVENTS.put(ClusterEventType.NODE_ADDED, "NodeAdd");
        CLUSTER_EVENTS.put(ClusterEventType.NODE_ALLOCATABLE_CHANGED, "NodeUpdateNodeAllocatable");
        CLUSTER_EVENTS.put(ClusterEventType.NODE_LABELS_CHANGED, "NodeUpdateNodeLabel");
        CLUSTER_EVENTS.put(ClusterEventType.NODE_TAINTS_CHANGED, "NodeUpdateNodeTaint");
        // kube-scheduler reports spec.unschedulable changes as a taint update.
        CLUSTER_EVENTS.put(ClusterEventType.NODE_SCHEDULABILITY_CHANGED, "NodeUpdateNodeTaint");
        CLUSTER_EVENTS.put(ClusterEventType.ASSIGNED_POD_REMOVED, "AssignedPodDelete");
        CLUSTER_EVENTS.put(ClusterEventType.ASSIGNED_POD_STARTED, "AssignedPodUpdate");
        CLUSTER_EVENTS.put(ClusterEventType.ASSIGNED_POD_ADDED, "AssignedPodAdd");
        CLUSTER_EVENTS.put(ClusterEventType.NODE_REMOVED, "NodeDelete");
    }

    /** Every label this scheduler reports, {@link #OTHER} included. */
    public static final List<String> ALL = List.of(POD_ADD, POD_UPDATE, SCHEDULE_ATTEMPT_FAILURE, BACKOFF_COMPLETE,
            FORCE_ACTIVATE, UNSCHEDULABLE_TIMEOUT, "NodeAdd", "NodeDelete", "NodeUpdateNodeAllocatable", "NodeUpdateNodeLabel",
            "NodeUpdateNodeTaint", "AssignedPodAdd", "AssignedPodDelete", "AssignedPodUpdate", OTHER);

    private QueueingEvents() {
    }

    /** kube-scheduler's label for a cluster event that moved unschedulable pods, or {@link #OTHER}. */
    public static String forClusterEvent(ClusterEventType event) {
        return CLUSTER_EVENTS.getOrDefault(event, OTHER);
    }
}
