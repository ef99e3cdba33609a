package io.kubenexus.scheduler.kube.leader;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds (or waits for) the scheduler's coordination.k8s.io Lease with fabric8's LeaderElector and
 * tells a listener when this replica starts or stops leading. The Lease is released on close, so
 * a rolling update hands over without waiting for the lease to expire.
 */
public final class LeaseLeadership implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseLeadership.class);

    private final KubernetesClient client;
    private final LeaderElectionSettings settings;
    private final Consumer<Boolean> onLeadershipChange;
    private CompletableFuture<?> election;

    public LeaseLeadership(KubernetesClient client, LeaderElectionSettings settings, Consumer<Boolean> onLeadershipChange) {
        this.client = client;
        this.settings = settings;
        this.onLeadershipChange = onLeadershipChange;
    }

    /** Starts competing for the Lease, or leads at once when election is disabled. */
    public synchronized void start() {
        if (!settings.enabled()) {
            onLeadershipChange.accept(true);
            return;
        }
        LeaderElector elector = client.leaderElector()
                .withConfig(new LeaderElectionConfigBuilder()
                        .withName(settings.leaseName())
                        .withLock(new LeaseLock(settings.namespace(), settings.leaseName(), settings.identity()))
                        .withLeaseDuration(settings.leaseDuration())
                        .withRenewDeadline(settings.renewDeadline())
                        .withRetryPeriod(settings.retryPeriod())
                        .withReleaseOnCancel(true)
                        .withLeaderCallbacks(new LeaderCallbacks(
                                () -> {
                                    LOG.info("{} acquired lease {}/{}", settings.identity(), settings.namespace(),
                                            settings.leaseName());
                                    onLeadershipChange.accept(true);
                                },
                                () -> {
                                    LOG.warn("{} lost lease {}/{}", settings.identity(), settings.namespace(),
                                            settings.leaseName());
                                    onLeadershipChange.accept(false);
                                },
                                leader -> LOG.info("lease {}/{} is held by {}", settings.namespace(),
                                        settings.leaseName(), leader)))
                        .build())
                .build();
        election = elector.start();
    }

    /**
     * Stops competing. If this replica leads, fabric8 releases the Lease as part of the cancel
     * (releaseOnCancel: the lease is cut to one second), so a standby takes over at once instead
     * of waiting out the full lease duration.
     */
    @Override
    public synchronized void close() {
        if (election != null) {
            election.cancel(true);
            election = null;
        }
    }
}
