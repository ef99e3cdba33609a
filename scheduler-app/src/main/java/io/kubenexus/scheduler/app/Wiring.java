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
import java.util.concurrent.CompletionStage;

/** The real implementations behind the CLI's seams, built by plain constructors (no DI framework). */
public final class Wiring {
    private Wiring() {
    }

    /** Builds the scheduler service of {@code kubenexus-scheduler run}. */
    public static ServiceFactory serviceFactory() {
        return (config, client) -> {
            // Meters are recorded from the start; the /metrics endpoint that serves this registry
            // comes with the HTTP server (extender-http).
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            KubeScheduler scheduler = new KubeScheduler(client, options(config), Clock.systemUTC(),
                    new MicrometerSchedulerMetrics(registry));
            new ClusterCapacityMetrics(scheduler::view).bindTo(registry);
            return new SchedulerService() {
                @Override
                public void start() {
                    scheduler.start();
                }

                @Override
                public CompletionStage<String> exitRequested() {
                    return scheduler.exitRequested();
                }

                @Override
                public void close() {
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
