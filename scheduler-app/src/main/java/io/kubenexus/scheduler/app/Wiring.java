package io.kubenexus.scheduler.app;

import io.kubenexus.scheduler.app.config.LeaderElectionConfig;
import io.kubenexus.scheduler.app.config.SchedulerConfig;
import io.kubenexus.scheduler.app.demo.EmbeddedClusterDemo;
import io.kubenexus.scheduler.extender.metrics.ClusterCapacityMetrics;
import io.kubenexus.scheduler.extender.metrics.MicrometerSchedulerMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.kubenexus.scheduler.kube.KubeScheduler;
import io.kubenexus.scheduler.kube.KubeSchedulerOptions;
import io.kubenexus.scheduler.kube.leader.LeaderElectionSettings;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** The real implementations behind the CLI's seams, built by plain constructors (no DI framework). */
public final class Wiring {
    private static final System.Logger LOG = System.getLogger(Wiring.class.getName());
    private Wiring() {
    }

    /** Builds the scheduler service of {@code kubenexus-scheduler run}. */
    public static ServiceFactory serviceFactory() {
        return (config, client) -> {
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            KubeScheduler scheduler = new KubeScheduler(client, options(config), Clock.systemUTC(),
                    new MicrometerSchedulerMetrics(registry));
            new ClusterCapacityMetrics(scheduler::view).bindTo(registry);
            return new SchedulerService() {
                private HttpSurface http;

                @Override
                public void start() {
                    // Served before the caches sync, so the probes can say "not ready yet" and metrics show the start.
                    if (config.http().enabled()) {
                        http = HttpSurface.start(HttpSurface.settings(config.http()), scheduler, registry, List.of());
                        LOG.log(System.Logger.Level.INFO, "serving metrics, probes and the extender on {0}", http.baseUrl());
                    }
                    scheduler.start();
                }

                @Override
                public CompletionStage<String> exitRequested() {
                    return scheduler.exitRequested();
                }

                @Override
                public void close() {
                    // The probes fail from here, then the scheduler gives up its Lease.
                    if (http != null) {
                        http.close();
                    }
                    scheduler.close();
                }
            };
        };
    }

    /** Runs {@code kubenexus-scheduler demo} on an embedded API server. */
    public static DemoRunner demoRunner() {
        return new EmbeddedClusterDemo(Clock.systemUTC());
    }

    /** The validated file configuration as the Kubernetes adapter takes it. */
    static KubeSchedulerOptions options(SchedulerConfig config) {
        LeaderElectionConfig election = config.leaderElection();
        LeaderElectionSettings leaderElection = election.enabled()
                ? new LeaderElectionSettings(true, election.namespace(), election.leaseName(), election.identity(),
                        election.leaseDuration(), election.renewDeadline(), election.retryPeriod(),
                        election.onLostLease())
                : LeaderElectionSettings.disabled();
        return new KubeSchedulerOptions(config.settings(), config.gang(), leaderElection, config.binding().parallelism(),
                config.events().aggregationInterval(), election.identity(), config.numa());
    }
}
