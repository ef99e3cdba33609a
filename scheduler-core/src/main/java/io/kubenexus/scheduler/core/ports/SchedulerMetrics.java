package io.kubenexus.scheduler.core.ports;

/**
 * What the loop reports for dashboards. Labels stay bounded: results, queue names and event labels
 * from closed sets, never pod, group or node names. The Prometheus adapter lives outside the core;
 * {@link #NONE} is the default.
 *
 * <p>Thread contract: every method is called from the scheduling loop thread only (the queue, which
 * reports {@link #podsQueued}, is the loop's), one call per event, never concurrently. An adapter that
 * is scraped from other threads must publish what it records safely itself.
 */
public interface SchedulerMetrics {
    /** One scheduling attempt finished with {@code result} ("scheduled", "unschedulable", "error"). */
    void attempt(String result, long durationNanos);

    /** A bind call finished with {@code outcome}. */
    void bind(BindOutcome outcome, long durationNanos);

    /** Pods currently waiting, per queue ("active", "backoff", "unschedulable"). */
    void queueSize(String queue, int size);

    /** Gangs waiting to be placed now (gauge). */
    default void groupsWaiting(int count) {
    }

    /** A gang finished waiting: "placed", "abandoned" (deleted) or "timeout" (its schedule timeout passed); {@code nanos} since it first waited. */
    default void groupWaited(String result, long nanos) {
    }

    /** Capacity held by executor reservations, per resource in the scheduler's units (gauge). */
    default void reservedCapacity(String resource, long amount) {
    }

    /** {@code count} executor reservations expired unused. */
    default void reservationsExpired(int count) {
    }

    /**
     * An executor whose group held places for it was bound: in one of them ({@code "reserved"}), or
     * elsewhere because none would take it ({@code "elsewhere"}: its places were held in the wrong
     * shape, e.g. without its NUMA policy or node selector).
     */
    default void executorPlaced(String place) {
    }

    /**
     * {@code count} pods entered {@code queue} ("active", "backoff" or "unschedulable") because of
     * {@code event}, one of the labels of {@link io.kubenexus.scheduler.core.queue.QueueingEvents}
     * (kube-scheduler's {@code scheduler_queue_incoming_pods_total} event labels). Called by the
     * queue every time it admits a pod into one of its three parts; popping and claiming are not
     * admissions.
     */
    default void podsQueued(String event, String queue, int count) {
    }

    /**
     * A pod's bind succeeded, once per pod: {@code attempts} scheduling attempts in all (the
     * successful one included) and {@code sinceFirstQueuedNanos} from when it first entered the queue
     * (kube-scheduler's {@code scheduler_pod_scheduling_sli_duration_seconds}). Reported when the
     * first of the bind's answer and the informer's view of the pod bound reaches the loop.
     */
    default void podScheduled(int attempts, long sinceFirstQueuedNanos) {
    }

    /**
     * One preemption attempt for a pod or a group ended with {@code result}: "nominated" (victims are
     * evicted and the room is nominated), "waiting" (earlier victims are still terminating),
     * "no_victims" (no set of victims makes room) or "not_eligible" (preemptionPolicy Never, or
     * preemption disabled).
     */
    default void preemptionAttempt(String result) {
    }

    /**
     * {@code count} victims were evicted by one preemption, of {@code kind} "pod" (a pod on its own)
     * or "gang" (a whole gang, counted once however many pods it has).
     */
    default void preemptionVictims(String kind, int count) {
    }

    /** Pods whose nominated room is held for them now (gauge). */
    default void nominatedPods(int count) {
    }

    SchedulerMetrics NONE = new SchedulerMetrics() {
        @Override
        public void attempt(String result, long durationNanos) {
        }

        @Override
        public void bind(BindOutcome outcome, long durationNanos) {
        }

        @Override
        public void queueSize(String queue, int size) {
        }
    };

    // ---------------------------------------------------------------- starvation protection (gangs)

    /**
     * Capacity held cluster-wide for gangs that waited past their starvation time, per resource in
     * the scheduler's units (gauge; every resource column is reported).
     */
    default void starvationHeldRoom(String resource, long amount) {
    }

    /** A pod was placed in room held for a starving gang, its declared run time ending before the gang could start. */
    default void backfilled() {
    }
}
