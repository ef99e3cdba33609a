package io.kubenexus.scheduler.kube.leader;

import java.time.Duration;
import java.util.Objects;

/**
 * Lease-based leader election. Only the holder of the Lease schedules and binds; standbys keep
 * their caches warm. The durations are validated with their configuration keys where the file is
 * read (scheduler-app's {@code LeaderElectionConfig}) and again by fabric8's LeaderElector.
 */
public record LeaderElectionSettings(boolean enabled, String namespace, String leaseName, String identity,
                                     Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {

    public LeaderElectionSettings {
        if (enabled) {
            Objects.requireNonNull(namespace, "leaderElection.namespace");
            Objects.requireNonNull(leaseName, "leaderElection.leaseName");
            Objects.requireNonNull(identity, "leaderElection.identity");
            Objects.requireNonNull(leaseDuration, "leaderElection.leaseDuration");
            Objects.requireNonNull(renewDeadline, "leaderElection.renewDeadline");
            Objects.requireNonNull(retryPeriod, "leaderElection.retryPeriod");
        }
    }

    /** No election: this replica leads from the start (single replica, demo, tests). */
    public static LeaderElectionSettings disabled() {
        return new LeaderElectionSettings(false, null, null, null, null, null, null);
    }
}
