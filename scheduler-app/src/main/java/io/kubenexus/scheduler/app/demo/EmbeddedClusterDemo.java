package io.kubenexus.scheduler.app.demo;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubenexus.scheduler.app.DemoOptions;
import io.kubenexus.scheduler.app.DemoRunner;
import io.kubenexus.scheduler.app.DemoSummary;
import io.kubenexus.scheduler.app.SchedulerReplica;
import io.kubenexus.scheduler.app.config.ExtenderConfig;
import io.kubenexus.scheduler.app.config.HttpConfig;
import io.kubenexus.scheduler.app.config.MetricsConfig;
import io.kubenexus.scheduler.extender.server.HttpServerSettings;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.loop.LoopStats;
import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.sim.synthetic.NodeShape;
import io.kubenexus.scheduler.sim.synthetic.PodSpecTemplate;
import io.kubenexus.scheduler.sim.synthetic.SyntheticCluster;
import io.kubenexus.scheduler.sim.synthetic.SyntheticNode;
import io.kubenexus.scheduler.sim.synthetic.WorkloadGenerator;
import io.kubenexus.scheduler.kube.KubeScheduler;
import io.kubenexus.scheduler.core.config.PreemptionSettings;
import io.kubenexus.scheduler.kube.KubeSchedulerOptions;
import io.kubenexus.scheduler.kube.embedded.BindLedger;
import io.kubenexus.scheduler.kube.embedded.EmbeddedKubernetesApi;
import io.kubenexus.scheduler.kube.embedded.FaultPlan;
import io.kubenexus.scheduler.kube.topology.PublishedTopology;
import io.kubenexus.scheduler.numa.NodeTopology;
import java.io.PrintStream;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code kubenexus-scheduler demo}: a Kubernetes API on loopback (the fabric8 CRUD mock server with
 * real binding), a seeded synthetic cluster of CPU and 8-GPU nodes, a stream of workload pods
 * created as fast as the client can with Spark applications submitted among them
 * ({@link SparkOperatorSimulator}: SparkApplication and driver first, executors once the driver is
 * bound), and the same {@link KubeScheduler} that {@code run} uses, talking to that API over HTTP
 * through informers.
 *
 * <p>Some nodes publish their NUMA zones ({@link #NODE_MIX}): a {@link KubeletLoop} plays their
 * kubelets and topology exporters, admitting each pod bound there against the node's true per-zone
 * state ({@link SimulatedKubelet}) and reporting it late, and a seeded {@link NumaWorkload} asks for
 * alignment; {@link NumaAudit} judges every such placement against that true state.
 *
 * <p>When the scheduler has settled (every pod bound or unschedulable, every bound driver's
 * executors created, no executor place left reserved), everything is re-read from the API and
 * checked: no node holds more than its allocatable; no pending pod would fit anywhere, and no
 * waiting driver would fit together with its executors (the scheduler missed nothing); no driver
 * is bound while its executors found no room (a partial gang); and the scheduler's own cache
 * agrees with the API pod for pod, the places it reserves for executors aside.
 *
 * <p>With {@code --extender} the workload keeps {@code schedulerName: default-scheduler}: the replica
 * schedules none of it (it accounts for every pod through its informers) and a
 * {@link SimulatedKubeScheduler} places each pod by calling the replica's extender verbs over HTTP.
 * The checks are the same; the settle condition reads the simulated kube-scheduler instead of the
 * loop, and the explain check asks the extender's filter instead of {@code /debug/explain}, since
 * the loop never tries, and so never explains, a pod that is not its own.
 */
public final class EmbeddedClusterDemo implements DemoRunner {
    /**
     * The demo's nodes: general-purpose and 8-GPU nodes without topology, and nodes whose exporters
     * publish their NUMA zones: two-socket 8-GPU nodes (single-numa-node) and four-zone CPU nodes
     * (restricted). 50 nodes give 34, 6, 6 and 4.
     */
    static final List<NodeShape> NODE_MIX = List.of(NodeShape.DEMO_CPU.withWeight(0.68),
            NodeShape.DEMO_GPU.withWeight(0.12), NodeShape.DEMO_GPU_NUMA.withWeight(0.12),
            NodeShape.DEMO_CPU_NUMA.withWeight(0.08));
    /** One NUMA pod per this many workload pods, and one NUMA gang per {@link #NUMA_GANG_SHARE}. */
    static final int NUMA_POD_SHARE = 10;
    /** The synthetic nodes' pool label names the pools of the capacity metrics and the cluster page. */
    static final MetricsConfig METRICS = new MetricsConfig(SyntheticCluster.POOL_LABEL, MetricsConfig.DEFAULT_MAX_NODE_POOLS);
    static final int NUMA_GANG_SHARE = 250;
    private static final Duration SETTLE_QUIET = Duration.ofMillis(600);
    /** How long reservations may outlive the creation of every executor before the demo stops waiting. */
    private static final Duration RESERVATION_PATIENCE = Duration.ofSeconds(3);
    /** Per-request timeout of the demo's API clients (see where the API is started). */
    private static final Duration AUDIT_REQUEST_TIMEOUT = Duration.ofSeconds(70);

    /** How long the audit waits for the scheduler's reasons on pending pods to reach the API. */
    private static final Duration REPORT_PATIENCE = Duration.ofSeconds(15);
    private static final int CREATE_THREADS = 4;

    private final Clock clock;

    public EmbeddedClusterDemo(Clock clock) {
        this.clock = clock;
    }

    @Override
    public DemoSummary run(DemoOptions options, PrintStream progress) {
        try {
            return run(options, progress, Settled.NONE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("demo interrupted", e);
        }
    }

    @Override
    public DemoSummary run(DemoOptions options, PrintStream progress, Settled settled) throws InterruptedException {
        SchedulerSettings settings = SchedulerSettings.defaults();
        List<SyntheticNode> synthetic = SyntheticCluster.builder().seed(options.seed()).nodes(options.nodes())
                .shapes(NODE_MIX).buildNodes();
        List<NodeInfo> nodes = synthetic.stream().map(SyntheticNode::node).toList();
        List<PodSpecTemplate> pods = WorkloadGenerator.builder().seed(options.seed()).build().generate(options.pods());
        String namespace = pods.isEmpty() ? WorkloadGenerator.DEFAULT_NAMESPACE : pods.get(0).namespace();
        List<SparkApp> apps = SparkWorkload.builder().seed(options.seed()).namespace(namespace).build()
                .generate(options.sparkApps());
        List<NumaWorkload.NumaPod> numaPods = new NumaWorkload(options.seed(), namespace)
                .generate(options.pods() / NUMA_POD_SHARE, options.pods() == 0 ? 0 : Math.max(1, options.pods() / NUMA_GANG_SHARE));
        // In extender mode the pods are kube-scheduler's, and placed through our extender verbs.
        String workloadScheduler = options.extender() ? SimulatedKubeScheduler.DEFAULT_SCHEDULER : settings.schedulerName();
        // The priority mix (issue 15) where the loop schedules: kube-scheduler preempts for its own pods.
        PriorityMix mix = options.extender() || options.failover() || nodes.isEmpty() ? null
                : new PriorityMix(nodes.size(), namespace, workloadScheduler);
        List<io.fabric8.kubernetes.api.model.Pod> batchPods = mix == null ? List.of() : mix.batchPods();
        int expectedUnschedulable = PlacementAudit.unschedulableOnEmptyCluster(pods, apps, numaPods, synthetic, settings,
                workloadScheduler);
        Map<String, NodeTopology> topologies = new LinkedHashMap<>();
        synthetic.stream().filter(n -> n.shape().numa() != null)
                .forEach(n -> topologies.put(n.node().name(), TopologyObjects.idle(n.shape().numa())));

        progress.printf(Locale.ROOT, "demo: embedded Kubernetes API, %d nodes (%d with GPUs, %d with NUMA topology), "
                        + "%d pods (%d NUMA), %d Spark applications (%d executors), seed %d%n",
                nodes.size(), nodes.stream().filter(n -> n.allocatable().get("nvidia.com/gpu") > 0).count(),
                topologies.size(), pods.size() + numaPods.size(), numaPods.size(), apps.size(),
                apps.stream().mapToInt(SparkApp::executors).sum(), options.seed());
        // The mock server closes a watch on its event loop and waits there (up to a minute) until the
        // watch's backlog of events is sent, stalling every other request meanwhile: the simulators'
        // watches close just before the audit, so give requests more than the default 10 s.
        FaultPlan faults = options.faults();
        if (faults.active()) {
            progress.printf(Locale.ROOT, "demo: chaos: the API injects faults into the scheduler's requests: %s "
                    + "(seed %d)%n", faults.describeRates(), faults.seed());
        }
        try (EmbeddedKubernetesApi api = new EmbeddedKubernetesApi(InetAddress.getLoopbackAddress(), 0,
                AUDIT_REQUEST_TIMEOUT, Clock.systemUTC(), faults)) {
            KubernetesClient client = api.client();
            for (SyntheticNode node : synthetic) {
                client.nodes().resource(DemoObjects.node(node)).create();
            }
            SimulatedKubelet kubelet = new SimulatedKubelet(topologies);
            KubeletLoop kubelets = new KubeletLoop(api.newClient(), namespace, kubelet, clock, progress);
            // The exporters publish before the scheduler starts, as on a cluster that has run for a while.
            kubelets.createTopologies();
            // Only the scheduler's requests get faults: the workload, the kubelets and the audit see a sound API.
            // With --failover, two replicas compete for the Lease; the first is cut off the API mid-run.
            Failover failover = options.failover() ? new Failover(api, settings, clock) : null;
            SchedulerReplica first = failover != null ? failover.first()
                    : SchedulerReplica.create(api.newClientUnderFaults(), demoOptions(settings), clock, METRICS);
            SchedulerReplica replica = first;
            KubeScheduler scheduler = first.scheduler();
            SparkOperatorSimulator spark = new SparkOperatorSimulator(client, namespace, workloadScheduler, progress);
            SimulatedKubeScheduler kubeScheduler = null;
            Instant started;
            Instant finished;
            try {
                // The endpoints a user would curl, on a free loopback port (or --http-port).
                String url = first.serve(httpSettings(options, false), ExtenderConfig.DEFAULT_BIND_HOLD_LIMIT, true);
                progress.printf("demo: scheduler HTTP on %s (/metrics, /readyz, /debug/explain?namespace=%s&name=POD, "
                        + "/debug/gangs, /extender)%n", url, namespace);
                progress.printf("demo: cluster page on %s/%n", url);
                scheduler.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
                if (failover != null) {
                    failover.startStandby(progress);
                }
                if (options.extender()) {
                    // kube-scheduler is told the extender's urlPrefix; it starts once the extender serves a synced view.
                    kubeScheduler = new SimulatedKubeScheduler(api.newClient(), namespace, url + HttpConfig.defaults()
                            .extenderPrefix(), clock, options.seed(), progress);
                    kubeScheduler.start();
                    progress.printf("demo: scheduler %s synced and serving as the extender of a simulated "
                            + "kube-scheduler (pods with schedulerName %s), creating pods%n", settings.schedulerName(),
                            workloadScheduler);
                } else {
                    progress.printf("demo: scheduler %s synced, creating pods%n", settings.schedulerName());
                }
                if (!apps.isEmpty()) {
                    spark.start(SparkOperatorSimulator.DEFAULT_POLL_INTERVAL);
                }
                kubelets.start(KubeletLoop.DEFAULT_REPORT_INTERVAL);
                started = clock.instant();
                int expectedBinds = pods.size() + apps.size() + numaPods.size() + batchPods.size();
                if (failover != null) {
                    failover.killLeaderAfter(api.binds(), expectedBinds / 3, progress);
                }
                List<Submission> order = new ArrayList<>();
                if (!batchPods.isEmpty()) {
                    order.add(new Submission.Pods(batchPods)); // batch jobs running before the stream begins
                }
                order.addAll(withNuma(interleave(pods, apps), numaPods));
                Creation creation = create(client, order, spark, workloadScheduler, progress);
                if (failover != null) {
                    // From here the standby is the scheduler: its books are the ones the audit reads.
                    failover.awaitTakeover(options.timeout(), progress);
                    replica = failover.standby();
                    scheduler = replica.scheduler();
                    String standbyUrl = replica.serve(httpSettings(options, true), ExtenderConfig.DEFAULT_BIND_HOLD_LIMIT, true);
                    progress.printf("demo: the new leader's HTTP on %s%n", standbyUrl);
                }
                finished = kubeScheduler != null
                        ? awaitSettledAsExtender(scheduler, kubeScheduler, api.binds(), spark, kubelets, creation,
                                pods.size() + apps.size() + numaPods.size(), !apps.isEmpty(), options.timeout(), started,
                                progress)
                        : awaitSettled(scheduler, api.binds(), faults.active() || failover != null, spark, kubelets,
                                creation, expectedBinds, !apps.isEmpty(), options.timeout(), started, progress);
                if (mix != null && mix.active() && kubeScheduler == null) {
                    finished = urgentWork(mix, client, scheduler, api.binds(), faults.active(), spark, kubelets, creation,
                            expectedBinds, !apps.isEmpty(), options.timeout(), progress);
                }
                // Nothing more is created, admitted, placed or reported from here: the audit sees a still API.
                spark.close();
                kubelets.close();
                if (kubeScheduler != null) {
                    kubeScheduler.close();
                }
                LoopStats stats = scheduler.stats();
                if (kubeScheduler != null) {
                    progress.printf(Locale.ROOT, "demo: settled: %d bound by the API, %d waiting; extender calls: "
                                    + "%d filter, %d prioritize, %d bind (%d refused), %d failed%s%n",
                            api.binds().applied(), kubeScheduler.waitingPods(), kubeScheduler.filterCalls(),
                            kubeScheduler.prioritizeCalls(), kubeScheduler.bindCalls(), kubeScheduler.bindErrors(),
                            kubeScheduler.extenderFailures(), apps.isEmpty() ? "" : String.format(Locale.ROOT,
                                    ", %d executor places reserved", stats.reservations()));
                } else {
                    progress.printf(Locale.ROOT, "demo: settled: %d bound, %d unschedulable, %d attempts%s%n",
                            stats.scheduled(), stats.unschedulable(), stats.attempts(), apps.isEmpty() ? ""
                                    : String.format(Locale.ROOT, ", %d gangs waiting, %d executor places reserved",
                                            stats.groupsWaiting(), stats.reservations()));
                }
                ApiAudit audit = auditOnceReported(client, namespace, progress);
                SparkGangAudit gangs = SparkGangAudit.of(client, namespace);
                // Read with the view it is compared against (both are still by now).
                int reservations = scheduler.stats().reservations();
                int cacheMismatches = CacheAudit.mismatches(scheduler.view(), audit.requestedPerNode(), progress);
                DemoSummary.Http http = kubeScheduler != null
                        ? HttpAudit.ofExtender(replica.url(), replica.url() + HttpConfig.defaults().extenderPrefix(),
                                client, namespace, progress)
                        : HttpAudit.of(replica.url(), client, namespace, progress);
                int pendingThatFit = PlacementAudit.pendingThatWouldFit(client, namespace, apps, settings,
                        workloadScheduler, progress);
                DemoSummary.NumaPlacements numa = NumaAudit.of(client, namespace, kubelet, synthetic, progress);
                if (pendingThatFit > 0 && scheduler.topologySources() != null) {
                    // Whether the scheduler missed them on stale reports or with the latest one in hand.
                    for (String node : topologies.keySet()) {
                        PublishedTopology seen = scheduler.topologySources().published(node);
                        String truth = zonesText(kubelet.current(node));
                        String last = seen == null ? "none" : zonesText(seen.topology());
                        if (!truth.equals(last)) {
                            progress.println("demo: scheduler's last report of " + node + " " + last + ", now " + truth);
                        }
                    }
                }
                audit.violations().forEach(v -> progress.println("demo: CAPACITY VIOLATION " + v));
                gangs.partialGangs().forEach(g -> progress.println("demo: PARTIAL GANG " + g));
                if (!audit.unreported().isEmpty()) {
                    progress.println("demo: no PodScheduled reason yet on " + audit.unreported().size() + " pending pod(s): "
                            + String.join(", ", audit.unreported().subList(0, Math.min(5, audit.unreported().size())))
                            + (audit.unreported().size() > 5 ? ", ..." : ""));
                }
                List<String> boundTwice = api.binds().boundMoreThanOnce();
                boundTwice.forEach(p -> progress.println("demo: BOUND MORE THAN ONCE " + p));
                if (reservations > 0) {
                    progress.printf("demo: RESERVATIONS LEAKED: %d executor place(s) still held at the end%n",
                            reservations);
                }
                DemoSummary.Chaos chaos = DemoSummary.Chaos.NONE;
                if (faults.active()) {
                    Map<String, Long> injected = new LinkedHashMap<>();
                    api.faults().counts().forEach((kind, n) -> injected.put(kind.optionName(), n));
                    chaos = new DemoSummary.Chaos(true, faults.seed(), faults.describeRates(), injected);
                    progress.printf(Locale.ROOT, "demo: chaos: %d faults injected %s%n", chaos.total(), injected);
                }
                long elapsed = Duration.between(started, finished).toMillis();
                long leftReservedNode = executorsPlacedElsewhere(first)
                        + (replica != first ? executorsPlacedElsewhere(replica) : 0);
                int podsCreated = creation.plainPods().get() + spark.podsCreated();
                DemoSummary.Preemption preemption = kubeScheduler != null ? DemoSummary.Preemption.NONE
                        : PriorityMix.audit(client, namespace, replica.registry(),
                                Math.max(0, podsCreated - audit.bound() - audit.pending()), gangs.partial());
                DemoSummary.SparkGangs sparkGangs = new DemoSummary.SparkGangs(gangs.apps(), gangs.completed(),
                        gangs.waiting(), gangs.partial(), reservations, leftReservedNode);
                DemoSummary summary = new DemoSummary(nodes.size(), creation.plainPods().get() + spark.podsCreated(), audit.bound(),
                        audit.pending(), expectedUnschedulable, audit.capacityViolations(), pendingThatFit,
                        cacheMismatches, sparkGangs, elapsed, elapsed == 0 ? 0 : audit.bound() * 1000.0 / elapsed,
                        audit.pendingReasons(), numa, boundTwice.size(), chaos,
                        failover == null ? DemoSummary.Failover.NONE : failover.summary(), http,
                        kubeScheduler == null ? DemoSummary.Extender.NONE : new DemoSummary.Extender(true,
                                kubeScheduler.filterCalls(), kubeScheduler.prioritizeCalls(), kubeScheduler.bindCalls(),
                                kubeScheduler.bindErrors(), kubeScheduler.extenderFailures()), preemption);
                settled.settled(summary, replica.url());
                return summary;
            } finally {
                // Stop creating and watching before the API server goes: the mock can stall on a watch
                // closed mid-event.
                spark.close();
                kubelets.close();
                if (kubeScheduler != null) {
                    kubeScheduler.close();
                }
                first.close();
                if (failover != null) {
                    failover.close();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("demo interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the scheduler did not sync with the embedded API: " + e.getMessage(), e);
        }
    }

    /**
     * The demo's endpoints on loopback only: the demo's API and scheduler are for this machine. A
     * second replica (after a failover) takes a free port, since the first may still hold its own.
     */
    private static HttpServerSettings httpSettings(DemoOptions options, boolean secondReplica) {
        HttpConfig defaults = HttpConfig.defaults();
        return new HttpServerSettings(secondReplica ? 0 : options.httpPort(), "127.0.0.1", defaults.extenderPrefix(),
                null, null, defaults.maxBodyBytes());
    }

    private static String zonesText(NodeTopology topology) {
        StringBuilder text = new StringBuilder();
        topology.zones().forEach(z -> text.append(" zone ").append(z.id()).append(' ').append(new java.util.TreeMap<>(z.available())));
        return text.toString().trim();
    }

    /**
     * The replica's options in the demo: preemption on, as in {@code run}; the priority mix
     * ({@link PriorityMix}) preempts, and the summary counts the evicted pods (bound + pending +
     * evicted = created).
     */
    static KubeSchedulerOptions demoOptions(SchedulerSettings settings) {
        return KubeSchedulerOptions.singleReplica(settings).withPreemption(PreemptionSettings.defaults());
    }

    /** One thing to create: a plain pod, or a Spark application (SparkApplication and driver). */
    sealed interface Submission {
        record PlainPod(PodSpecTemplate template) implements Submission {
        }

        record Application(SparkApp app) implements Submission {
        }

        /** Pods made elsewhere (the priority mix's gangs), created one after another. */
        record Pods(List<io.fabric8.kubernetes.api.model.Pod> pods) implements Submission {
        }

        /** A NUMA pod, or a gang's members created one after another as a job controller does. */
        record NumaPods(List<NumaWorkload.NumaPod> pods) implements Submission {
        }
    }

    /**
     * The NUMA pods (each gang as one submission) spread evenly through {@code order}, so they compete
     * with the rest for the GPU nodes from the start.
     */
    static List<Submission> withNuma(List<Submission> order, List<NumaWorkload.NumaPod> numaPods) {
        List<Submission> units = new ArrayList<>();
        for (int i = 0; i < numaPods.size(); ) {
            NumaWorkload.NumaPod pod = numaPods.get(i);
            int end = i + 1;
            while (pod.gang() != null && end < numaPods.size() && pod.gang().equals(numaPods.get(end).gang())) {
                end++;
            }
            units.add(new Submission.NumaPods(List.copyOf(numaPods.subList(i, end))));
            i = end;
        }
        List<Submission> mixed = new ArrayList<>(order.size() + units.size());
        int next = 0;
        for (int i = 0; i <= order.size(); i++) {
            while (next < units.size() && (long) next * order.size() / units.size() <= i) {
                mixed.add(units.get(next++));
            }
            if (i < order.size()) {
                mixed.add(order.get(i));
            }
        }
        return mixed;
    }

    /** What the creation threads have done so far. */
    private record Creation(AtomicInteger plainPods, AtomicInteger apps) {
        int submissions() {
            return plainPods.get() + apps.get();
        }
    }

    /** The applications spread evenly through the pod stream, so they compete with it for room. */
    static List<Submission> interleave(List<PodSpecTemplate> pods, List<SparkApp> apps) {
        List<Submission> order = new ArrayList<>(pods.size() + apps.size());
        int nextApp = 0;
        for (int i = 0; i <= pods.size(); i++) {
            // Application j goes after (j + 1) / (apps + 1) of the pods.
            while (nextApp < apps.size() && (long) (nextApp + 1) * pods.size() / (apps.size() + 1) <= i) {
                order.add(new Submission.Application(apps.get(nextApp++)));
            }
            if (i < pods.size()) {
                order.add(new Submission.PlainPod(pods.get(i)));
            }
        }
        return order;
    }

    private static Creation create(KubernetesClient client, List<Submission> submissions, SparkOperatorSimulator spark,
                                   String schedulerName, PrintStream progress) {
        Creation creation = new Creation(new AtomicInteger(), new AtomicInteger());
        ExecutorService pool = Executors.newFixedThreadPool(CREATE_THREADS);
        try {
            for (Submission submission : submissions) {
                pool.execute(() -> {
                    try {
                        if (submission instanceof Submission.PlainPod plain) {
                            PodSpecTemplate template = plain.template();
                            client.pods().inNamespace(template.namespace())
                                    .resource(DemoObjects.pod(template, schedulerName)).create();
                            creation.plainPods().incrementAndGet();
                        } else if (submission instanceof Submission.Application application) {
                            spark.submit(application.app());
                            creation.apps().incrementAndGet();
                        } else if (submission instanceof Submission.Pods made) {
                            for (io.fabric8.kubernetes.api.model.Pod pod : made.pods()) {
                                client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).create();
                                creation.plainPods().incrementAndGet();
                            }
                        } else if (submission instanceof Submission.NumaPods numa) {
                            for (NumaWorkload.NumaPod pod : numa.pods()) {
                                client.pods().inNamespace(pod.namespace())
                                        .resource(DemoObjects.numaPod(pod, schedulerName)).create();
                                creation.plainPods().incrementAndGet();
                            }
                        }
                    } catch (RuntimeException e) {
                        progress.println("demo: creating " + name(submission) + " failed: " + e.getMessage());
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
                    progress.printf(Locale.ROOT, "demo: API created %d pods and submitted %d Spark applications in "
                                    + "%.1fs (%.0f pods/s)%n", creation.plainPods().get(), creation.apps().get(),
                            millis / 1000.0, creation.plainPods().get() * 1000.0 / millis);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "demo-creation-timer");
        timer.setDaemon(true);
        timer.start();
        // Creation goes on while the scheduler binds; awaitSettled watches both.
        return creation;
    }

    private static String name(Submission submission) {
        if (submission instanceof Submission.NumaPods numa) {
            return numa.pods().get(0).gang() != null ? "pod group " + numa.pods().get(0).gang() : numa.pods().get(0).name();
        }
        return submission instanceof Submission.PlainPod plain ? plain.template().name()
                : "Spark application " + ((Submission.Application) submission).app().name();
    }

    /**
     * Waits until everything was submitted and neither the scheduler nor the Spark drivers have
     * anything left to do: each pod is bound or waiting as unschedulable, every bound driver has
     * created its executors, no executor place is still reserved, and that stayed so for a moment
     * (a bind result, a retry or a driver's next look may be on its way). Reservations that outlive
     * every executor's creation by {@link #RESERVATION_PATIENCE} are reported, not waited for.
     */
    /**
     * The priority mix's second act: once the cluster has settled full, urgent gangs and an urgent
     * Spark application arrive, and the scheduler must make room by preemption; waits until it has
     * settled again. Returns the last bind.
     */
    private Instant urgentWork(PriorityMix mix, KubernetesClient client, KubeScheduler scheduler, BindLedger binds,
                               boolean countAppliedBinds, SparkOperatorSimulator spark, KubeletLoop kubelets,
                               Creation creation, int submittedBefore, boolean sparkStarted, Duration timeout,
                               PrintStream progress) throws InterruptedException {
        List<io.fabric8.kubernetes.api.model.Pod> urgent = mix.urgentPods();
        progress.printf("demo: priority mix: %d urgent gang(s) of %d and urgent Spark application %s arrive on the "
                + "full cluster%n", urgent.size() / PriorityMix.GANG_SIZE, PriorityMix.GANG_SIZE, PriorityMix.URGENT_SPARK);
        if (!sparkStarted) {
            spark.start(SparkOperatorSimulator.DEFAULT_POLL_INTERVAL);
        }
        Instant started = clock.instant();
        for (io.fabric8.kubernetes.api.model.Pod pod : urgent) {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).create();
            creation.plainPods().incrementAndGet();
        }
        spark.submit(mix.urgentSparkApp());
        creation.apps().incrementAndGet();
        return awaitSettled(scheduler, binds, countAppliedBinds, spark, kubelets, creation,
                submittedBefore + urgent.size() + 1, true, timeout, started, progress);
    }

    private Instant awaitSettled(KubeScheduler scheduler, BindLedger binds, boolean countAppliedBinds,
                                 SparkOperatorSimulator spark, KubeletLoop kubelets,
                                 Creation creation,
                                 int submissions, boolean withSpark, Duration timeout, Instant started,
                                 PrintStream progress) throws InterruptedException {
        Instant deadline = started.plus(timeout);
        Instant nextReport = started.plusSeconds(1);
        Instant quietSince = null;
        long looksWhenQuiet = 0;
        Instant reservedSince = null;
        Instant lastBind = started;
        long lastBound = -1;
        while (clock.instant().isBefore(deadline)) {
            Instant now = clock.instant();
            LoopStats stats = scheduler.stats();
            if (stats.scheduled() != lastBound) {
                lastBound = stats.scheduled();
                lastBind = now;
            }
            int podsCreated = creation.plainPods().get() + spark.podsCreated();
            // Under faults a bind may apply while its answer is lost (the loop then learns of the pod
            // from the informer, not as a bind of its own), and after a failover the old leader bound
            // some: count what the API applied.
            long bound = countAppliedBinds ? binds.applied() : stats.scheduled();
            boolean idle = creation.submissions() == submissions
                    && spark.executorsOwed() == 0
                    && bound + stats.pending() == podsCreated
                    && stats.pending() == stats.unschedulable()
                    && kubelets.idle();
            reservedSince = idle && stats.reservations() > 0 ? (reservedSince == null ? now : reservedSince) : null;
            boolean reservationsDone = stats.reservations() == 0
                    || reservedSince != null && Duration.between(reservedSince, now).compareTo(RESERVATION_PATIENCE) >= 0;
            if (idle && reservationsDone) {
                if (quietSince == null) {
                    quietSince = now;
                    looksWhenQuiet = spark.looks();
                }
                // Two looks: one that started after the quiet began has seen every driver bound before it.
                boolean driversSeen = !withSpark || spark.looks() >= looksWhenQuiet + 2;
                if (Duration.between(quietSince, now).compareTo(SETTLE_QUIET) >= 0 && driversSeen) {
                    if (stats.reservations() > 0) {
                        progress.printf("demo: %d executor place(s) still reserved %s after every executor was "
                                + "created%n", stats.reservations(), RESERVATION_PATIENCE);
                    }
                    return lastBind;
                }
            } else {
                quietSince = null;
            }
            if (!now.isBefore(nextReport)) {
                progress.printf(Locale.ROOT, "demo: %5.1fs  created %d (%d/%d submitted)  bound %d  waiting %d "
                                + "(unschedulable %d)%s%n",
                        Duration.between(started, now).toMillis() / 1000.0, podsCreated, creation.submissions(),
                        submissions, stats.scheduled(), stats.pending(), stats.unschedulable(), !withSpark ? ""
                                : String.format(Locale.ROOT, "  spark: %d drivers bound, %d executors owed, %d reserved",
                                        spark.driversBound(), spark.executorsOwed(), stats.reservations()));
                nextReport = nextReport.plusSeconds(1);
            }
            Thread.sleep(50);
        }
        progress.printf("demo: timed out after %s before the scheduler settled%n", timeout);
        return clock.instant();
    }

    /**
     * {@link #awaitSettled} when a simulated kube-scheduler places the pods through the extender: the
     * loop schedules nothing, so the simulator and the API are read instead. Settled when everything
     * was submitted, every bound driver created its executors, no bind call is under way (a gang
     * member's may be held), the API's binds plus the pods still waiting equal the pods created, the
     * kubelets are idle, no executor place is reserved (or {@link #RESERVATION_PATIENCE} passed), and,
     * after {@link #SETTLE_QUIET} of that, every waiting pod has failed an attempt since the quiet
     * began: kube-scheduler has retried each one (its backoff is at most 10 s) on the final state.
     */
    private Instant awaitSettledAsExtender(KubeScheduler scheduler, SimulatedKubeScheduler kubeScheduler,
                                           BindLedger binds, SparkOperatorSimulator spark, KubeletLoop kubelets,
                                           Creation creation, int submissions, boolean withSpark, Duration timeout,
                                           Instant started, PrintStream progress) throws InterruptedException {
        Instant deadline = started.plus(timeout);
        Instant nextReport = started.plusSeconds(1);
        Instant quietSince = null;
        long looksWhenQuiet = 0;
        Instant reservedSince = null;
        Instant lastBind = started;
        long lastBound = -1;
        while (clock.instant().isBefore(deadline)) {
            Instant now = clock.instant();
            long bound = binds.applied();
            if (bound != lastBound) {
                lastBound = bound;
                lastBind = now;
            }
            int reservations = scheduler.stats().reservations();
            int podsCreated = creation.plainPods().get() + spark.podsCreated();
            int waiting = kubeScheduler.waitingPods();
            boolean idle = creation.submissions() == submissions
                    && spark.executorsOwed() == 0
                    && !kubeScheduler.binding()
                    && bound + waiting == podsCreated
                    && kubelets.idle();
            reservedSince = idle && reservations > 0 ? (reservedSince == null ? now : reservedSince) : null;
            boolean reservationsDone = reservations == 0
                    || reservedSince != null && Duration.between(reservedSince, now).compareTo(RESERVATION_PATIENCE) >= 0;
            if (idle && reservationsDone) {
                if (quietSince == null) {
                    quietSince = now;
                    looksWhenQuiet = spark.looks();
                }
                boolean driversSeen = !withSpark || spark.looks() >= looksWhenQuiet + 2;
                if (Duration.between(quietSince, now).compareTo(SETTLE_QUIET) >= 0 && driversSeen
                        && kubeScheduler.everyWaitingPodFailedSince(quietSince)) {
                    if (reservations > 0) {
                        progress.printf("demo: %d executor place(s) still reserved %s after every executor was "
                                + "created%n", reservations, RESERVATION_PATIENCE);
                    }
                    return lastBind;
                }
            } else {
                quietSince = null;
            }
            if (!now.isBefore(nextReport)) {
                progress.printf(Locale.ROOT, "demo: %5.1fs  created %d (%d/%d submitted)  bound %d  waiting %d  "
                                + "kube-scheduler: %d filter, %d bind calls (%d refused)%s%n",
                        Duration.between(started, now).toMillis() / 1000.0, podsCreated, creation.submissions(),
                        submissions, bound, waiting, kubeScheduler.filterCalls(), kubeScheduler.bindCalls(),
                        kubeScheduler.bindErrors(), !withSpark ? ""
                                : String.format(Locale.ROOT, "  spark: %d drivers bound, %d executors owed, %d reserved",
                                        spark.driversBound(), spark.executorsOwed(), reservations));
                nextReport = nextReport.plusSeconds(1);
            }
            Thread.sleep(50);
        }
        progress.printf("demo: timed out after %s before kube-scheduler and the extender settled%n", timeout);
        return clock.instant();
    }

    /**
     * The API's state once every pending pod says why it waits, or after {@link #REPORT_PATIENCE}:
     * the scheduler writes the PodScheduled condition off its loop, queued behind its Events, so the
     * last pods tried may still lack it when the scheduler has settled.
     */
    private ApiAudit auditOnceReported(KubernetesClient client, String namespace, PrintStream progress)
            throws InterruptedException {
        Instant start = clock.instant();
        Instant deadline = start.plus(REPORT_PATIENCE);
        ApiAudit audit = ApiAudit.of(client, namespace);
        int unreported = audit.unreported().size();
        while (!audit.unreported().isEmpty() && clock.instant().isBefore(deadline)) {
            Thread.sleep(100);
            audit = ApiAudit.of(client, namespace);
        }
        if (unreported > 0) {
            progress.printf(Locale.ROOT, "demo: waited %.1fs for the scheduler's reasons on %d pending pod(s)%n",
                    Duration.between(start, clock.instant()).toMillis() / 1000.0, unreported);
        }
        return audit;
    }

    /** Executors a replica bound away from their group's places because none would take them. */
    private static long executorsPlacedElsewhere(SchedulerReplica replica) {
        io.micrometer.core.instrument.Counter counter = replica.registry().find("kubenexus.executors.placed")
                .tag("place", "elsewhere").counter();
        return counter == null ? 0 : Math.round(counter.count());
    }
}
