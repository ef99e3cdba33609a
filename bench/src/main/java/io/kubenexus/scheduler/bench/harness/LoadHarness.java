package io.kubenexus.scheduler.bench.harness;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.loop.LoopStats;
import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.sim.synthetic.PodSpecTemplate;
import io.kubenexus.scheduler.sim.synthetic.SyntheticCluster;
import io.kubenexus.scheduler.sim.synthetic.WorkloadGenerator;
import io.kubenexus.scheduler.kube.KubeScheduler;
import io.kubenexus.scheduler.kube.KubeSchedulerOptions;
import io.kubenexus.scheduler.kube.embedded.EmbeddedKubernetesApi;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * End-to-end load: the embedded API (fabric8 mock server with the binding dispatcher) in this JVM,
 * a seeded synthetic cluster, the production {@link KubeScheduler} over HTTP, and pods created as
 * fast as a few creator threads can. Measures in the same run the API's pod creation rate, the
 * scheduler's bind rate and each pod's time from creation to binding, as an outside client sees
 * them (its own watch), and whether the scheduler keeps up: bind rate / creation rate at least
 * {@value LoadReport#RATIO_GOAL}.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.kubenexus.scheduler.bench.harness.LoadHarness --nodes 500 --pods 5000
 * </pre>
 * (the defaults, 500 nodes and 2,000 pods, take about a minute on a busy two-core machine).
 *
 * <p>The workload is {@link WorkloadGenerator}'s mix without oversized pods and with few GPU pods, so
 * every pod fits up to about 12 pods per node: the run measures throughput, not
 * contention. Progress goes to stderr, the summary to stdout.
 */
public final class LoadHarness {
    /** Stop waiting once every pod was created and no bind was seen for this long. */
    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(15);
    private static final double GPU_POD_FRACTION = 0.02;
    private static final long SHUTDOWN_PATIENCE_MILLIS = 10_000;

    private final HarnessOptions options;
    private final PrintStream progress;

    LoadHarness(HarnessOptions options, PrintStream progress) {
        this.options = options;
        this.progress = progress;
    }

    public static void main(String[] args) {
        // Before any logger exists: the mock and the informers log every connection at INFO.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        // A busy mock blocks its event loop for seconds; the checker's stack traces bury the progress.
        System.setProperty("org.slf4j.simpleLogger.log.io.vertx.core.impl.BlockedThreadChecker", "error");
        HarnessOptions options;
        try {
            options = HarnessOptions.parse(List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println("LoadHarness: " + e.getMessage());
            System.err.println(HarnessOptions.USAGE);
            System.exit(2);
            return;
        }
        new LoadHarness(options, System.err).run(report -> {
            System.out.print(options.json() ? report.json() + System.lineSeparator() : report.text());
            System.out.flush();
        });
        // The mock server's and clients' threads are not all daemons.
        System.exit(0);
    }

    /**
     * Runs the load and hands the report to {@code onReport} before anything is shut down: closing
     * the mock can stall for up to a minute (a watch closed while events are queued for it), and
     * that must not cost the result. Shutdown then waits at most {@link #SHUTDOWN_PATIENCE_MILLIS}.
     */
    void run(java.util.function.Consumer<LoadReport> onReport) {
        SchedulerSettings settings = SchedulerSettings.defaults();
        List<NodeInfo> nodes = SyntheticCluster.builder().seed(options.seed()).nodes(options.nodes()).build();
        List<PodSpecTemplate> templates = WorkloadGenerator.builder().seed(options.seed()).oversizedFraction(0)
                .gpuFraction(GPU_POD_FRACTION).build().generate(options.pods());
        String namespace = templates.get(0).namespace();
        List<Pod> pods = new ArrayList<>(templates.size());
        Map<String, Integer> indexByName = new HashMap<>();
        for (PodSpecTemplate template : templates) {
            indexByName.put(template.name(), pods.size());
            pods.add(LoadObjects.pod(template, settings.schedulerName()));
        }
        PodTimeline timeline = new PodTimeline(indexByName);
        progress.printf(Locale.ROOT, "harness: %d nodes, %d pods in namespace %s, %d creator threads, seed %d%n",
                nodes.size(), pods.size(), namespace, options.creatorThreads(), options.seed());

        EmbeddedKubernetesApi api = new EmbeddedKubernetesApi();
        ExecutorService creators = Executors.newFixedThreadPool(options.creatorThreads());
        KubeScheduler scheduler = null;
        Watch watch = null;
        try {
            createNodes(api.client(), nodes, creators);
            if (!options.creationOnly()) {
                scheduler = new KubeScheduler(api.newClient(), KubeSchedulerOptions.singleReplica(settings),
                        Clock.systemUTC());
                scheduler.start().toCompletableFuture().get(60, TimeUnit.SECONDS);
                progress.printf("harness: scheduler %s synced with %d nodes%n", settings.schedulerName(),
                        nodes.size());
            }
            // A client of its own, as an outside observer: not the scheduler's informers.
            KubernetesClient observer = api.newClient();
            BindingWatcher watcher = new BindingWatcher(timeline, progress);
            watch = observer.pods().inNamespace(namespace).watch(watcher);

            AtomicInteger failures = new AtomicInteger();
            AtomicReference<String> creationTimestamp = new AtomicReference<>("");
            long started = System.nanoTime();
            createPods(api.client(), pods, timeline, creators, failures, creationTimestamp);
            awaitBinds(timeline, scheduler, started, failures);
            LoopStats stats = scheduler == null ? null : scheduler.stats();
            onReport.accept(report(timeline, failures.get(), stats, creationTimestamp.get()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the scheduler did not sync with the embedded API: " + e, e);
        } finally {
            shutDown(creators, scheduler, watch, api);
        }
    }

    /** Stops creating, then the scheduler and the watch, then the API (in that order), within a bounded wait. */
    private void shutDown(ExecutorService creators, KubeScheduler scheduler, Watch watch, EmbeddedKubernetesApi api) {
        creators.shutdownNow();
        Thread closer = new Thread(() -> {
            try {
                if (scheduler != null) {
                    scheduler.close();
                }
                if (watch != null) {
                    watch.close();
                }
                api.close();
            } catch (RuntimeException e) {
                progress.println("harness: shutting down the embedded API: " + e);
            }
        }, "harness-shutdown");
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(SHUTDOWN_PATIENCE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (closer.isAlive()) {
            progress.printf("harness: the embedded API did not shut down within %d s; leaving it%n",
                    SHUTDOWN_PATIENCE_MILLIS / 1000);
        }
    }

    private void createNodes(KubernetesClient client, List<NodeInfo> nodes, ExecutorService creators)
            throws InterruptedException {
        long start = System.nanoTime();
        List<java.util.concurrent.Callable<Object>> calls = new ArrayList<>(nodes.size());
        for (NodeInfo node : nodes) {
            calls.add(() -> client.nodes().resource(LoadObjects.node(node)).create());
        }
        for (var result : creators.invokeAll(calls)) {
            try {
                result.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("creating a node failed: " + e.getCause(), e.getCause());
            }
        }
        progress.printf(Locale.ROOT, "harness: created %d nodes in %.1f s%n", nodes.size(),
                (System.nanoTime() - start) / 1e9);
    }

    /** Starts the creator threads; returns at once, creation goes on while the scheduler binds. */
    private void createPods(KubernetesClient client, List<Pod> pods, PodTimeline timeline, ExecutorService creators,
                            AtomicInteger failures, AtomicReference<String> creationTimestamp) {
        AtomicInteger next = new AtomicInteger();
        for (int t = 0; t < options.creatorThreads(); t++) {
            creators.execute(() -> {
                for (int i = next.getAndIncrement(); i < pods.size(); i = next.getAndIncrement()) {
                    Pod pod = pods.get(i);
                    timeline.createSent(i, System.nanoTime());
                    try {
                        Pod created = client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).create();
                        timeline.createReturned(i, System.nanoTime());
                        creationTimestamp.compareAndSet("", String.valueOf(created.getMetadata().getCreationTimestamp()));
                    } catch (RuntimeException e) {
                        if (failures.incrementAndGet() <= 5) {
                            progress.println("harness: creating " + pod.getMetadata().getName() + " failed: " + e);
                        }
                    }
                }
            });
        }
    }

    /** Until every created pod is bound, the timeout passes, or binds stop coming after creation ended. */
    private void awaitBinds(PodTimeline timeline, KubeScheduler scheduler, long started, AtomicInteger failures)
            throws InterruptedException {
        long deadline = started + options.timeout().toNanos();
        long nextReport = started + TimeUnit.SECONDS.toNanos(1);
        int lastBound = -1;
        long lastChange = System.nanoTime();
        while (true) {
            long now = System.nanoTime();
            int created = timeline.created();
            int bound = timeline.bound();
            boolean creationDone = created + failures.get() == timeline.pods();
            if (bound != lastBound) {
                lastBound = bound;
                lastChange = now;
            }
            if (creationDone && (scheduler == null || bound >= created)) {
                return;
            }
            if (now - deadline > 0) {
                progress.printf("harness: timed out after %s with %d of %d pods bound%n", options.timeout(), bound,
                        created);
                return;
            }
            if (creationDone && now - lastChange > IDLE_NANOS) {
                progress.printf(Locale.ROOT, "harness: no bind for %d s, %d of %d pods bound; stopping%n",
                        TimeUnit.NANOSECONDS.toSeconds(IDLE_NANOS), bound, created);
                return;
            }
            if (now - nextReport >= 0) {
                LoopStats stats = scheduler == null ? null : scheduler.stats();
                progress.printf(Locale.ROOT, "harness: %5.1f s  created %d  bound %d%s%n", (now - started) / 1e9,
                        created, bound, stats == null ? "" : String.format(Locale.ROOT,
                                "  (scheduler: %d attempts, %d queued, %d unschedulable)", stats.attempts(),
                                stats.pending(), stats.unschedulable()));
                nextReport += TimeUnit.SECONDS.toNanos(1);
            }
            Thread.sleep(20);
        }
    }

    private LoadReport report(PodTimeline timeline, int failures, LoopStats stats, String creationTimestamp) {
        double[] latencies = timeline.createToBindMillis();
        double creation = timeline.creationRate();
        double bind = timeline.bindRate();
        return new LoadReport(options.nodes(), options.pods(), options.creatorThreads(), options.seed(),
                options.creationOnly(), timeline.created(), failures, timeline.bound(), timeline.creationSeconds(),
                creation, timeline.bindSeconds(), bind, stats == null || creation == 0 ? 0 : bind / creation,
                timeline.endToEndSeconds(), LoadReport.percentile(latencies, 0.50),
                LoadReport.percentile(latencies, 0.90), LoadReport.percentile(latencies, 0.99),
                latencies.length == 0 ? 0 : latencies[latencies.length - 1], timeline.boundBeforeCreateReturned(),
                stats == null ? 0 : stats.attempts(), stats == null ? 0 : stats.scheduled(),
                stats == null ? 0 : stats.bindFailures(), stats == null ? 0 : stats.bindConflicts(),
                stats == null ? 0 : stats.unschedulableAttempts(), creationTimestamp);
    }
}
