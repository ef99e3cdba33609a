package io.kubenexus.scheduler.app;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubenexus.scheduler.app.config.MetricsConfig;
import io.kubenexus.scheduler.extender.metrics.ClusterCapacityMetrics;
import io.kubenexus.scheduler.extender.metrics.LeadershipMetrics;
import io.kubenexus.scheduler.extender.metrics.MicrometerSchedulerMetrics;
import io.kubenexus.scheduler.extender.metrics.ProcessMetrics;
import io.kubenexus.scheduler.extender.metrics.SchedulingRates;
import io.kubenexus.scheduler.extender.loop.ClusterPageRoutes;
import io.kubenexus.scheduler.extender.loop.DebugRoutes;
import io.kubenexus.scheduler.extender.loop.LoopExtenderBackend;
import io.kubenexus.scheduler.extender.protocol.ExtenderRoutes;
import io.kubenexus.scheduler.extender.server.HttpRoutes;
import io.kubenexus.scheduler.extender.server.HttpServerSettings;
import io.kubenexus.scheduler.kube.KubeScheduler;
import io.kubenexus.scheduler.kube.KubeSchedulerOptions;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One scheduler replica as {@code run} and {@code demo} build it: the {@link KubeScheduler}, its
 * Prometheus registry (the loop's meters, the cluster capacity read from its published view and
 * whether it leads),
 * and, once {@link #serve}d, its HTTP endpoints. Each replica has its own registry, so two replicas
 * in one process (the demo's failover) never mix their series.
 */
public final class SchedulerReplica implements AutoCloseable {
    private final KubernetesClient client;
    private final KubeScheduler scheduler;
    private final PrometheusMeterRegistry registry;
    /**
     * Reads the pods an extender bind names when the filter did not show them first: blocking calls,
     * off Vert.x. Bounded: when the API is too slow to keep up, a bind is answered 500 at once (the
     * queue is full) and kube-scheduler retries it, rather than requests piling up.
     */
    private final ExecutorService podReads = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(256), runnable -> {
                Thread thread = new Thread(runnable, "kubenexus-extender-pod-read");
                thread.setDaemon(true);
                return thread;
            });
    /** Listens to the JVM's GC notifications; closed with the replica. */
    private final ProcessMetrics processMetrics;
    /** The node label that names pools on the cluster page, as on the capacity metrics. */
    private final String nodePoolLabel;
    private HttpSurface http;

    private SchedulerReplica(KubernetesClient client, KubeScheduler scheduler, PrometheusMeterRegistry registry,
                             ProcessMetrics processMetrics, String nodePoolLabel) {
        this.client = client;
        this.scheduler = scheduler;
        this.registry = registry;
        this.processMetrics = processMetrics;
        this.nodePoolLabel = nodePoolLabel;
    }

    public static SchedulerReplica create(KubernetesClient client, KubeSchedulerOptions options, Clock clock,
                                          MetricsConfig metrics) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        KubeScheduler scheduler = new KubeScheduler(client, options, clock,
                new MicrometerSchedulerMetrics(registry, options.scheduling().schedulerName()));
        new ClusterCapacityMetrics(scheduler::view, metrics.nodePoolLabel(), metrics.maxNodePools()).bindTo(registry);
        // Without leader election the replica always leads; its scheduler name stands in for the Lease.
        String lease = options.leaderElection().enabled() ? options.leaderElection().leaseName()
                : options.scheduling().schedulerName();
        new LeadershipMetrics(scheduler::leadership, lease, options.identity()).bindTo(registry);
        // The process itself, under the standard names (jvm_memory_used_bytes, jvm_gc_pause_seconds,
        // process_cpu_usage, ...): heap against the container's limit is what sizing is checked by.
        ProcessMetrics process = ProcessMetrics.bindTo(registry);
        return new SchedulerReplica(client, scheduler, registry, process, metrics.nodePoolLabel());
    }

    public KubeScheduler scheduler() {
        return scheduler;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /**
     * Starts serving the replica's endpoints; returns the base URL. Throws with a message naming the
     * address when it cannot listen.
     *
     * @param bindHoldLimit how long the extender's bind holds a gang member for its group
     */
    public synchronized String serve(HttpServerSettings settings, Duration bindHoldLimit) {
        return serve(settings, bindHoldLimit, false);
    }

    /**
     * {@link #serve(HttpServerSettings, Duration)}, and with {@code clusterPage} the cluster page too
     * ({@code GET /}, {@code GET /api/cluster}; {@code http.clusterPage}).
     */
    public synchronized String serve(HttpServerSettings settings, Duration bindHoldLimit, boolean clusterPage) {
        if (http != null) {
            throw new IllegalStateException("already serving on " + http.baseUrl());
        }
        LoopExtenderBackend extender = new LoopExtenderBackend(scheduler.queries(), this::readPod,
                Objects.requireNonNull(bindHoldLimit, "bindHoldLimit"));
        HttpRoutes extenderRoutes = (router, served) ->
                new ExtenderRoutes(extender, served.extenderPrefix(), served.maxBodyBytes()).mountOn(router);
        List<HttpRoutes> routes = new ArrayList<>(List.of(new DebugRoutes(scheduler.queries()), extenderRoutes));
        if (clusterPage) {
            routes.add(new ClusterPageRoutes(scheduler.queries(), new SchedulingRates(registry), nodePoolLabel));
        }
        http = HttpSurface.start(settings, scheduler, registry, routes);
        return http.baseUrl();
    }

    private CompletionStage<Pod> readPod(String namespace, String name) {
        return CompletableFuture.supplyAsync(() -> client.pods().inNamespace(namespace).withName(name).get(), podReads);
    }

    /** The base URL of the endpoints, or null when not serving. */
    public synchronized String url() {
        return http == null ? null : http.baseUrl();
    }

    /** Stops serving (the probes fail from here), then the scheduler, which gives up its Lease. */
    @Override
    public synchronized void close() {
        if (http != null) {
            http.close();
            http = null;
        }
        podReads.shutdownNow();
        processMetrics.close();
        scheduler.close();
    }
}
