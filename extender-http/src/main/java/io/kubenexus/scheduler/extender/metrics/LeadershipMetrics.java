package io.kubenexus.scheduler.extender.metrics;

import io.kubenexus.scheduler.kube.leader.Leadership;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Info;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Which replica leads, for dashboards and the "no leader" alert:
 * <ul>
 *   <li>{@code leader_election_master_status{name}}: client-go's leader-election gauge, as
 *       kube-scheduler and controller managers serve it: 1 while this replica holds the Lease
 *       {@code name}, 0 while it stands by or has stopped;</li>
 *   <li>{@code kubenexus_replica_info{identity}}: always 1, carrying this replica's Lease holder
 *       identity, so that {@code leader_election_master_status * on (instance) group_left (identity)
 *       kubenexus_replica_info} names the leader.</li>
 * </ul>
 * One series each per process: {@code name} and {@code identity} are fixed at start-up.
 *
 * <p>The state is read at scrape time from the supplier (a replica's {@code KubeScheduler.leadership()}),
 * so the gauge follows every acquisition and loss without being told. The gauge holds this object
 * strongly (Micrometer's default is weak, and a dropped binder would read NaN), so it may be dropped
 * after {@link #bindTo}. Thread-safe.
 */
public final class LeadershipMetrics implements MeterBinder {
    public static final String MASTER_STATUS = "leader_election_master_status";
    public static final String REPLICA_INFO = "kubenexus_replica_info";
    private static final String REPLICA_HELP = "This replica's leader-election identity (always 1)";

    private final Supplier<Leadership> leadership;
    private final String leaseName;
    private final String identity;

    /**
     * @param leadership where this replica stands now
     * @param leaseName  the Lease competed for; with leader election off, the scheduler's name (such
     *                   a replica always leads)
     * @param identity   this replica's holder identity in that Lease
     */
    public LeadershipMetrics(Supplier<Leadership> leadership, String leaseName, String identity) {
        this.leadership = Objects.requireNonNull(leadership, "leadership");
        this.leaseName = Objects.requireNonNull(leaseName, "leaseName");
        this.identity = Objects.requireNonNull(identity, "identity");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder(MASTER_STATUS, this, LeadershipMetrics::masterStatus)
                .description("Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, "
                        + "1 indicates master. 'name' is the string used to identify the lease.")
                .tag("name", leaseName).strongReference(true).register(registry);
        if (registry instanceof PrometheusMeterRegistry prometheus) {
            // Micrometer strips a gauge's "_info" suffix; the client's Info keeps the name and reads 1.
            Info.builder().name(REPLICA_INFO).help(REPLICA_HELP).labelNames("identity")
                    .register(prometheus.getPrometheusRegistry()).setLabelValues(identity);
        } else {
            Gauge.builder(REPLICA_INFO, () -> 1).description(REPLICA_HELP).tag("identity", identity).register(registry);
        }
    }

    private double masterStatus() {
        return leadership.get().state() == Leadership.State.LEADING ? 1 : 0;
    }
}
