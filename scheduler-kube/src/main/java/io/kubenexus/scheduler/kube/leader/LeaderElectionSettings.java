package io.kubenexus.scheduler.kube.leader;

import java.time.Duration;
import java.util.Objects;

/**
 * Lease-based leader election. Only the holder of the Lease schedules and binds; standbys keep
 * their caches warm. Validated as kube-scheduler validates it: leaseDuration > renewDeadline >
 * retryPeriod > 0.
 */
public record LeaderElectionSettings(boolean enabled, String namespace, String leaseName, String identity,
                                     Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {

    public LeaderElectionSettings {
        if (enabled) {
            Objects.requireNonNull(namespace, "leaderElection.namespace");
            Objects.requireNonNull(leaseName, "leaderElection.leaseName");
            Objects.requireNonNull(identity, "leaderElection.identity");
            if (retryPeriod == null || retryPeriod.isZero() || retryPeriod.isNegative()) {
                throw new IllegalArgumentException("leaderElection.retryPeriod: must be positive, was " + retryPeriod);
            }
            if (renewDeadline == null || renewDeadline.compareTo(retryPeriod) <= 0) {
                throw new IllegalArgumentException("leaderElection.renewDeadline: must be greater than retryPeriod ("
                        + retryPeriod + "), was " + renewDeadline);
            }
            if (leaseDuration == null || leaseDuration.compareTo(renewDeadline) <= 0) {
                throw new IllegalArgumentException("leaderElection.leaseDuration: must be greater than renewDeadline ("
                        + renewDeadline + "), was " + leaseDuration);
            }
        }
    }

    /** No election: this replica leads from the start (single replica, demo, tests). */
    public static LeaderElectionSettings disabled() {
        return new LeaderElectionSettings(false, null, null, null, null, null, null);
    }

    public static LeaderElectionSettings of(String namespace, String leaseName, String identity) {
        return new LeaderElectionSettings(true, namespace, leaseName, identity, Duration.ofSeconds(15),
                Duration.ofSeconds(10), Duration.ofSeconds(2));
    }
}
