package io.kubenexus.scheduler.app.config;

import java.time.Duration;

/**
 * Serving as kube-scheduler's HTTP extender.
 *
 * @param bindHoldLimit how long the bind verb holds a gang member's bind while its group is
 *                      incomplete, before answering an error so that kube-scheduler retries the pod;
 *                      keep it below the {@code httpTimeout} of the extender's entry in the
 *                      KubeSchedulerConfiguration, or kube-scheduler gives up first
 */
public record ExtenderConfig(Duration bindHoldLimit) {
    public static final Duration DEFAULT_BIND_HOLD_LIMIT = Duration.ofSeconds(20);

    public ExtenderConfig {
        if (bindHoldLimit == null || bindHoldLimit.isNegative() || bindHoldLimit.isZero()) {
            throw new IllegalArgumentException("extender.bindHoldLimit: must be positive, was " + bindHoldLimit);
        }
    }

    public static ExtenderConfig defaults() {
        return new ExtenderConfig(DEFAULT_BIND_HOLD_LIMIT);
    }
}
