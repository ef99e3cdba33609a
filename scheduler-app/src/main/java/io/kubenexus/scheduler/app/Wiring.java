package io.kubenexus.scheduler.app;

import io.kubenexus.scheduler.app.config.LeaderElectionConfig;
import io.kubenexus.scheduler.app.config.SchedulerConfig;
import io.kubenexus.scheduler.app.demo.EmbeddedClusterDemo;
import io.kubenexus.scheduler.kube.KubeSchedulerOptions;
import io.kubenexus.scheduler.kube.leader.LeaderElectionSettings;
import java.time.Clock;
import java.util.concurrent.CompletionStage;

/** The real implementations behind the CLI's seams, built by plain constructors (no DI framework). */
public final class Wiring {
    private static final System.Logger LOG = System.getLogger(Wiring.class.getName());
    private Wiring() {
    }

    /** Builds the scheduler service of {@code kubenexus-scheduler run}. */
    public static ServiceFactory serviceFactory() {
        return (config, client) -> {
            SchedulerReplica replica = SchedulerReplica.create(client, options(config), Clock.systemUTC(), config.metrics());
            return new SchedulerService() {
                @Override
                public void start() {
                    // Served before the caches sync, so the probes can say "not ready yet" and metrics show the start.
                    if (config.http().enabled()) {
                        String url = replica.serve(HttpSurface.settings(config.http()), config.extender().bindHoldLimit(),
                                config.http().clusterPage());
                        LOG.log(System.Logger.Level.INFO, "serving metrics, probes, debug pages and the extender on {0}", url);
                        if (config.http().clusterPage()) {
                            LOG.log(System.Logger.Level.INFO, "cluster page on {0}/", url);
                        }
                    }
                    replica.scheduler().start();
                }

                @Override
                public CompletionStage<String> exitRequested() {
                    return replica.scheduler().exitRequested();
                }

                @Override
                public void close() {
                    replica.close();
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
                config.events().aggregationInterval(), election.identity(), config.numa(), config.preemption());
    }
}
