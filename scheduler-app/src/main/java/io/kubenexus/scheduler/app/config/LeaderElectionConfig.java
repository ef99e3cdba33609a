package io.kubenexus.scheduler.app.config;

import io.kubenexus.scheduler.kube.leader.LostLeasePolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * Lease-based leader election between replicas: only the holder of the Lease schedules and binds,
 * standbys keep their caches warm. Validated when built, with the configuration keys in messages.
 *
 * @param enabled       false runs a single active replica without a Lease
 * @param namespace     namespace of the Lease (a DNS-1123 label)
 * @param leaseName     name of the Lease object (a DNS-1123 subdomain)
 * @param identity      this replica's holder identity in the Lease; unique per replica
 * @param leaseDuration how long standbys wait after the last renewal before taking over
 * @param renewDeadline how long the leader keeps retrying to renew before it gives up leadership
 * @param retryPeriod   interval between attempts to acquire or renew
 * @param onLostLease   what a leader does when it loses the Lease: stand by and compete again, or exit
 */
public record LeaderElectionConfig(
        boolean enabled,
        String namespace,
        String leaseName,
        String identity,
        Duration leaseDuration,
        Duration renewDeadline,
        Duration retryPeriod,
        LostLeasePolicy onLostLease) {

    public static final String DEFAULT_NAMESPACE = "kube-system";
    public static final String DEFAULT_LEASE_NAME = "kubenexus-scheduler";
    public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(15);
    public static final Duration DEFAULT_RENEW_DEADLINE = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RETRY_PERIOD = Duration.ofSeconds(2);
    /**
     * fabric8's LeaderElector (like client-go) adds up to this factor of jitter to the retry period
     * and refuses a renewDeadline not longer than {@code retryPeriod + ceil(1.2 * retryPeriod)}.
     */
    static final double RETRY_JITTER_FACTOR = 1.2;

    private static final String DNS_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final String DNS_SUBDOMAIN = DNS_LABEL + "(\\." + DNS_LABEL + ")*";

    public static final LostLeasePolicy DEFAULT_ON_LOST_LEASE = LostLeasePolicy.STANDBY;

    public LeaderElectionConfig {
        onLostLease = onLostLease == null ? DEFAULT_ON_LOST_LEASE : onLostLease;
        if (namespace == null || namespace.length() > 63 || !namespace.matches(DNS_LABEL)) {
            throw new IllegalArgumentException("leaderElection.namespace: not a valid namespace name '" + namespace
                    + "' (lower-case letters, digits and '-', at most 63)");
        }
        if (leaseName == null || leaseName.length() > 253 || !leaseName.matches(DNS_SUBDOMAIN)) {
            throw new IllegalArgumentException("leaderElection.leaseName: not a valid object name '" + leaseName
                    + "' (lower-case letters, digits, '-' and '.', at most 253)");
        }
        if (identity == null || identity.isBlank()) {
            throw new IllegalArgumentException("leaderElection.identity: must not be empty");
        }
        requirePositive("leaderElection.leaseDuration", leaseDuration);
        requirePositive("leaderElection.renewDeadline", renewDeadline);
        requirePositive("leaderElection.retryPeriod", retryPeriod);
        if (leaseDuration.compareTo(renewDeadline) <= 0) {
            throw new IllegalArgumentException("leaderElection.leaseDuration: must be longer than leaderElection.renewDeadline ("
                    + GoDuration.format(renewDeadline) + "), was " + GoDuration.format(leaseDuration));
        }
        Duration minimumRenewDeadline = minimumRenewDeadline(retryPeriod);
        if (renewDeadline.compareTo(minimumRenewDeadline) <= 0) {
            throw new IllegalArgumentException("leaderElection.renewDeadline: must be longer than 2.2 x leaderElection.retryPeriod ("
                    + GoDuration.format(minimumRenewDeadline) + " for retryPeriod " + GoDuration.format(retryPeriod)
                    + ", to leave room for retry jitter), was " + GoDuration.format(renewDeadline));
        }
    }

    /** With the default {@code onLostLease} (standby). */
    public LeaderElectionConfig(boolean enabled, String namespace, String leaseName, String identity,
                                Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
        this(enabled, namespace, leaseName, identity, leaseDuration, renewDeadline, retryPeriod, DEFAULT_ON_LOST_LEASE);
    }

    /** Defaults in {@code namespace} with {@code identity}: 15s lease, 10s renew deadline, 2s retry (kube-scheduler's). */
    public static LeaderElectionConfig defaults(String namespace, String identity) {
        return new LeaderElectionConfig(true, namespace, DEFAULT_LEASE_NAME, identity, DEFAULT_LEASE_DURATION,
                DEFAULT_RENEW_DEADLINE, DEFAULT_RETRY_PERIOD, DEFAULT_ON_LOST_LEASE);
    }

    /** The shortest renewDeadline is exclusive: this value itself is refused, as fabric8 refuses it. */
    static Duration minimumRenewDeadline(Duration retryPeriod) {
        long retryMillis = retryPeriod.toMillis();
        return retryPeriod.plusMillis((long) Math.ceil(retryMillis * RETRY_JITTER_FACTOR));
    }

    /** fabric8 works in whole milliseconds and refuses anything below one. */
    private static void requirePositive(String key, Duration value) {
        Objects.requireNonNull(value, key);
        if (value.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException(key + ": must be at least 1ms, was " + GoDuration.format(value));
        }
    }
}
