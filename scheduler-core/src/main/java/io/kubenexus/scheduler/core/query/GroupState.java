package io.kubenexus.scheduler.core.query;

/** Where a group stands, as {@link GroupSummary} reports it. */
public enum GroupState {
    /** Fewer than min-available members are bound and the group holds nothing. */
    WAITING,
    /** At least min-available members are bound (or binding). */
    PLACED,
    /** The driver is bound and places are held for executors not bound yet. */
    RESERVED
}
