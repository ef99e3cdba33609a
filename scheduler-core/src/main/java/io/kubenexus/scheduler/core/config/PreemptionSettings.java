package io.kubenexus.scheduler.core.config;

import java.time.Duration;

/**
 * Preemption's configuration, validated when built (errors name the key).
 *
 * @param enabled            whether pods that fit nowhere may evict lower-priority pods
 *                           ({@code preemption.enabled})
 * @param nominationTimeout  how long room made by preemption is held for its preemptor before it is
 *                           released, should the pod never come back to take it
 *                           ({@code preemption.nominationTimeout})
 */
public record PreemptionSettings(boolean enabled, Duration nominationTimeout) {
    public static final Duration DEFAULT_NOMINATION_TIMEOUT = Duration.ofMinutes(2);

    public PreemptionSettings {
        if (nominationTimeout == null || nominationTimeout.isNegative() || nominationTimeout.isZero()) {
            throw new IllegalArgumentException("preemption.nominationTimeout: must be a positive duration, was "
                    + nominationTimeout);
        }
    }

    public static PreemptionSettings defaults() {
        return new PreemptionSettings(true, DEFAULT_NOMINATION_TIMEOUT);
    }

    public static PreemptionSettings disabled() {
        return new PreemptionSettings(false, DEFAULT_NOMINATION_TIMEOUT);
    }
}
