package io.kubenexus.scheduler.app.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How Kubernetes Events are emitted.
 *
 * @param aggregationInterval a repeated event (same object, reason and message) is written at most
 *                            once per interval, with a count, so a pod that stays unschedulable
 *                            does not flood the API server with FailedScheduling events
 */
public record EventsConfig(Duration aggregationInterval) {
    public static final Duration DEFAULT_AGGREGATION_INTERVAL = Duration.ofSeconds(30);

    public EventsConfig {
        Objects.requireNonNull(aggregationInterval, "events.aggregationInterval");
        if (aggregationInterval.isNegative() || aggregationInterval.isZero()) {
            throw new IllegalArgumentException("events.aggregationInterval: must be a positive duration, was "
                    + GoDuration.format(aggregationInterval));
        }
    }

    public static EventsConfig defaults() {
        return new EventsConfig(DEFAULT_AGGREGATION_INTERVAL);
    }
}
