package io.kubenexus.scheduler.gang.group;

import java.time.Duration;

/**
 * Gang scheduling behaviour.
 *
 * @param reservationTtl how long executor places reserved with a driver are held for executors
 *                       that have not arrived; then they are released (default 5 minutes)
 * @param objectWait     how long a member waits for the PodGroup object it names, and a driver
 *                       spark-operator created for its SparkApplication, before it is placed without
 *                       them (they come through other watches and may be seen late; default 30 s)
 * @param starvation     when a waiting gang gets room held for it (default off)
 */
public record GangSettings(Duration reservationTtl, Duration objectWait, StarvationSettings starvation) {
    public static final Duration DEFAULT_OBJECT_WAIT = Duration.ofSeconds(30);

    public GangSettings {
        if (reservationTtl == null || reservationTtl.isNegative() || reservationTtl.isZero()) {
            throw new IllegalArgumentException("gang.reservationTtl: must be a positive duration, was " + reservationTtl);
        }
        if (objectWait == null || objectWait.isNegative()) {
            throw new IllegalArgumentException("gang objectWait: must not be negative, was " + objectWait);
        }
        if (starvation == null) {
            starvation = StarvationSettings.off();
        }
    }

    public GangSettings(Duration reservationTtl, Duration objectWait) {
        this(reservationTtl, objectWait, StarvationSettings.off());
    }

    public GangSettings(Duration reservationTtl) {
        this(reservationTtl, DEFAULT_OBJECT_WAIT);
    }

    public GangSettings withStarvation(StarvationSettings value) {
        return new GangSettings(reservationTtl, objectWait, value);
    }

    public static GangSettings defaults() {
        return new GangSettings(Duration.ofMinutes(5));
    }
}
