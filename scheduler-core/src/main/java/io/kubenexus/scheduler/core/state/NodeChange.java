package io.kubenexus.scheduler.core.state;

/** What an update of a node changed; the loop turns these into queueing hints. */
public enum NodeChange {
    ADDED, ALLOCATABLE, LABELS, TAINTS, SCHEDULABILITY, OTHER
}
