package io.kubenexus.scheduler.kube.leader;

import java.time.Duration;
import java.util.Objects;

/**
 * Lease-based leader election. Only the holder of the Lease schedules and binds; standbys keep
 * their caches warm. The durations are validated with their configuration keys where the file is
 * read (scheduler-app's {@code LeaderElectionConfig}) and again by fabric8's LeaderElector.
 *
 * @param onLostLease what the replica does when it loses the Lease it held
 */
public record LeaderElectionSettings(boolean enabled, String namespace, String leaseName, String identity,
                                     Duration leaseDuration, Duration renewDeadline, Duration retryPeriod,
                                     LostLeasePolicy onLostLease) {

    public LeaderElectionSettings {
        if (enabled) {
            Objects.requireNonNull(namespace, "leaderElection.namespace");
            Objects.requireNonNull(leaseName, "leaderElection.leaseName");
            Objects.requireNonNull(identity, "leaderElection.identity");
            Objects.requireNonNull(leaseDuration, "leaderElection.leaseDuration");
            Objects.requireNonNull(renewDeadline, "leaderElection.renewDeadline");
            Objects.requireNonNull(retryPeriod, "leaderElection.retryPeriod");
        }
        onLostLease = onLostLease == null ? LostLeasePolicy.STANDBY : onLostLease;
    }

    /** A replica that stands by and competes again when it loses the Lease (the default). */
    public LeaderElectionSettings(boolean enabled, String namespace, String leaseName, String identity,
                                  Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
        this(enabled, namespace, leaseName, identity, leaseDuration, renewDeadline, retryPeriod, LostLeasePolicy.STANDBY);
    }

    /** No election: this replica leads from the start (single replica, demo, tests). */
    public static LeaderElectionSettings disabled() {
        return new LeaderElectionSettings(false, null, null, null, null, null, null, LostLeasePolicy.STANDBY);
    }

    public LeaderElectionSettings withOnLostLease(LostLeasePolicy policy) {
        return new LeaderElectionSettings(enabled, namespace, leaseName, identity, leaseDuration, renewDeadline,
                retryPeriod, policy);
    }

    /** {@code namespace/leaseName}, for logs. */
    public String lease() {
        return namespace + "/" + leaseName;
    }
}
