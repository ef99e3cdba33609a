package io.kubenexus.scheduler.bench.extender;

import io.kubenexus.scheduler.bench.BenchClusters;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.loop.SchedulingLoop;
import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.ports.BindOutcome;
import io.kubenexus.scheduler.core.ports.BindResult;
import io.kubenexus.scheduler.core.ports.EventSink;
import io.kubenexus.scheduler.core.ports.SchedulerMetrics;
import io.kubenexus.scheduler.sim.synthetic.SyntheticCluster;
import io.kubenexus.scheduler.extender.loop.LoopExtenderBackend;
import io.kubenexus.scheduler.extender.protocol.ExtenderRoutes;
import io.kubenexus.scheduler.extender.server.HealthReport;
import io.kubenexus.scheduler.extender.server.HttpRoutes;
import io.kubenexus.scheduler.extender.server.HttpServerSettings;
import io.kubenexus.scheduler.extender.server.SchedulerHttpServer;
import io.kubenexus.scheduler.gang.GangLabels;
import io.kubenexus.scheduler.gang.GangPlanner;
import io.kubenexus.scheduler.kube.KubeSchedulerOptions;
import io.kubenexus.scheduler.numa.NumaPlugins;
import io.kubenexus.scheduler.numa.NumaZones;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduling loop on its own thread (started, caches synced, leader), wired as {@code KubeScheduler}
 * wires it (default profile with the NUMA plugins, {@link GangLabels}, {@link GangPlanner#packing},
 * the NUMA state extension), holding the seeded synthetic cluster with bound pods on every node, and
 * served as production serves it: {@link SchedulerHttpServer} with {@link ExtenderRoutes} over a
 * {@link LoopExtenderBackend}, on a free loopback port.
 */
final class ServedLoop implements AutoCloseable {
    private final SchedulingLoop loop;
    private final SchedulerHttpServer server;
    private final List<NodeInfo> nodes;

    private ServedLoop(SchedulingLoop loop, SchedulerHttpServer server, List<NodeInfo> nodes) {
        this.loop = loop;
        this.server = server;
        this.nodes = nodes;
    }

    /** {@code nodeCount} nodes of {@link SyntheticCluster}'s default mix, {@code podsPerNode} bound pods each. */
    static ServedLoop start(int nodeCount, int podsPerNode, long seed) throws Exception {
        SchedulerSettings settings = SchedulerSettings.defaults();
        KubeSchedulerOptions wiring = KubeSchedulerOptions.singleReplica(settings);
        SchedulingProfile.Factory profiles = NumaPlugins.profiles(wiring.numa());
        // Nothing is scheduled by the loop itself here (no pod of ours is pending): binds never happen.
        SchedulingLoop loop = new SchedulingLoop(settings, profiles.create(settings), new GangLabels(),
                GangPlanner.packing(settings, profiles), wiring.gang(),
                (pod, node) -> CompletableFuture.completedFuture(new BindResult(BindOutcome.BOUND, null)),
                EventSink.NONE, SchedulerMetrics.NONE, Clock.systemUTC());
        if (wiring.numa().enabled()) {
            loop.addStateExtension(new NumaZones(wiring.numa()));
        }
        List<NodeInfo> nodes = SyntheticCluster.builder().seed(seed).nodes(nodeCount).build();
        SplittableRandom random = new SplittableRandom(seed);
        for (NodeInfo node : nodes) {
            loop.onNodeUpserted(node);
            for (PodInfo pod : BenchClusters.filler(node, podsPerNode, random)) {
                loop.onPodUpserted(pod);
            }
        }
        loop.onCachesSynced();
        loop.onLeadershipChanged(true);
        loop.start();
        // Answered once the loop has taken every event before it.
        loop.bookkeepingSizes().get(2, TimeUnit.MINUTES);

        LoopExtenderBackend backend = new LoopExtenderBackend(loop,
                (namespace, name) -> CompletableFuture.completedFuture(null), Duration.ofSeconds(20));
        HttpServerSettings http = HttpServerSettings.loopback();
        HttpRoutes extender = (router, served) ->
                new ExtenderRoutes(backend, served.extenderPrefix(), served.maxBodyBytes()).mountOn(router);
        Instant since = Instant.now();
        SchedulerHttpServer server = new SchedulerHttpServer(http, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                () -> new HealthReport(true, true, "LEADING", since, "extender-load"), List.of(extender));
        try {
            server.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            server.close();
            loop.close();
            throw e;
        }
        return new ServedLoop(loop, server, nodes);
    }

    /** The cluster's nodes, in the order the loop received them. */
    List<NodeInfo> nodes() {
        return nodes;
    }

    /** {@code http://127.0.0.1:port}. */
    String baseUrl() {
        return server.baseUrl();
    }

    @Override
    public void close() {
        server.close();
        loop.close();
    }
}
