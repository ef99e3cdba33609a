package io.kubenexus.scheduler.core.config;

import java.time.Duration;

/**
 * Gang scheduling behaviour.
 *
 * @param reservationTtl how long executor places reserved with a driver are held for executors
 *                       that have not arrived; then they are released (default 5 minutes)
 */
public record GangSettings(Duration reservationTtl) {
    public GangSettings {
        if (reservationTtl == null || reservationTtl.isNegative() || reservationTtl.isZero()) {
            throw new IllegalArgumentException("gang.reservationTtl: must be a positive duration, was " + reservationTtl);
        }
    }

    public static GangSettings defaults() {
        return new GangSettings(Duration.ofMinutes(5));
    }
}
