package io.kubenexus.scheduler.core.loop;

/**
 * Counters of the loop since start, readable from any thread (for the demo, tests and status).
 *
 * @param scheduled   pods bound successfully
 * @param unschedulableAttempts attempts that found no node
 * @param bindFailures binds that failed and were retried
 * @param pending     pods in the queue (in flight included)
 * @param unschedulable pods waiting in the unschedulable pool
 * @param groupsWaiting gangs with pending members
 * @param reservations  executor places held for drivers, not yet taken by executors
 * @param reservationsExpired reservations released unused after their TTL
 */
public record LoopStats(long attempts, long scheduled, long unschedulableAttempts, long bindFailures,
                        long bindConflicts, int pending, int unschedulable, boolean synced, boolean leader,
                        int groupsWaiting, int reservations, long reservationsExpired) {
}
