package io.kubenexus.scheduler.app;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubenexus.scheduler.app.config.SchedulerConfig;

/** Builds the scheduler from its parts; the CLI's seam, so tests can run it with a fake service. */
@FunctionalInterface
public interface ServiceFactory {

    /**
     * Wires a service without starting it; nothing should touch the API server until
     * {@link SchedulerService#start}.
     *
     * @param config validated configuration ({@code --scheduler-name} already applied)
     * @param client a client for the cluster, owned and closed by the caller
     */
    SchedulerService create(SchedulerConfig config, KubernetesClient client);
}
