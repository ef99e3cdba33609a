package io.kubenexus.scheduler.bench.soak;

import io.kubenexus.scheduler.gang.group.ExecutorTemplate;
import io.kubenexus.scheduler.core.loop.SchedulingLoop;
import io.kubenexus.scheduler.gang.lifecycle.GangPlugin;
import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.model.PodPhase;
import io.kubenexus.scheduler.core.model.ResourceList;
import io.kubenexus.scheduler.core.model.ResourceNames;
import io.kubenexus.scheduler.core.ports.BindOutcome;
import io.kubenexus.scheduler.core.ports.BindResult;
import io.kubenexus.scheduler.core.ports.Binder;
import io.kubenexus.scheduler.core.ports.EventSink;
import io.kubenexus.scheduler.sim.synthetic.SyntheticCluster;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cluster around the loop, in process: what the API server, the kubelets, the pod garbage
 * collector, Spark and the pods' owners would do, told to the loop the way the informers tell it.
 * It is the in-process {@link Binder} (a bind completes on this cluster's own thread, then the pod
 * comes back assigned and Running, as a watch would bring it) and the {@link EventSink} (it keeps
 * the last reason the scheduler gave each pending pod).
 *
 * <p>Every pod's fate is kept: at the end each created pod is running, finished, deleted with its
 * node, given up by its owner, or pending; a pending pod (or one its owner gave up on) without a
 * reason from the scheduler is lost.
 *
 * <p>Thread model: all state is owned by one thread ({@code api}); {@link #bind} and the sink
 * methods only hand work to it.
 */
final class SimulatedCluster implements Binder, EventSink {
    /** Where a created pod ended up. */
    enum Fate {
        FINISHED, DELETED_WITH_NODE, DELETED_WITH_APPLICATION, GAVE_UP_WITH_REASON,
        /**
         * Deleted pending, without a reason, soon after its creation (an executor whose driver ended
         * a moment after creating it): not yet tried. Soon: {@link #ATTEMPT_GRACE_NANOS}, or half the
         * owners' patience if that is shorter, so a pod never tried is still given up on as lost.
         */
        DELETED_BEFORE_ATTEMPT,
        /** Deleted pending after waiting longer than that and never told why: lost. */
        GAVE_UP_WITHOUT_REASON
    }

    /** A pending pod is expected to have been tried (placed, or told why not) this soon after creation. */
    static final long ATTEMPT_GRACE_NANOS = TimeUnit.SECONDS.toNanos(10);
    private final long attemptGraceNanos;

    private static final long EXECUTOR_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(300);

    private final ScheduledExecutorService api;
    private SchedulingLoop loop;
    private final SoakOptions options;
    private final SoakWorkload workload;
    private final Clock clock;
    private final SplittableRandom churnRandom;

    // ---- owned by the api thread
    private final Map<String, NodeInfo> nodes = new HashMap<>();
    private final List<String> nodeNames = new ArrayList<>();
    private final Map<String, Integer> nodeSlot = new HashMap<>();
    private final Map<PodKey, SimPod> pods = new HashMap<>();
    private final Map<String, Set<PodKey>> podsByNode = new HashMap<>();
    /** Pending pods in creation order: the head is the first its owner gives up on. */
    private final LinkedHashMap<PodKey, SimPod> pending = new LinkedHashMap<>();
    private final ArrayDeque<SimPod> runningOrder = new ArrayDeque<>();
    private final PriorityQueue<Due> finishes = new PriorityQueue<>();
    private final PriorityQueue<Due> executorCreations = new PriorityQueue<>();
    private final Map<String, SparkApp> apps = new HashMap<>();
    private final Map<String, Gang> gangs = new HashMap<>();
    private final EnumMap<Fate, Long> fates = new EnumMap<>(Fate.class);
    private long arrivals;
    private long replacedNodes;
    private long nextChurnNanos;
    private long startNanos;
    private boolean arriving;
    private int runningSoakPods;

    // ---- read by any thread
    private final AtomicLong created = new AtomicLong();
    private final AtomicLong bound = new AtomicLong();
    private final AtomicLong doubleBinds = new AtomicLong();
    private final AtomicLong bindsToGoneNodes = new AtomicLong();
    private final AtomicLong bindsOfGonePods = new AtomicLong();
    private final AtomicLong unschedulableEvents = new AtomicLong();
    private final AtomicInteger bindsInFlight = new AtomicInteger();
    private final AtomicLong errors = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicReference<RuntimeException> firstError =
            new java.util.concurrent.atomic.AtomicReference<>();

    SimulatedCluster(ScheduledExecutorService api, SoakOptions options, SoakWorkload workload, Clock clock) {
        this.api = api;
        this.options = options;
        this.workload = workload;
        this.clock = clock;
        this.churnRandom = new SplittableRandom(options.seed() * 31 + 7);
        this.attemptGraceNanos = Math.min(ATTEMPT_GRACE_NANOS, options.patience().toNanos() / 2);
        for (Fate fate : Fate.values()) {
            fates.put(fate, 0L);
        }
    }

    // ------------------------------------------------------------------ set-up (api thread)

    /** The loop this cluster informs (the loop needs this cluster as its binder first). */
    void connect(SchedulingLoop schedulingLoop) {
        this.loop = schedulingLoop;
    }

    /** The cluster as the informers list it at start: nodes, then the pods bound on them. */
    void populate(List<NodeInfo> initialNodes, Map<String, List<PodInfo>> boundPods) {
        for (NodeInfo node : initialNodes) {
            addNode(node);
        }
        boundPods.forEach((nodeName, onNode) -> {
            for (PodInfo pod : onNode) {
                SimPod sim = new SimPod(pod, SoakWorkload.Kind.SINGLE, null, null, System.nanoTime(), true);
                sim.node = nodeName;
                pods.put(pod.key(), sim);
                podsByNode.computeIfAbsent(nodeName, n -> new LinkedHashSet<>()).add(pod.key());
                loop.onPodUpserted(pod);
            }
        });
    }

    /** Arrivals, finishing, owners' patience and node churn start now; a tick every 10 ms. */
    void startArrivals() {
        startNanos = System.nanoTime();
        nextChurnNanos = startNanos + options.nodeChurn().toNanos();
        arriving = true;
        api.scheduleWithFixedDelay(this::tick, 0, 10, TimeUnit.MILLISECONDS);
    }

    /** No more arrivals, finishes, give-ups or churn; binds and executor creations go on. */
    void stopArrivals() {
        arriving = false;
    }

    // ------------------------------------------------------------------ the binder and the sink

    @Override
    public CompletionStage<BindResult> bind(PodInfo pod, String nodeName) {
        CompletableFuture<BindResult> result = new CompletableFuture<>();
        bindsInFlight.incrementAndGet();
        api.execute(() -> {
            try {
                applyBind(pod, nodeName, result);
            } catch (RuntimeException e) {
                errors.incrementAndGet();
                firstError.compareAndSet(null, e);
                result.complete(BindResult.of(BindOutcome.FAILED, "simulated cluster: " + e));
            } finally {
                bindsInFlight.decrementAndGet();
            }
        });
        return result;
    }

    @Override
    public void scheduled(PodInfo pod, String nodeName) {
    }

    @Override
    public void unschedulable(PodInfo pod, String message) {
        unschedulableEvents.incrementAndGet();
        api.execute(() -> {
            SimPod sim = pods.get(pod.key());
            if (sim != null && sim.node == null) {
                sim.reason = message;
            }
        });
    }

    @Override
    public void invalid(PodInfo pod, String message) {
        unschedulable(pod, "invalid: " + message);
    }

    @Override
    public void warning(PodInfo pod, String reason, String message) {
    }

    @Override
    public void bindFailed(PodInfo pod, String nodeName, String message) {
    }

    private void applyBind(PodInfo pod, String nodeName, CompletableFuture<BindResult> result) {
        SimPod sim = pods.get(pod.key());
        if (sim == null) {
            bindsOfGonePods.incrementAndGet();
            result.complete(BindResult.of(BindOutcome.POD_GONE, "pods \"" + pod.key().name() + "\" not found"));
            return;
        }
        if (sim.node != null) {
            // The loop asked to bind a pod that is bound already: a bug in its books.
            doubleBinds.incrementAndGet();
            result.complete(BindResult.of(BindOutcome.ALREADY_BOUND, "pod " + pod.key() + " is already assigned to node "
                    + sim.node));
            return;
        }
        pending.remove(pod.key());
        sim.node = nodeName;
        sim.reason = null;
        bound.incrementAndGet();
        // The API server accepts a binding to a node that is gone; the pod GC then deletes the pod.
        boolean nodeGone = !nodes.containsKey(nodeName);
        sim.pod = sim.pod.withNodeName(nodeName).withPhase(nodeGone ? PodPhase.PENDING : PodPhase.RUNNING);
        result.complete(BindResult.BOUND);
        loop.onPodUpserted(sim.pod);
        podsByNode.computeIfAbsent(nodeName, n -> new LinkedHashSet<>()).add(pod.key());
        if (nodeGone) {
            bindsToGoneNodes.incrementAndGet();
            delete(sim, Fate.DELETED_WITH_NODE);
            return;
        }
        runningSoakPods++;
        sim.countedRunning = true;
        if (sim.kind == SoakWorkload.Kind.SPARK && sim.executorOf == null) {
            executorCreations.add(new Due(System.nanoTime() + EXECUTOR_DELAY_NANOS, sim));
        }
        if (options.asFastAsItGoes()) {
            runningOrder.add(sim);
            while (runningSoakPods > options.population() && !runningOrder.isEmpty()) {
                SimPod oldest = runningOrder.poll();
                if (pods.get(oldest.pod.key()) == oldest && oldest.node != null) {
                    finish(oldest);
                }
            }
            topUp();
        } else if (sim.executorOf == null) {
            // Executors end with their driver.
            finishes.add(new Due(System.nanoTime() + sim.lifetime.toNanos(), sim));
        }
    }

    // ------------------------------------------------------------------ time passing (api thread)

    private void tick() {
        long now = System.nanoTime();
        try {
            Due due;
            while ((due = executorCreations.peek()) != null && due.atNanos <= now) {
                executorCreations.poll();
                createExecutors(due.pod);
            }
            if (!arriving) {
                return;
            }
            if (options.asFastAsItGoes()) {
                topUp();
            } else {
                long target = (long) (options.rate() * (now - startNanos) / 1e9);
                while (created.get() < Math.min(target, options.pods())) {
                    arrive();
                }
            }
            while ((due = finishes.peek()) != null && due.atNanos <= now) {
                finishes.poll();
                if (pods.get(due.pod.pod.key()) == due.pod && due.pod.node != null) {
                    finish(due.pod);
                }
            }
            giveUp(now);
            if (!options.nodeChurn().isZero() && now >= nextChurnNanos) {
                nextChurnNanos += options.nodeChurn().toNanos();
                replaceNode();
            }
        } catch (RuntimeException e) {
            // A bug here must show in the report; rethrown, it would silently stop the cluster's clock.
            errors.incrementAndGet();
            firstError.compareAndSet(null, e);
        }
    }

    private void topUp() {
        while (arriving && pending.size() < options.backlog() && created.get() < options.pods()) {
            arrive();
        }
    }

    private void arrive() {
        SoakWorkload.Arrival arrival = workload.arrival(arrivals++, clock.instant());
        if (arrival.kind() == SoakWorkload.Kind.SPARK) {
            SparkApp app = new SparkApp(arrival.group(), arrival.template(), arrival.executors());
            apps.put(app.name, app);
            // The SparkApplication informer sizes the executors before the driver pod shows up.
            GangPlugin.of(loop).onExecutorTemplate(SoakWorkload.NAMESPACE, app.name, app.template);
        }
        Gang gang = null;
        if (arrival.kind() == SoakWorkload.Kind.GANG) {
            gang = new Gang(arrival.group(), arrival.pods().size());
            gangs.put(gang.id, gang);
        }
        for (PodInfo pod : arrival.pods()) {
            SimPod sim = new SimPod(pod, arrival.kind(), arrival.group(), arrival.lifetime(), System.nanoTime(), false);
            if (gang != null) {
                gang.members.add(pod.key());
            }
            if (arrival.kind() == SoakWorkload.Kind.SPARK) {
                apps.get(arrival.group()).driver = sim;
            }
            createPending(sim);
        }
    }

    private void createPending(SimPod sim) {
        pods.put(sim.pod.key(), sim);
        pending.put(sim.pod.key(), sim);
        created.incrementAndGet();
        loop.onPodUpserted(sim.pod);
    }

    private void createExecutors(SimPod driver) {
        SparkApp app = apps.get(driver.group);
        if (app == null || app.driver != driver || pods.get(driver.pod.key()) != driver) {
            return;
        }
        for (PodInfo executor : app.executorPods) {
            SimPod sim = new SimPod(executor, SoakWorkload.Kind.SPARK, app.name, driver.lifetime, System.nanoTime(), false);
            sim.executorOf = app.name;
            app.executors.add(executor.key());
            createPending(sim);
        }
    }

    /** The kubelet reports the pod Succeeded, then its owner deletes it; a driver takes its application along. */
    private void finish(SimPod sim) {
        if (sim.kind == SoakWorkload.Kind.SPARK && sim.executorOf == null) {
            endApplication(sim, Fate.FINISHED);
        }
        loop.onPodUpserted(sim.pod.withPhase(PodPhase.SUCCEEDED));
        delete(sim, Fate.FINISHED);
    }

    /** The driver ended: its executors go with it (running ones finish, pending ones are deleted), then the template. */
    private void endApplication(SimPod driver, Fate driverFate) {
        SparkApp app = apps.get(driver.group);
        if (app == null || app.driver != driver) {
            return;
        }
        apps.remove(app.name);
        for (PodKey key : app.executors) {
            SimPod executor = pods.get(key);
            if (executor == null) {
                continue;
            }
            if (executor.node != null && driverFate == Fate.FINISHED) {
                loop.onPodUpserted(executor.pod.withPhase(PodPhase.SUCCEEDED));
                delete(executor, Fate.FINISHED);
            } else {
                delete(executor, executor.node != null ? Fate.DELETED_WITH_APPLICATION : pendingFate(executor,
                        Fate.DELETED_WITH_APPLICATION));
            }
        }
        GangPlugin.of(loop).onExecutorTemplate(SoakWorkload.NAMESPACE, app.name, null);
    }

    /** Owners delete what waited longer than their patience: a whole gang, a whole application. */
    private void giveUp(long now) {
        long patience = options.patience().toNanos();
        Iterator<SimPod> it = pending.values().iterator();
        List<SimPod> expired = new ArrayList<>();
        while (it.hasNext()) {
            SimPod sim = it.next();
            if (now - sim.createdNanos < patience) {
                break;
            }
            expired.add(sim);
        }
        for (SimPod sim : expired) {
            if (pods.get(sim.pod.key()) != sim || sim.node != null) {
                continue;
            }
            if (sim.kind == SoakWorkload.Kind.GANG) {
                Gang gang = gangs.get(sim.group);
                for (PodKey member : List.copyOf(gang.members)) {
                    SimPod other = pods.get(member);
                    if (other != null && other.node == null) {
                        delete(other, pendingFate(other, Fate.GAVE_UP_WITH_REASON));
                    }
                }
            } else if (sim.kind == SoakWorkload.Kind.SPARK && sim.executorOf == null) {
                endApplication(sim, Fate.GAVE_UP_WITH_REASON);
                delete(sim, pendingFate(sim, Fate.GAVE_UP_WITH_REASON));
            } else {
                delete(sim, pendingFate(sim, Fate.GAVE_UP_WITH_REASON));
            }
        }
    }

    /** A pod deleted while pending: with a reason from the scheduler it was not lost; without one it was. */
    private Fate pendingFate(SimPod sim, Fate withReason) {
        if (sim.reason != null) {
            return withReason;
        }
        return System.nanoTime() - sim.createdNanos < attemptGraceNanos ? Fate.DELETED_BEFORE_ATTEMPT
                : Fate.GAVE_UP_WITHOUT_REASON;
    }

    /** The node goes (its pods are deleted by the pod GC) and a new one of the same shape joins. */
    private void replaceNode() {
        if (nodeNames.isEmpty()) {
            return;
        }
        String name = nodeNames.get(churnRandom.nextInt(nodeNames.size()));
        NodeInfo old = nodes.get(name);
        removeNode(name);
        loop.onNodeRemoved(name);
        for (PodKey key : List.copyOf(podsByNode.getOrDefault(name, Set.of()))) {
            SimPod sim = pods.get(key);
            if (sim == null) {
                continue;
            }
            if (sim.kind == SoakWorkload.Kind.SPARK && sim.executorOf == null) {
                endApplication(sim, Fate.DELETED_WITH_NODE);
            }
            if (pods.get(key) == sim) {
                delete(sim, Fate.DELETED_WITH_NODE);
            }
        }
        replacedNodes++;
        String newName = baseName(name) + "-r" + replacedNodes;
        Map<String, String> labels = new LinkedHashMap<>(old.labels());
        labels.put(SyntheticCluster.HOSTNAME_LABEL, newName);
        NodeInfo replacement = new NodeInfo(newName, labels, old.annotations(), old.allocatable(), old.taints(),
                old.unschedulable(), old.ready());
        addNode(replacement);
        loop.onNodeUpserted(replacement);
    }

    private static String baseName(String name) {
        int cut = name.indexOf("-r");
        return cut < 0 ? name : name.substring(0, cut);
    }

    private void addNode(NodeInfo node) {
        nodes.put(node.name(), node);
        nodeSlot.put(node.name(), nodeNames.size());
        nodeNames.add(node.name());
        loop.onNodeUpserted(node);
    }

    private void removeNode(String name) {
        nodes.remove(name);
        int slot = nodeSlot.remove(name);
        String last = nodeNames.remove(nodeNames.size() - 1);
        if (!last.equals(name)) {
            nodeNames.set(slot, last);
            nodeSlot.put(last, slot);
        }
    }

    /** The pod's object is deleted: the loop hears of it as from a watch; its fate is counted. */
    private void delete(SimPod sim, Fate fate) {
        PodKey key = sim.pod.key();
        if (pods.remove(key) == null) {
            return;
        }
        pending.remove(key);
        if (sim.node != null) {
            Set<PodKey> onNode = podsByNode.get(sim.node);
            if (onNode != null && onNode.remove(key) && onNode.isEmpty()) {
                podsByNode.remove(sim.node);
            }
            if (sim.countedRunning) {
                runningSoakPods--;
            }
        }
        if (sim.kind == SoakWorkload.Kind.GANG) {
            Gang gang = gangs.get(sim.group);
            if (gang != null) {
                gang.members.remove(key);
                if (fate == Fate.DELETED_WITH_NODE) {
                    gang.lostMember = true;
                }
                gang.ended++;
                if (gang.members.isEmpty()) {
                    gangs.remove(gang.id);
                }
            }
        }
        if (!sim.prefilled) {
            fates.merge(fate, 1L, Long::sum);
        }
        loop.onPodRemoved(key);
    }

    // ------------------------------------------------------------------ reading (any thread)

    long created() {
        return created.get();
    }

    long bound() {
        return bound.get();
    }

    int bindsInFlight() {
        return bindsInFlight.get();
    }

    long unschedulableEvents() {
        return unschedulableEvents.get();
    }

    /** The books, read on the api thread. */
    CompletableFuture<Audit> audit() {
        return CompletableFuture.supplyAsync(this::auditNow, api);
    }

    private Audit auditNow() {
        int running = 0;
        int runningPrefilled = 0;
        int pendingWithReason = 0;
        int pendingWithoutReason = 0;
        for (SimPod sim : pods.values()) {
            if (sim.node != null) {
                if (sim.prefilled) {
                    runningPrefilled++;
                } else {
                    running++;
                }
            } else if (sim.reason != null) {
                pendingWithReason++;
            } else {
                pendingWithoutReason++;
            }
        }
        int overcommitted = 0;
        String firstOvercommit = null;
        for (NodeInfo node : nodes.values()) {
            Map<String, Long> used = new HashMap<>();
            Set<PodKey> onNode = podsByNode.getOrDefault(node.name(), Set.of());
            for (PodKey key : onNode) {
                pods.get(key).pod.requests().amounts().forEach((name, amount) -> used.merge(name, amount, Long::sum));
            }
            used.put(ResourceNames.PODS, (long) onNode.size());
            for (Map.Entry<String, Long> entry : used.entrySet()) {
                if (entry.getValue() > node.allocatable().get(entry.getKey())) {
                    overcommitted++;
                    if (firstOvercommit == null) {
                        firstOvercommit = node.name() + ": " + entry.getKey() + " " + entry.getValue() + " > allocatable "
                                + node.allocatable().get(entry.getKey());
                    }
                    break;
                }
            }
        }
        int partialGangs = 0;
        for (Gang gang : gangs.values()) {
            long boundMembers = gang.members.stream().filter(k -> pods.get(k).node != null).count();
            if (!gang.lostMember && gang.ended == 0 && boundMembers > 0 && boundMembers < gang.size) {
                partialGangs++;
            }
        }
        return new Audit(created.get(), running, runningPrefilled, pendingWithReason, pendingWithoutReason,
                new EnumMap<>(fates), overcommitted, firstOvercommit, partialGangs, doubleBinds.get(),
                bindsOfGonePods.get(), bindsToGoneNodes.get(), replacedNodes, nodes.size(), apps.size(), gangs.size(),
                executorCreations.size(), bindsInFlight.get(), errors.get(),
                firstError.get() == null ? null : String.valueOf(firstError.get()));
    }

    /** What the cluster's books say; see {@link SoakReport} for what each must be. */
    record Audit(long created, int running, int runningPrefilled, int pendingWithReason, int pendingWithoutReason,
                 Map<Fate, Long> fates, int overcommittedNodes, String firstOvercommit, int partialGangs,
                 long doubleBinds, long bindsOfGonePods, long bindsToGoneNodes, long replacedNodes, int nodes,
                 int liveApplications, int liveGangs, int executorCreationsDue, int bindsInFlight, long errors,
                 String firstError) {
        long fate(Fate fate) {
            return fates.getOrDefault(fate, 0L);
        }

        /** Pods the scheduler lost track of: pending, or given up on, without ever being told why. */
        long lost() {
            return pendingWithoutReason + fate(Fate.GAVE_UP_WITHOUT_REASON);
        }

        /** Every created pod is accounted for exactly once. */
        long accountedFor() {
            long ended = 0;
            for (long count : fates.values()) {
                ended += count;
            }
            return ended + running + pendingWithReason + pendingWithoutReason;
        }

        /** Quiet: nothing in flight, every pending pod told why. */
        boolean settled() {
            return bindsInFlight == 0 && executorCreationsDue == 0 && pendingWithoutReason == 0;
        }
    }

    // ------------------------------------------------------------------ values

    private static final class SimPod {
        PodInfo pod;
        final SoakWorkload.Kind kind;
        final String group;
        final Duration lifetime;
        final long createdNanos;
        final boolean prefilled;
        String node;
        String reason;
        /** The application whose executor this is; null for drivers and other pods. */
        String executorOf;
        boolean countedRunning;

        SimPod(PodInfo pod, SoakWorkload.Kind kind, String group, Duration lifetime, long createdNanos, boolean prefilled) {
            this.pod = pod;
            this.kind = kind;
            this.group = group;
            this.lifetime = lifetime;
            this.createdNanos = createdNanos;
            this.prefilled = prefilled;
        }
    }

    private record Due(long atNanos, SimPod pod) implements Comparable<Due> {
        @Override
        public int compareTo(Due other) {
            return Long.compare(atNanos, other.atNanos);
        }
    }

    private static final class SparkApp {
        final String name;
        final ExecutorTemplate template;
        final List<PodInfo> executorPods;
        final List<PodKey> executors = new ArrayList<>();
        SimPod driver;

        SparkApp(String name, ExecutorTemplate template, List<PodInfo> executorPods) {
            this.name = name;
            this.template = template;
            this.executorPods = executorPods;
        }
    }

    private static final class Gang {
        final String id;
        final int size;
        final Set<PodKey> members = new LinkedHashSet<>();
        boolean lostMember;
        int ended;

        Gang(String id, int size) {
            this.id = id;
            this.size = size;
        }
    }
}
