package io.kubenexus.scheduler.core.query;

/** Where a pod stands in the scheduling loop, as {@link PodExplanation} reports it. */
public enum PodState {
    /** Ours, waiting in the active queue for its next attempt. */
    PENDING_ACTIVE,
    /** Ours, waiting out a backoff after a failed attempt. */
    BACKOFF,
    /** Ours, waiting for a cluster event that may make it fit. */
    UNSCHEDULABLE,
    /** A bind is under way (ours, or an extender bind held or sent). */
    IN_FLIGHT,
    /** Bound and charged to its node. */
    BOUND,
    /** Known to the loop (e.g. an extender bind is held for it) but not scheduled by this scheduler. */
    NOT_OURS
}
