package io.kubenexus.scheduler.core.testing;

import io.kubenexus.scheduler.core.ports.BindOutcome;
import io.kubenexus.scheduler.core.ports.SchedulerMetrics;

/** Metrics that record nothing: tests override only the meters they assert on. */
public abstract class QuietMetrics implements SchedulerMetrics {
    @Override
    public void attempt(String result, long durationNanos) {
    }

    @Override
    public void bind(BindOutcome outcome, long durationNanos) {
    }

    @Override
    public void queueSize(String queue, int size) {
    }
}
