package io.kubenexus.scheduler.app.demo;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubenexus.scheduler.app.DemoOptions;
import io.kubenexus.scheduler.app.DemoRunner;
import io.kubenexus.scheduler.app.DemoSummary;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.loop.Decision;
import io.kubenexus.scheduler.core.loop.LoopStats;
import io.kubenexus.scheduler.core.loop.SchedulingAlgorithm;
import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.sim.PodSpecTemplate;
import io.kubenexus.scheduler.core.sim.SyntheticCluster;
import io.kubenexus.scheduler.core.sim.WorkloadGenerator;
import io.kubenexus.scheduler.core.state.ClusterState;
import io.kubenexus.scheduler.core.state.ClusterView;
import io.kubenexus.scheduler.core.state.NodeView;
import io.kubenexus.scheduler.kube.KubeScheduler;
import io.kubenexus.scheduler.kube.KubeSchedulerOptions;
import io.kubenexus.scheduler.kube.embedded.EmbeddedKubernetesApi;
import io.kubenexus.scheduler.kube.translate.NodeTranslator;
import io.kubenexus.scheduler.kube.translate.PodTranslator;
import io.kubenexus.scheduler.kube.translate.Translation;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code kubenexus-scheduler demo}: a Kubernetes API on loopback (the fabric8 CRUD mock server with
 * real binding), a seeded synthetic cluster of CPU and 8-GPU nodes, a stream of workload pods
 * created as fast as the client can, and the same {@link KubeScheduler} that {@code run} uses,
 * talking to that API over HTTP through informers.
 *
 * <p>When the scheduler has settled, everything is re-read from the API and checked: no node holds
 * more than its allocatable, no pending pod would fit anywhere (the scheduler missed nothing), and
 * the scheduler's own cache agrees with the API pod for pod.
 */
public final class EmbeddedClusterDemo implements DemoRunner {
    private static final Duration SETTLE_QUIET = Duration.ofMillis(600);
    private static final int CREATE_THREADS = 4;

    private final Clock clock;

    public EmbeddedClusterDemo(Clock clock) {
        this.clock = clock;
    }

    @Override
    public DemoSummary run(DemoOptions options, PrintStream progress) {
        SchedulerSettings settings = SchedulerSettings.defaults();
        List<NodeInfo> nodes = SyntheticCluster.builder().seed(options.seed()).nodes(options.nodes()).build();
        List<PodSpecTemplate> pods = WorkloadGenerator.builder().seed(options.seed()).build().generate(options.pods());
        String namespace = pods.isEmpty() ? WorkloadGenerator.DEFAULT_NAMESPACE : pods.get(0).namespace();
        int expectedUnschedulable = countUnschedulableOnEmptyCluster(pods, nodes, settings);

        progress.printf(Locale.ROOT, "demo: embedded Kubernetes API, %d nodes (%d with GPUs), %d pods, seed %d%n",
                nodes.size(), nodes.stream().filter(n -> n.allocatable().get("nvidia.com/gpu") > 0).count(),
                pods.size(), options.seed());
        try (EmbeddedKubernetesApi api = new EmbeddedKubernetesApi()) {
            KubernetesClient client = api.client();
            for (NodeInfo node : nodes) {
                client.nodes().resource(DemoObjects.node(node)).create();
            }
            KubeScheduler scheduler = new KubeScheduler(api.newClient(), KubeSchedulerOptions.singleReplica(settings), clock);
            Instant started;
            Instant finished;
            try {
                scheduler.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
                progress.printf("demo: scheduler %s synced, creating pods%n", settings.schedulerName());
                started = clock.instant();
                AtomicInteger created = createPods(client, pods, settings.schedulerName(), progress);
                finished = awaitSettled(scheduler, created, pods.size(), options.timeout(), started, progress);
                LoopStats stats = scheduler.stats();
                progress.printf(Locale.ROOT, "demo: settled: %d bound, %d unschedulable, %d attempts%n",
                        stats.scheduled(), stats.unschedulable(), stats.attempts());
                ApiAudit audit = ApiAudit.of(client, namespace);
                int cacheMismatches = cacheMismatches(scheduler.view(), audit, progress);
                int pendingThatFit = pendingThatWouldFit(client, namespace, settings, progress);
                audit.violations().forEach(v -> progress.println("demo: CAPACITY VIOLATION " + v));
                long elapsed = Duration.between(started, finished).toMillis();
                return new DemoSummary(nodes.size(), created.get(), audit.bound(), audit.pending(), expectedUnschedulable,
                        audit.capacityViolations(), pendingThatFit, cacheMismatches, elapsed,
                        elapsed == 0 ? 0 : audit.bound() * 1000.0 / elapsed, audit.pendingReasons());
            } finally {
                // Informers stop before the API server: the mock can stall on a watch closed mid-event.
                scheduler.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("demo interrupted", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the scheduler did not sync with the embedded API: " + e.getMessage(), e);
        }
    }

    private static AtomicInteger createPods(KubernetesClient client, List<PodSpecTemplate> pods, String schedulerName,
                                            PrintStream progress) throws InterruptedException {
        AtomicInteger created = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(CREATE_THREADS);
        try {
            for (PodSpecTemplate template : pods) {
                pool.execute(() -> {
                    try {
                        client.pods().inNamespace(template.namespace()).resource(DemoObjects.pod(template, schedulerName))
                                .create();
                        created.incrementAndGet();
                    } catch (RuntimeException e) {
                        progress.println("demo: creating " + template.name() + " failed: " + e.getMessage());
                    }
                });
            }
        } finally {
            pool.shutdown();
        }
        long start = System.nanoTime();
        Thread timer = new Thread(() -> {
            try {
                if (pool.awaitTermination(10, TimeUnit.MINUTES)) {
                    long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                    progress.printf(Locale.ROOT, "demo: API created %d pods in %.1fs (%.0f pods/s)%n", created.get(),
                            millis / 1000.0, created.get() * 1000.0 / millis);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "demo-creation-timer");
        timer.setDaemon(true);
        timer.start();
        // Creation goes on while the scheduler binds; awaitSettled watches both.
        return created;
    }

    /**
     * Waits until every pod was created and the scheduler has nothing left to try: each pod is bound
     * or waiting as unschedulable, and that stayed so for a moment (a bind result or a retry may be
     * on its way).
     */
    private Instant awaitSettled(KubeScheduler scheduler, AtomicInteger created, int total, Duration timeout,
                                 Instant started, PrintStream progress) throws InterruptedException {
        Instant deadline = started.plus(timeout);
        Instant nextReport = started.plusSeconds(1);
        Instant quietSince = null;
        Instant lastBind = started;
        long lastBound = -1;
        while (clock.instant().isBefore(deadline)) {
            LoopStats stats = scheduler.stats();
            if (stats.scheduled() != lastBound) {
                lastBound = stats.scheduled();
                lastBind = clock.instant();
            }
            boolean settled = created.get() == total
                    && stats.scheduled() + stats.pending() == total
                    && stats.pending() == stats.unschedulable();
            if (settled) {
                quietSince = quietSince == null ? clock.instant() : quietSince;
                if (Duration.between(quietSince, clock.instant()).compareTo(SETTLE_QUIET) >= 0) {
                    return lastBind;
                }
            } else {
                quietSince = null;
            }
            if (!clock.instant().isBefore(nextReport)) {
                progress.printf(Locale.ROOT, "demo: %5.1fs  created %d/%d  bound %d  waiting %d (unschedulable %d)%n",
                        Duration.between(started, clock.instant()).toMillis() / 1000.0, created.get(), total,
                        stats.scheduled(), stats.pending(), stats.unschedulable());
                nextReport = nextReport.plusSeconds(1);
            }
            Thread.sleep(50);
        }
        progress.printf("demo: timed out after %s before the scheduler settled%n", timeout);
        return clock.instant();
    }

    /** Pods that no node could run even with the whole cluster empty: pending by design, not a miss. */
    private static int countUnschedulableOnEmptyCluster(List<PodSpecTemplate> pods, List<NodeInfo> nodes,
                                                        SchedulerSettings settings) {
        ClusterState empty = new ClusterState();
        nodes.forEach(empty::upsertNode);
        SchedulingAlgorithm algorithm = new SchedulingAlgorithm(SchedulingProfile.defaults(settings), 100);
        int count = 0;
        for (PodSpecTemplate pod : pods) {
            if (algorithm.schedule(pod.toPodInfo(settings.schedulerName(), Instant.EPOCH), empty)
                    instanceof Decision.Unschedulable) {
                count++;
            }
        }
        return count;
    }

    /**
     * Rebuilds a cluster state from the API objects alone and asks the production plugins whether any
     * pending pod would fit on its own: a pod that would was missed by the scheduler.
     */
    private static int pendingThatWouldFit(KubernetesClient client, String namespace, SchedulerSettings settings,
                                           PrintStream progress) {
        ClusterState state = new ClusterState();
        NodeTranslator nodeTranslator = new NodeTranslator();
        PodTranslator podTranslator = new PodTranslator();
        for (Node node : client.nodes().list().getItems()) {
            if (nodeTranslator.translate(node) instanceof Translation.Valid<NodeInfo> valid) {
                state.upsertNode(valid.value());
            }
        }
        List<PodInfo> pending = new java.util.ArrayList<>();
        for (Pod pod : client.pods().inAnyNamespace().list().getItems()) {
            if (podTranslator.translate(pod) instanceof Translation.Valid<PodInfo> valid) {
                if (valid.value().isAssigned()) {
                    state.upsertPod(valid.value());
                } else if (namespace.equals(valid.value().key().namespace())) {
                    pending.add(valid.value());
                }
            }
        }
        SchedulingAlgorithm algorithm = new SchedulingAlgorithm(SchedulingProfile.defaults(settings), 100);
        int fit = 0;
        for (PodInfo pod : pending) {
            if (algorithm.schedule(pod, state) instanceof Decision.Placed placed) {
                fit++;
                progress.println("demo: MISSED " + pod.key() + " would fit on " + placed.nodeName());
            }
        }
        return fit;
    }

    /** Nodes where the scheduler's published view and the API disagree on cpu, memory, GPUs or pod count. */
    private static int cacheMismatches(ClusterView view, ApiAudit audit, PrintStream progress) {
        int mismatches = 0;
        List<String> columns = view.columnNames();
        for (NodeView node : view.nodes()) {
            Map<String, BigDecimal> fromApi = audit.requestedPerNode().getOrDefault(node.node().name(), Map.of());
            for (String resource : List.of("cpu", "memory", "pods", "nvidia.com/gpu")) {
                int column = columns.indexOf(resource);
                long cached = column < 0 ? 0 : node.requested(column);
                BigDecimal api = fromApi.getOrDefault(resource, BigDecimal.ZERO);
                BigDecimal apiInSchedulerUnits = "cpu".equals(resource)
                        ? api.movePointRight(3).setScale(0, java.math.RoundingMode.CEILING) : api;
                if (apiInSchedulerUnits.compareTo(BigDecimal.valueOf(cached)) != 0) {
                    mismatches++;
                    progress.printf("demo: CACHE MISMATCH %s %s: scheduler %d, API %s%n", node.node().name(), resource,
                            cached, apiInSchedulerUnits.toPlainString());
                    break;
                }
            }
        }
        return mismatches;
    }
}
