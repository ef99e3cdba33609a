package io.kubenexus.scheduler.gang.group;

/** A member's part in its group. */
public enum GroupRole {
    /** Created together with its siblings (training workers, MPI ranks). */
    MEMBER,
    /**
     * Creates its siblings only after it runs (a Spark driver): placed together with reserved room
     * for the executors it will create.
     */
    DRIVER,
    /** Created by the driver; takes a place reserved for it when one fits. */
    EXECUTOR
}
