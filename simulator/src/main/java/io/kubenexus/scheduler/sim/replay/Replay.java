package io.kubenexus.scheduler.sim.replay;

import io.kubenexus.scheduler.gang.lifecycle.GangPlugin;
import io.kubenexus.scheduler.core.config.ScoringStrategy;
import io.kubenexus.scheduler.core.framework.ClusterEventType;
import io.kubenexus.scheduler.gang.group.ExecutorTemplate;
import io.kubenexus.scheduler.core.loop.SchedulingLoop;
import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.model.ResourceNames;
import io.kubenexus.scheduler.gang.GangLabels;
import io.kubenexus.scheduler.numa.NodeTopology;
import io.kubenexus.scheduler.numa.NumaRequest;
import io.kubenexus.scheduler.numa.NumaZones;
import io.kubenexus.scheduler.numa.TopologySource;
import io.kubenexus.scheduler.sim.model.SimCluster;
import io.kubenexus.scheduler.sim.model.SimTask;
import io.kubenexus.scheduler.sim.policy.Policy;
import io.kubenexus.scheduler.sim.report.PolicyResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One policy's replay of a {@link ReplayPlan} on a cluster, in virtual time, on the calling thread:
 * the real {@link SchedulingLoop} (built by {@link SimulatedScheduler}) is driven with
 * {@link SchedulingLoop#runUntilIdle()} after each arrival or departure, with an {@link InstantBinder}
 * and a {@link VirtualClock} the replay moves from event to event.
 *
 * <p>Between two events the clock visits the loop's own wake-ups (backoffs ending, binds due again)
 * for at most {@link #settleWindow} after the earlier event: everything an event can cause happens
 * within the longest backoff. Later wake-ups (an unschedulable pod's periodic retry, which can change
 * nothing in a simulation that misses no event; reservation TTLs; gang timeouts) are taken when the
 * clock jumps to the next event.
 */
public final class Replay {
    /** Samples kept for the report's charts (about; the trace replay samples every so many events). */
    static final int SAMPLES = 200;

    private final Policy policy;
    private final SimCluster cluster;
    private final ReplayPlan plan;
    private final VirtualClock clock = new VirtualClock(Instant.EPOCH);
    private final Ledger ledger;
    private final InstantBinder binder;
    private final DecisionLog log = new DecisionLog();
    private final SchedulingLoop loop;
    private final Duration settleWindow;
    /** Drivers' executors, created when the driver binds. */
    private final Map<PodKey, SimTask> tasksByKey = new HashMap<>();
    private final Map<PodKey, PodKey> followerOf = new HashMap<>();
    private final Set<PodKey> everBound = new HashSet<>();
    /** The node each pod was bound to (its last bind), for tests and comparisons. */
    private final Map<PodKey, String> boundNodes = new LinkedHashMap<>();
    private final List<PolicyResult.Sample> samples = new ArrayList<>();
    private Double firstFailureAt;
    private Long unallocatedAtFirstFailure;
    private long arrivedGpus;
    /** Trace: the fewest GPUs left unallocated after any event (the peak of allocation). */
    private long leastUnallocated = Long.MAX_VALUE;
    private int arrivedTasks;
    private int boundTasks;

    public Replay(Policy policy, SimCluster cluster, ReplayPlan plan) {
        this.policy = policy;
        this.cluster = cluster;
        this.plan = plan;
        this.ledger = new Ledger(cluster);
        this.binder = new InstantBinder(ledger);
        VirtualEvictor evictor = new VirtualEvictor(ledger);
        this.loop = SimulatedScheduler.loop(policy, binder, evictor, log, log, clock);
        evictor.attach(loop);
        this.settleWindow = policy.settings().podMaxBackoff().multipliedBy(2);
        binder.attach(loop);
    }

    public PolicyResult run() {
        long start = System.nanoTime();
        try {
            setUp();
            if (plan.mode() == ReplayPlan.ReplayMode.INFLATE) {
                inflate();
            } else {
                trace();
            }
            return result((System.nanoTime() - start) / 1e9);
        } finally {
            loop.close();
        }
    }

    /** Where each pod that was bound during {@link #run()} went, in bind order. */
    public Map<PodKey, String> boundNodes() {
        return java.util.Collections.unmodifiableMap(boundNodes);
    }

    private void setUp() {
        for (NodeInfo node : cluster.nodes()) {
            loop.onNodeUpserted(node);
        }
        for (Map.Entry<String, NodeTopology> topology : cluster.topologies().entrySet()) {
            loop.onStateUpdate(ClusterEventType.NODE_TOPOLOGY_CHANGED, state -> {
                NumaZones zones = state.extension(NumaZones.class);
                if (zones != null) {
                    zones.setTopology(topology.getKey(), topology.getValue(), null, TopologySource.NODE_ANNOTATION);
                }
            });
        }
        for (Map.Entry<String, ExecutorTemplate> template : plan.executorTemplates().entrySet()) {
            int slash = template.getKey().indexOf('/');
            GangPlugin.of(loop).onExecutorTemplate(template.getKey().substring(0, slash), template.getKey().substring(slash + 1),
                    template.getValue());
        }
        for (SimTask task : plan.arrivals()) {
            tasksByKey.put(task.pod().key(), task);
        }
        loop.onCachesSynced();
        loop.onLeadershipChanged(true);
        loop.runUntilIdle();
    }

    // ------------------------------------------------------------------ inflate

    private void inflate() {
        int nextStep = 1;
        for (SimTask task : plan.arrivals()) {
            arrive(task.pod(), task.gpus());
            settle();
            if (!ledger.isBound(task.pod().key()) && firstFailureAt == null) {
                firstFailureAt = (double) arrivedGpus / ledger.gpuTotal;
                unallocatedAtFirstFailure = ledger.gpuTotal - ledger.allocatedGpus();
            }
            while (arrivedGpus * SAMPLES >= (long) nextStep * plan.gpuTarget() && nextStep <= SAMPLES) {
                sample((double) arrivedGpus / ledger.gpuTotal);
                nextStep++;
            }
        }
    }

    // ------------------------------------------------------------------ trace

    private record Event(long seconds, int order, SimTask task, boolean arrival) {
    }

    private void trace() {
        List<Event> events = new ArrayList<>();
        for (SimTask task : plan.arrivals()) {
            events.add(new Event(task.arrivalSeconds(), 1, task, true));
            if (task.departureSeconds() != SimTask.NEVER) {
                // Departures free room before arrivals at the same second; a task that leaves the
                // second it came is tried first.
                boolean instant = task.departureSeconds() == task.arrivalSeconds();
                events.add(new Event(task.departureSeconds(), instant ? 2 : 0, task, false));
            }
        }
        events.sort(Comparator.comparingLong(Event::seconds).thenComparingInt(Event::order));
        int every = Math.max(1, events.size() / SAMPLES);
        int index = 0;
        for (Event event : events) {
            advanceTo(Instant.EPOCH.plusSeconds(event.seconds()));
            if (event.arrival()) {
                arrive(event.task().pod(), event.task().gpus());
                settle();
                if (!ledger.isBound(event.task().pod().key()) && firstFailureAt == null) {
                    firstFailureAt = (double) event.seconds();
                    unallocatedAtFirstFailure = ledger.gpuTotal - ledger.allocatedGpus();
                }
            } else {
                depart(event.task());
                settle();
            }
            leastUnallocated = Math.min(leastUnallocated, ledger.gpuTotal - ledger.allocatedGpus());
            if (++index % every == 0) {
                sample(event.seconds());
            }
        }
        // Whatever still waits gets its periodic retry and any backoff once more.
        advanceTo(clock.instant().plus(policy.settings().podMaxInUnschedulablePods())
                .plus(policy.settings().podMaxBackoff()));
        settle();
        sample(clock.instant().getEpochSecond());
    }

    private void advanceTo(Instant target) {
        Instant limit = clock.instant().plus(settleWindow);
        if (target.isBefore(limit)) {
            limit = target;
        }
        for (int visits = 0; visits < 10_000; visits++) {
            Instant wake = loop.nextWakeUp();
            if (wake == null || !wake.isBefore(limit)) {
                break;
            }
            clock.advanceTo(wake.isAfter(clock.instant()) ? wake : clock.instant().plusMillis(1));
            settle();
        }
        clock.advanceTo(target);
    }

    private void depart(SimTask task) {
        List<PodKey> leaving = new ArrayList<>();
        leaving.add(task.pod().key());
        for (PodInfo follower : task.followers()) {
            leaving.add(follower.key());
        }
        // A pod that leaves before it was ever bound stays counted as failed (never in everBound).
        for (PodKey key : leaving) {
            ledger.departed(key);
            loop.onPodRemoved(key);
        }
    }

    // ------------------------------------------------------------------ both

    private void arrive(PodInfo pod, long gpus) {
        if (tasksByKey.containsKey(pod.key())) {
            arrivedTasks++;
        }
        arrivedGpus += gpus;
        loop.onPodUpserted(pod.withNodeName(null));
    }

    /** Runs the loop until it is idle, creating the executors of drivers it bound (spark-operator's way). */
    private void settle() {
        loop.runUntilIdle();
        List<PodInfo> bound;
        while (!(bound = binder.drainNewlyBound()).isEmpty()) {
            boolean more = false;
            for (PodInfo pod : bound) {
                if (everBound.add(pod.key()) && tasksByKey.containsKey(pod.key())) {
                    boundTasks++;
                }
                boundNodes.put(pod.key(), pod.nodeName());
                SimTask task = tasksByKey.get(pod.key());
                if (task != null) {
                    for (PodInfo follower : task.followers()) {
                        followerOf.put(follower.key(), pod.key());
                        arrive(ReplayPlan.renamed(follower, follower.key(), clock.instant()),
                                follower.requests().get(ResourceNames.NVIDIA_GPU));
                        more = true;
                    }
                }
            }
            if (more) {
                loop.runUntilIdle();
            }
        }
    }

    private void sample(double x) {
        samples.add(new PolicyResult.Sample(x, ledger.gpuShare(), ledger.cpuShare(), ledger.memoryShare(),
                failedSoFar()));
    }

    /** Tasks of the plan that arrived and have not been bound (yet): counted as they happen. */
    private int failedSoFar() {
        return arrivedTasks - boundTasks;
    }

    private PolicyResult result(double wallSeconds) {
        List<PodKey> failed = new ArrayList<>();
        List<PodKey> all = new ArrayList<>();
        for (SimTask task : plan.arrivals()) {
            all.add(task.pod().key());
            for (PodInfo follower : task.followers()) {
                if (followerOf.containsKey(follower.key())) {
                    all.add(follower.key());
                }
            }
        }
        Map<String, Integer> reasons = new TreeMap<>();
        for (PodKey key : all) {
            if (!everBound.contains(key)) {
                failed.add(key);
                reasons.merge(log.reason(key), 1, Integer::sum);
            }
        }
        // Inflate: at the end of arrivals (the target demand). Trace: when a task first fit nowhere,
        // else at the peak of allocation (at the end everything has departed).
        long unallocated;
        if (plan.mode() == ReplayPlan.ReplayMode.INFLATE) {
            unallocated = ledger.gpuTotal - ledger.allocatedGpus();
        } else if (unallocatedAtFirstFailure != null) {
            unallocated = unallocatedAtFirstFailure;
        } else {
            unallocated = Math.min(leastUnallocated, ledger.gpuTotal - ledger.allocatedGpus());
        }
        return new PolicyResult(policy.name(), describe(), ledger.gpuTotal, unallocated,
                ledger.gpuTotal == 0 ? 0 : (double) unallocated / ledger.gpuTotal, all.size(), all.size() - failed.size(),
                failed.size(), reasons, firstFailureAt, unallocatedAtFirstFailure, arrivedGpus, samples, gangs(), numa(),
                log.attempts, wallSeconds);
    }

    private Map<String, String> describe() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("scoring.strategy", policy.settings().scoringStrategy() == ScoringStrategy.MOST_ALLOCATED
                ? "MostAllocated" : "LeastAllocated");
        out.put("scoring.resourceWeights", new TreeMap<>(policy.settings().resourceWeights()).toString());
        out.put("scoring.pluginWeights", new TreeMap<>(policy.settings().pluginWeights()).toString());
        out.put("numa.enabled", Boolean.toString(policy.numa().enabled()));
        if (policy.extraScore() != null) {
            out.put("extraScore", policy.name());
        }
        return out;
    }

    private PolicyResult.Gangs gangs() {
        Map<String, Integer> minimum = new HashMap<>();
        Map<String, Integer> bound = new HashMap<>();
        List<PodInfo> pods = new ArrayList<>();
        for (SimTask task : plan.arrivals()) {
            pods.add(task.pod());
            pods.addAll(task.followers());
        }
        for (PodInfo pod : pods) {
            String name = pod.labels().get(GangLabels.NAME);
            if (name == null) {
                continue;
            }
            String id = pod.key().namespace() + "/" + name;
            int min = parseMin(pod.labels().get(GangLabels.MIN_AVAILABLE));
            minimum.merge(id, min, Math::max);
            if (everBound.contains(pod.key())) {
                bound.merge(id, 1, Integer::sum);
            }
        }
        int complete = 0;
        int partial = 0;
        for (Map.Entry<String, Integer> gang : minimum.entrySet()) {
            int members = bound.getOrDefault(gang.getKey(), 0);
            if (members >= gang.getValue()) {
                complete++;
            } else if (members > 0) {
                partial++;
            }
        }
        double mean = log.gangsPlaced == 0 ? 0 : log.gangWaitNanosTotal / 1e9 / log.gangsPlaced;
        return new PolicyResult.Gangs(minimum.size(), complete, partial, log.gangsPlaced, mean,
                log.gangWaitNanosMax / 1e9, log.gangsTimedOut);
    }

    private static int parseMin(String value) {
        try {
            return value == null ? 1 : Math.max(1, Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private PolicyResult.Numa numa() {
        int pods = 0;
        int bound = 0;
        int aligned = 0;
        for (SimTask task : plan.arrivals()) {
            if (!task.pod().annotations().containsKey(NumaRequest.POLICY_ANNOTATION)) {
                continue;
            }
            pods++;
            if (everBound.contains(task.pod().key())) {
                bound++;
                String placement = log.placement(task.pod().key());
                if (placement != null && placement.contains("NUMA")) {
                    aligned++;
                }
            }
        }
        return new PolicyResult.Numa(pods, bound, aligned);
    }
}
