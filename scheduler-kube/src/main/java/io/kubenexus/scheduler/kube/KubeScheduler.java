package io.kubenexus.scheduler.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubenexus.scheduler.core.loop.LoopStats;
import io.kubenexus.scheduler.core.loop.SchedulingLoop;
import io.kubenexus.scheduler.gang.lifecycle.GangPlugin;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.ports.Binder;
import io.kubenexus.scheduler.core.ports.SchedulerMetrics;
import io.kubenexus.scheduler.core.query.SchedulerQueries;
import io.kubenexus.scheduler.core.state.ClusterView;
import io.kubenexus.scheduler.gang.GangLabels;
import io.kubenexus.scheduler.gang.GangPlanner;
import io.kubenexus.scheduler.kube.binding.KubernetesBinder;
import io.kubenexus.scheduler.kube.events.KubernetesEventSink;
import io.kubenexus.scheduler.kube.groups.GroupSourceInformers;
import io.kubenexus.scheduler.kube.groups.KubernetesPodGroupConditions;
import io.kubenexus.scheduler.kube.groups.WorkloadApiDiscovery;
import io.kubenexus.scheduler.kube.groups.PodGroupStatusUpdater;
import io.kubenexus.scheduler.kube.groups.PodGroupTranslator;
import io.kubenexus.scheduler.kube.groups.SparkApplicationTranslator;
import io.kubenexus.scheduler.kube.informers.ClusterInformers;
import io.kubenexus.scheduler.kube.leader.Leadership;
import io.kubenexus.scheduler.kube.leader.LeaseLeadership;
import io.kubenexus.scheduler.kube.preemption.DisruptionBudgetInformer;
import io.kubenexus.scheduler.kube.preemption.KubernetesEvictor;
import io.kubenexus.scheduler.kube.topology.NodeTopologyEvents;
import io.kubenexus.scheduler.kube.topology.TopologyInformers;
import io.kubenexus.scheduler.kube.translate.NodeTranslator;
import io.kubenexus.scheduler.kube.translate.PodTranslator;
import io.kubenexus.scheduler.numa.NumaPlugins;
import io.kubenexus.scheduler.numa.NumaZones;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * One scheduler replica against a Kubernetes API, wired by plain constructors: informers feed the
 * scheduling loop; the loop binds through the pods' binding subresource and reports through
 * Events and the PodScheduled condition; a Lease decides which replica may bind. PodGroups and
 * SparkApplications, where their CRDs are installed, size the groups; the leader keeps
 * scheduler-plugins PodGroups' status current. With NUMA placement on, every node's topology
 * (NodeResourceTopology objects, node annotations) feeds the loop's {@link NumaZones}. Every API
 * call it makes is declared in {@link ApiAccess#REQUIRED}; {@link #start()} checks them against
 * the API server's RBAC and warns about what is missing.
 *
 * <p>The same class runs in production ({@code run}), in the demo against the embedded API, and in
 * the integration tests.
 */
public final class KubeScheduler implements AutoCloseable {
    private static final Duration BUDGETS_SYNC_TIMEOUT = Duration.ofSeconds(5);
    private final KubernetesClient client;
    private final KubeSchedulerOptions options;
    private final ExecutorService bindPool;
    private final ExecutorService eventPool;
    private final ScheduledExecutorService eventFlusher;
    private final KubernetesEventSink events;
    private final SchedulingLoop loop;
    private final ClusterInformers informers;
    private final DisruptionBudgetInformer disruptionBudgets;
    private final ExecutorService podGroupStatusPool;
    private final PodGroupStatusUpdater podGroupStatus;
    private final KubernetesPodGroupConditions kubernetesPodGroupConditions;
    private final GroupSourceInformers groupSources;
    /** Null when NUMA placement is off. */
    private final TopologyInformers topologySources;
    private final LeaseLeadership leadership;
    /** Guards starting the core informers (after the group sources) against a concurrent close. */
    private final Object lifecycle = new Object();
    private boolean closed;

    public KubeScheduler(KubernetesClient client, KubeSchedulerOptions options, Clock clock) {
        this(client, options, clock, SchedulerMetrics.NONE);
    }

    public KubeScheduler(KubernetesClient client, KubeSchedulerOptions options, Clock clock, SchedulerMetrics metrics) {
        this(client, options, clock, metrics, UnaryOperator.identity());
    }

    /**
     * @param binderDecorator wraps the Kubernetes binder; tests use it to provoke races (e.g. a
     *                        competitor binding a pod first), production passes identity
     */
    KubeScheduler(KubernetesClient client, KubeSchedulerOptions options, Clock clock, SchedulerMetrics metrics,
                  UnaryOperator<Binder> binderDecorator) {
        this.client = client;
        this.options = options;
        this.bindPool = Executors.newFixedThreadPool(options.bindParallelism(), daemonThreads("kubenexus-bind"));
        this.eventPool = Executors.newFixedThreadPool(2, daemonThreads("kubenexus-events"));
        this.eventFlusher = Executors.newSingleThreadScheduledExecutor(daemonThreads("kubenexus-event-flush"));
        this.events = new KubernetesEventSink(client, options.scheduling().schedulerName(), options.identity(),
                eventPool, eventFlusher, options.eventAggregationInterval(), clock);
        SchedulingProfile.Factory profiles = NumaPlugins.profiles(options.numa());
        // The binder needs the Lease's owner (its gate) before the loop exists; the owner calls
        // back only after start(), when every field is set.
        this.podGroupStatusPool = Executors.newSingleThreadExecutor(daemonThreads("kubenexus-podgroup-status"));
        this.podGroupStatus = new PodGroupStatusUpdater(client, options.scheduling().schedulerName(),
                new PodGroupTranslator(), podGroupStatusPool, clock);
        // Sees the loop's outcomes for members of Kubernetes' PodGroups on their way to the event sink.
        this.kubernetesPodGroupConditions = new KubernetesPodGroupConditions(client, events, new PodGroupTranslator(),
                podGroupStatusPool, clock);
        this.leadership = new LeaseLeadership(client, options.leaderElection(), this::leadershipChanged, clock);
        this.loop = GangPlugin.newLoop(options.scheduling(), profiles.create(options.scheduling()),
                new GangLabels(), GangPlanner.packing(options.scheduling(), profiles), options.gang(),
                binderDecorator.apply(new KubernetesBinder(client, bindPool, leadership)), kubernetesPodGroupConditions,
                metrics, clock);
        // Evictions and nominations share the bind pool and its leadership gate.
        loop.usePreemption(new KubernetesEvictor(client, bindPool, leadership), options.preemption());
        this.disruptionBudgets = new DisruptionBudgetInformer(client, loop);
        this.informers = new ClusterInformers(client, loop,
                new PodTranslator(options.scheduling().schedulerName()), new NodeTranslator());
        if (options.numa().enabled()) {
            loop.addStateExtension(new NumaZones(options.numa()));
            this.topologySources = new TopologyInformers(client, loop, new NodeTopologyEvents(client,
                    options.scheduling().schedulerName(), options.identity(), eventPool, clock));
            informers.addNodeListener(topologySources.nodeHandler());
        } else {
            this.topologySources = null;
        }
        WorkloadApiDiscovery discovery = new WorkloadApiDiscovery(client);
        this.groupSources = new GroupSourceInformers(client, loop, new PodGroupTranslator(),
                new SparkApplicationTranslator(), GroupSourceInformers.DEFAULT_SYNC_TIMEOUT,
                GroupSourceInformers.DEFAULT_ABSENT_RECHECK, () -> discovery.discover().podGroups());
        groupSources.addSchedulerPluginsPodGroupHandler(podGroupStatus.podGroupHandler());
        groupSources.addKubernetesPodGroupHandler(kubernetesPodGroupConditions.podGroupHandler());
    }

    private void leadershipChanged(boolean leading) {
        podGroupStatus.setLeader(leading);
        kubernetesPodGroupConditions.setLeader(leading);
        loop.onLeadershipChanged(leading);
    }

    /**
     * Starts the loop, the informers and leader election; returns when the caches have synced.
     * The group sources (PodGroups, SparkApplications) and, with NUMA on, the NodeResourceTopology
     * objects sync first, within their own short timeouts, so the loop knows every group's policy
     * and every node's topology before the pods' sync barrier lets it decide.
     */
    public CompletionStage<Void> start() {
        // Advisory, and one API call per rule and verb: on a thread of its own, never in the way.
        daemonThreads("kubenexus-access-check").newThread(new ApiAccessCheck(client)::run).start();
        loop.start();
        podGroupStatus.start();
        // Budgets sync before the first decision so preemption knows them, but within a bound: they
        // only order preemption's preferences, and a cluster that refuses the list (RBAC) must not
        // keep the scheduler from syncing.
        CompletableFuture<Void> budgets = disruptionBudgets.start().toCompletableFuture()
                .completeOnTimeout(null, BUDGETS_SYNC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        CompletionStage<Void> optionalSources = (topologySources == null ? groupSources.start()
                : groupSources.start().thenCombine(topologySources.start(), (a, b) -> (Void) null))
                .thenCombine(budgets, (a, b) -> null);
        CompletionStage<Void> synced = optionalSources.thenCompose(ignored -> {
            synchronized (lifecycle) {
                return closed ? CompletableFuture.<Void>completedFuture(null) : informers.start();
            }
        });
        leadership.start();
        return synced;
    }

    /**
     * Where this replica stands in leader election (leading, standing by, stopped), since when, and
     * how many times it lost the Lease; what a readiness probe reports.
     */
    public Leadership leadership() {
        return leadership.leadership();
    }

    /**
     * Completes with the reason when this replica has stopped scheduling for good and the process
     * should exit non-zero: a lost Lease with {@code leaderElection.onLostLease: exit}. Never
     * completes otherwise (a lost Lease with the default policy is followed by standing by).
     */
    public CompletionStage<String> exitRequested() {
        return leadership.exitRequested();
    }

    /** How long ago the scheduling loop last began an iteration or a wait; what a liveness probe reads. */
    public Duration sinceLoopHeartbeat() {
        return Duration.ofNanos(Math.max(0, System.nanoTime() - loop.heartbeatNanos()));
    }

    public LoopStats stats() {
        return loop.stats();
    }

    /** Questions for the scheduling loop: the extender's verbs and the debug pages (answered on the loop thread). */
    public SchedulerQueries queries() {
        return loop;
    }

    /** The last published read view of the cluster. */
    public ClusterView view() {
        return loop.view();
    }

    public KubeSchedulerOptions options() {
        return options;
    }

    /**
     * Where nodes' NUMA topology comes from (NodeResourceTopology objects, node annotations), for
     * diagnostics and tests; null when NUMA placement is off.
     */
    public TopologyInformers topologySources() {
        return topologySources;
    }

    /**
     * Stops in the order that loses nothing: give up the Lease (a standby takes over at once), stop
     * watching, stop deciding, then let in-flight binds and event writes finish briefly.
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            closed = true;
        }
        leadership.close();
        groupSources.close();
        if (topologySources != null) {
            topologySources.close();
        }
        podGroupStatus.close();
        kubernetesPodGroupConditions.close();
        podGroupStatusPool.shutdown();
        disruptionBudgets.close();
        informers.close();
        loop.close();
        bindPool.shutdown();
        eventFlusher.shutdown();
        events.close();
        eventPool.shutdown();
        try {
            bindPool.awaitTermination(5, TimeUnit.SECONDS);
            eventPool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    KubernetesClient client() {
        return client;
    }
}
