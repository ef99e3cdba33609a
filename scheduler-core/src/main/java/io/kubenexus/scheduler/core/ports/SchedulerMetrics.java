package io.kubenexus.scheduler.core.ports;

/**
 * What the loop reports for dashboards. Labels stay bounded: results and queue names, never pod,
 * group or node names. The Prometheus adapter lives outside the core; {@link #NONE} is the default.
 * Called from the scheduling loop only.
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
}
