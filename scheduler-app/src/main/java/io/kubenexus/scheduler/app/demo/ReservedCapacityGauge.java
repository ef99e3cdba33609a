package io.kubenexus.scheduler.app.demo;

import io.kubenexus.scheduler.core.ports.BindOutcome;
import io.kubenexus.scheduler.core.ports.SchedulerMetrics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The scheduler's reserved-capacity gauge, kept for the demo's cache check: executor places the
 * scheduler holds are in its view of the nodes but are no pods in the API. Only cluster-wide
 * totals are published, not where they are; the demo reconciles them over the nodes that differ.
 *
 * <p>Written by the scheduling loop, read by the demo's thread.
 */
final class ReservedCapacityGauge implements SchedulerMetrics {
    private final Map<String, Long> reserved = new ConcurrentHashMap<>();

    @Override
    public void attempt(String result, long durationNanos) {
    }

    @Override
    public void bind(BindOutcome outcome, long durationNanos) {
    }

    @Override
    public void queueSize(String queue, int size) {
    }

    @Override
    public void reservedCapacity(String resource, long amount) {
        reserved.put(resource, amount);
    }

    /** Reserved amount of {@code resource} in the scheduler's units (millicores, bytes, devices). */
    long reserved(String resource) {
        return reserved.getOrDefault(resource, 0L);
    }
}
