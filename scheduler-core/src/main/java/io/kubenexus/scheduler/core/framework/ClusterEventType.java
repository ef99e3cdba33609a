package io.kubenexus.scheduler.core.framework;

/**
 * Cluster changes after which an unschedulable pod is worth another attempt. Each filter names the
 * ones that can turn its rejection into a pass; the queue retries a pod only on those.
 */
public enum ClusterEventType {
    NODE_ADDED,
    NODE_ALLOCATABLE_CHANGED,
    NODE_LABELS_CHANGED,
    NODE_TAINTS_CHANGED,
    /** spec.unschedulable changed (a node was cordoned or uncordoned). */
    NODE_SCHEDULABILITY_CHANGED,
    /**
     * A node was deleted: a topology domain may be gone with it, lowering the least count a spread
     * constraint measures skew against.
     */
    NODE_REMOVED,
    /** An assigned pod was deleted or finished, so its node has capacity and ports free again. */
    ASSIGNED_POD_REMOVED,
    /** An assigned pod started running: the kubelet has admitted it (and allocated its NUMA zones). */
    ASSIGNED_POD_STARTED,
    /**
     * An assigned pod appeared or its labels changed: a pod waiting for inter-pod affinity to a pod
     * like it may now fit.
     */
    ASSIGNED_POD_ADDED,
    /** A namespace's labels changed: inter-pod affinity terms with a namespace selector choose anew. */
    NAMESPACE_LABELS_CHANGED,
    /** A node's NUMA topology (zones, free amounts per zone, interconnect) was published or changed. */
    NODE_TOPOLOGY_CHANGED
}
