package io.kubenexus.scheduler.core.loop;

import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.framework.ClusterEventType;
import io.kubenexus.scheduler.core.framework.GroupAttemptPlugin;
import io.kubenexus.scheduler.core.framework.GroupInsightPlugin;
import io.kubenexus.scheduler.core.framework.LifecyclePlugin;
import io.kubenexus.scheduler.core.framework.LoopHandle;
import io.kubenexus.scheduler.core.framework.PermitPlugin;
import io.kubenexus.scheduler.core.framework.PodEventsPlugin;
import io.kubenexus.scheduler.core.framework.PostFilterPlugin;
import io.kubenexus.scheduler.core.framework.PreEnqueuePlugin;
import io.kubenexus.scheduler.core.framework.ReservePlugin;
import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.model.PodPhase;
import io.kubenexus.scheduler.core.model.Quantities;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.ports.BindOutcome;
import io.kubenexus.scheduler.core.ports.BindResult;
import io.kubenexus.scheduler.core.ports.Binder;
import io.kubenexus.scheduler.core.ports.EventSink;
import io.kubenexus.scheduler.core.ports.Evictor;
import io.kubenexus.scheduler.core.ports.SchedulerMetrics;
import io.kubenexus.scheduler.core.config.PreemptionSettings;
import io.kubenexus.scheduler.core.preemption.DefaultPreemption;
import io.kubenexus.scheduler.core.preemption.DisruptionBudgets;
import io.kubenexus.scheduler.core.preemption.NominatedPods;
import io.kubenexus.scheduler.core.preemption.PreemptionCoordinator;
import io.kubenexus.scheduler.core.preemption.PreemptionEngine;
import io.kubenexus.scheduler.core.preemption.PreemptionPlan;
import io.kubenexus.scheduler.core.preemption.VictimGroups;
import io.kubenexus.scheduler.core.query.ClusterOverview;
import io.kubenexus.scheduler.core.query.ExtenderBindResult;
import io.kubenexus.scheduler.core.query.GroupSummary;
import io.kubenexus.scheduler.core.query.NodeFilterResult;
import io.kubenexus.scheduler.core.query.NodeVictims;
import io.kubenexus.scheduler.core.query.NodeScores;
import io.kubenexus.scheduler.core.query.OverviewRequest;
import io.kubenexus.scheduler.core.query.PodExplanation;
import io.kubenexus.scheduler.core.query.SchedulerQueries;
import io.kubenexus.scheduler.core.queue.QueuedPod;
import io.kubenexus.scheduler.core.queue.SchedulingQueue;
import io.kubenexus.scheduler.core.state.ClusterState;
import io.kubenexus.scheduler.core.state.ClusterView;
import io.kubenexus.scheduler.core.state.NodeChange;
import io.kubenexus.scheduler.core.state.StateExtension;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The scheduler's single writer. Informer callbacks, bind completions and leader election only
 * post events here (thread-safe {@code on*} methods); one thread drains them into the
 * {@link ClusterState} and {@link SchedulingQueue}, then decides one pod at a time:
 * <ol>
 *   <li>the pod is placed with {@link SchedulingAlgorithm} against the live state;</li>
 *   <li>it is <em>assumed</em> on its node at once, so the next decision sees the capacity taken;</li>
 *   <li>the bind call runs asynchronously; its result comes back as an event: success leaves the
 *       assumption until the informer confirms it, failure forgets it and requeues the pod.</li>
 * </ol>
 * What is more than one pod's business (gangs placed all-or-nothing, places held for pods still to
 * come, binds held until siblings are ready) belongs to {@link LifecyclePlugin}s, called at the
 * extension points ADR 0009 lists: {@link PreEnqueuePlugin} before a pod is tried,
 * {@link GroupAttemptPlugin} for the attempt itself, {@link ReservePlugin} when an assumption is
 * confirmed or undone, {@link PermitPlugin} for binds decided elsewhere, {@link PostFilterPlugin}
 * when a pod fits nowhere, {@link PodEventsPlugin} for every pod event, {@link GroupInsightPlugin}
 * for questions. The loop keeps the queue, the state, the single writer, binding and events.
 * Nothing is decided before the caches have synced (so pods bound before a restart are counted
 * first) or while this replica does not lead (standbys keep the state warm and never bind).
 */
public final class SchedulingLoop implements SchedulerQueries, AutoCloseable {
    private static final Logger LOG = System.getLogger(SchedulingLoop.class.getName());
    private static final Duration IDLE_WAIT = Duration.ofSeconds(1);
    private static final long PUBLISH_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final SchedulerSettings settings;
    final Binder binder;
    private final EventSink events;
    private final LastUnschedulableMessages messages;
    private final ExtenderDecisions extenderDecisions;
    private final ExternalBinds externalBinds;
    private final PendingExplainer explainer;
    private final PreemptionCoordinator preemption;
    private final SchedulerMetrics metrics;
    final Clock clock;
    final ClusterState state = new ClusterState();
    final SchedulingQueue queue;
    final SchedulingAlgorithm algorithm;
    private final BlockingQueue<LoopEvent> inbox = new LinkedBlockingQueue<>();
    final Plugins plugins;
    /**
     * Pods whose bind failed but whose place is kept (a {@link ReservePlugin} said so: a member of a
     * group placed together): the same bind is sent again when due, so a failed call never leaves the
     * group partial while others take the member's room. By pod key; few at a time.
     */
    private final Map<PodKey, Rebind> rebinds = new LinkedHashMap<>();
    /** Binds of a kept place sent again before it is given up and planned anew. */
    static final int MAX_REBINDS = 5;

    private record Rebind(PodInfo pod, String nodeName, Instant due, int attempt) {
    }

    // The attempt under way (scheduleOne): what it took out of the queue, what it may have assumed and
    // what it handed to the binder, so that a bug in the middle of it can be undone (containFailedAttempt).
    private final List<QueuedPod> attemptEntries = new ArrayList<>();
    private final List<PodKey> attemptAssumed = new ArrayList<>();
    private final Set<PodKey> attemptBinding = new HashSet<>();
    private boolean attemptUnderWay;
    /** Pods whose spec could not be read, by key: not queued until their object changes. */
    private final Map<PodKey, PodInfo> invalidPods = new HashMap<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private Thread thread;

    /** Written by the loop thread, read by probes; starts at construction so a loop about to start counts as alive. */
    private volatile long heartbeat = System.nanoTime();
    private boolean synced;
    private boolean leader;
    private long lastPublishNanos;

    // Written by the loop thread only, read by others through stats().
    private volatile LoopStats stats = new LoopStats(0, 0, 0, 0, 0, 0, 0, false, false, 0, 0, 0);
    private long attempts;
    private long scheduled;
    private long unschedulableAttempts;
    private long bindFailures;
    private long bindConflicts;

    /** A loop that schedules every pod on its own. */
    public SchedulingLoop(SchedulerSettings settings, SchedulingProfile profile, Binder binder, EventSink events,
                          SchedulerMetrics metrics, Clock clock) {
        this(settings, profile, List.of(), binder, events, metrics, clock);
    }

    /**
     * @param lifecyclePlugins the plugins taking part beyond single decisions (gangs); each is
     *                         {@link LifecyclePlugin#attach attached} to this loop here
     */
    public SchedulingLoop(SchedulerSettings settings, SchedulingProfile profile, List<? extends LifecyclePlugin> lifecyclePlugins,
                          Binder binder, EventSink events, SchedulerMetrics metrics, Clock clock) {
        this.settings = settings;
        this.binder = binder;
        this.messages = new LastUnschedulableMessages(events);
        this.events = messages;
        this.metrics = metrics;
        this.clock = clock;
        this.queue = new SchedulingQueue(clock, settings.podInitialBackoff(), settings.podMaxBackoff(),
                settings.podMaxInUnschedulablePods(), metrics);
        this.algorithm = new SchedulingAlgorithm(profile, settings.percentageOfNodesToScore());
        NodeVerdicts verdicts = new NodeVerdicts(profile);
        // Preemption for single pods comes last, after the plugins that keep groups whole have spoken;
        // it acts once usePreemption gives it an evictor.
        VictimGroups victimGroups = new PostFilterVictimGroups();
        this.preemption = new PreemptionCoordinator(new PreemptionEngine(new ProfileFilters(profile, verdicts), victimGroups),
                victimGroups, new NominatedPods());
        List<LifecyclePlugin> all = new ArrayList<>(lifecyclePlugins);
        all.add(new DefaultPreemption(preemption));
        this.plugins = new Plugins(all);
        state.addExtension(new DisruptionBudgets());
        this.extenderDecisions = new ExtenderDecisions(this, verdicts);
        this.externalBinds = new ExternalBinds(this);
        this.explainer = new PendingExplainer(this, verdicts);
        LoopHandle handle = new Handle();
        plugins.all.forEach(plugin -> plugin.attach(handle));
    }

    /** The lifecycle plugin of {@code type} this loop was built with, if any (for wiring and tests). */
    public <T> Optional<T> plugin(Class<T> type) {
        for (LifecyclePlugin plugin : plugins.all) {
            if (type.isInstance(plugin)) {
                return Optional.of(type.cast(plugin));
            }
        }
        return Optional.empty();
    }

    // ------------------------------------------------------------------ inbox (any thread)

    public void onNodeUpserted(NodeInfo node) {
        inbox.add(new LoopEvent.NodeUpserted(node));
    }

    public void onNodeRemoved(String name) {
        inbox.add(new LoopEvent.NodeRemoved(name));
    }

    /** Any pod the API reports: ours pending, or anyone's assigned (for accounting). */
    public void onPodUpserted(PodInfo pod) {
        inbox.add(new LoopEvent.PodUpserted(pod));
    }

    public void onPodRemoved(PodKey key) {
        inbox.add(new LoopEvent.PodRemoved(key));
    }

    /**
     * A pod whose spec could not be translated: not scheduled, and everything else goes on.
     * {@code pod} carries what accounting needs when it could be read (key, uid, scheduler name,
     * node, phase, terminating, requests and non-zero requests; empty requests when unreadable):
     * an assigned pod is charged where it runs like any assigned pod, since its node is just as full;
     * an unassigned one holds nothing and leaves the queue (a bind of ours in flight keeps its
     * assumption until the bind's result), and if it is ours it is reported once.
     */
    public void onPodInvalid(PodInfo pod, String message) {
        inbox.add(new LoopEvent.PodInvalid(pod, message));
    }

    /**
     * Applies {@code update} to the cluster state on the loop thread, in order with the other
     * events, then retries the pods waiting for {@code event}: how a module feeds its
     * {@link io.kubenexus.scheduler.core.state.StateExtension} (e.g. a node's NUMA topology).
     * The update must not throw; what it cannot apply it reports itself.
     */
    public void onStateUpdate(ClusterEventType event, Consumer<ClusterState> update) {
        inbox.add(new LoopEvent.StateUpdate(Objects.requireNonNull(event, "event"), Objects.requireNonNull(update, "update")));
    }

    /**
     * Applies {@code update} to the cluster state on the loop thread, in order with the other events,
     * retrying nobody: for what no waiting pod depends on (e.g. a PodDisruptionBudget, which only
     * orders preemption's choices).
     */
    public void onStateUpdate(Consumer<ClusterState> update) {
        inbox.add(new LoopEvent.StateUpdate(null, Objects.requireNonNull(update, "update")));
    }

    /**
     * Registers a module's per-node data with this loop's cluster state (see
     * {@link ClusterState#addExtension}). Call before {@link #start()}.
     */
    public void addStateExtension(StateExtension extension) {
        if (thread != null) {
            throw new IllegalStateException("state extensions must be added before the loop starts");
        }
        state.addExtension(extension);
    }

    /**
     * Turns preemption on (or off, per {@code preemptionSettings}) with {@code evictor} for its API
     * writes. Without this call the loop never evicts. Call before {@link #start()}.
     */
    public void usePreemption(Evictor evictor, PreemptionSettings preemptionSettings) {
        if (thread != null) {
            throw new IllegalStateException("preemption must be configured before the loop starts");
        }
        preemption.configure(evictor, preemptionSettings);
    }

    /** Every object the caches held at sync time has been posted before this call. */
    public void onCachesSynced() {
        inbox.add(new LoopEvent.CachesSynced());
    }

    public void onLeadershipChanged(boolean isLeader) {
        inbox.add(new LoopEvent.LeadershipChanged(isLeader));
    }

    // ------------------------------------------------------------------ lifecycle

    /** Starts the loop thread. */
    public synchronized void start() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        thread = new Thread(this::run, "kubenexus-scheduling-loop");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void close() {
        running.set(false);
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
    }

    private void run() {
        while (running.get()) {
            try {
                if (!runOnce()) {
                    waitForWork();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // A bug must not stop scheduling for everyone; the pod at fault was requeued.
                LOG.log(Level.ERROR, "scheduling loop iteration failed", e);
            }
        }
    }

    /**
     * {@link System#nanoTime()} when the loop last began an iteration or a wait (it waits at most a
     * second at a time), for a liveness probe: a loop stuck in one attempt or dead stops moving it.
     */
    public long heartbeatNanos() {
        return heartbeat;
    }

    private void waitForWork() throws InterruptedException {
        heartbeat = System.nanoTime();
        publishIfDue(true);
        Duration wait = IDLE_WAIT;
        Instant wake = nextWakeUp();
        if (wake != null) {
            Duration untilWake = Duration.between(clock.instant(), wake);
            if (untilWake.compareTo(wait) < 0) {
                wait = untilWake.isNegative() ? Duration.ZERO : untilWake;
            }
        }
        LoopEvent event = inbox.poll(Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS);
        if (event != null) {
            applyContained(event);
        }
    }

    /**
     * One iteration: apply every queued event, then try at most one pod. Returns whether a pod
     * was tried. Public so tests can drive the loop deterministically without its thread.
     */
    public boolean runOnce() {
        heartbeat = System.nanoTime();
        drainInbox();
        boolean tried = false;
        if (synced && leader) {
            Instant now = clock.instant();
            for (LifecyclePlugin plugin : plugins.all) {
                plugin.tick(now);
            }
            sendDueRebinds();
            QueuedPod next = queue.pop();
            if (next != null) {
                scheduleOne(next);
                tried = true;
            }
        }
        publishIfDue(false);
        updateStats();
        return tried;
    }

    /**
     * When the loop next has work that comes with time alone (a backoff ending, an unschedulable pod's
     * periodic retry, a kept bind due again, a plugin's timer: a place expiring, an extender hold ending),
     * or null when nothing waits on time. For drivers of virtual time (the simulator) that call
     * {@link #runOnce()} on their own thread; the loop thread uses it to know how long to sleep.
     */
    public Instant nextWakeUp() {
        return earliest(earliest(queue.nextWakeUp(), nextRebind()), plugins.nextWakeUp());
    }

    /** Runs iterations until no pod is ready and no event is waiting, then publishes a view (tests). */
    public void runUntilIdle() {
        while (runOnce() || !inbox.isEmpty()) {
            // keep going
        }
        publishIfDue(true);
    }

    private void drainInbox() {
        LoopEvent event;
        while ((event = inbox.poll()) != null) {
            applyContained(event);
        }
    }

    /** One event's bug must not cost the events after it, nor the attempt this iteration makes. */
    private void applyContained(LoopEvent event) {
        try {
            apply(event);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "applying " + event.getClass().getSimpleName() + " failed", e);
        }
    }

    // ------------------------------------------------------------------ events

    private void apply(LoopEvent event) {
        if (event instanceof LoopEvent.PodUpserted e) {
            applyPod(e.pod());
        } else if (event instanceof LoopEvent.BindCompleted e) {
            applyBindResult(e);
        } else if (event instanceof LoopEvent.PodRemoved e) {
            applyPodRemoved(e.key());
        } else if (event instanceof LoopEvent.NodeUpserted e) {
            applyNode(e.node());
        } else if (event instanceof LoopEvent.NodeRemoved e) {
            if (state.removeNode(e.name())) {
                queue.onClusterEvent(ClusterEventType.NODE_REMOVED);
            }
        } else if (event instanceof LoopEvent.PodInvalid e) {
            applyInvalid(e.pod(), e.message());
        } else if (event instanceof LoopEvent.StateUpdate e) {
            try {
                e.update().accept(state);
            } catch (RuntimeException ex) {
                // A module's bug must not stop scheduling for everyone else.
                LOG.log(Level.ERROR, "state update for " + e.event() + " failed", ex);
            }
            if (e.event() != null) {
                queue.onClusterEvent(e.event());
            }
        } else if (event instanceof LoopEvent.CachesSynced) {
            synced = true;
            LOG.log(Level.INFO, "caches synced: {0} nodes, {1} pods accounted, {2} pending",
                    state.nodeCount(), state.accountedPodCount(), queue.size());
        } else if (event instanceof LoopEvent.Query e) {
            e.onLoop().run();
        } else if (event instanceof LoopEvent.Inspect e) {
            e.answer().complete(bookkeeping());
        } else if (event instanceof LoopEvent.LeadershipChanged e) {
            leader = e.leader();
            if (!leader) {
                // A new term starts from what the API shows: binds kept for a retry are given up (their
                // pods are planned again by whoever leads), and what the plugins held for this term lapses.
                for (Rebind rebind : List.copyOf(rebinds.values())) {
                    undoAssumption(rebind.pod());
                    requeueInFlight(rebind.pod());
                }
                rebinds.clear();
                for (LifecyclePlugin plugin : plugins.all) {
                    plugin.leadershipLost();
                }
            }
            LOG.log(Level.INFO, leader ? "leading: scheduling starts" : "not leading: scheduling stops");
        }
    }

    private void applyNode(NodeInfo node) {
        Set<NodeChange> changes = state.upsertNode(node);
        for (NodeChange change : changes) {
            switch (change) {
                case ADDED -> queue.onClusterEvent(ClusterEventType.NODE_ADDED);
                case ALLOCATABLE -> queue.onClusterEvent(ClusterEventType.NODE_ALLOCATABLE_CHANGED);
                case LABELS -> queue.onClusterEvent(ClusterEventType.NODE_LABELS_CHANGED);
                case TAINTS -> queue.onClusterEvent(ClusterEventType.NODE_TAINTS_CHANGED);
                case SCHEDULABILITY -> queue.onClusterEvent(ClusterEventType.NODE_SCHEDULABILITY_CHANGED);
                case OTHER -> {
                }
            }
        }
    }

    private void applyPod(PodInfo pod) {
        if (isAnotherIncarnation(pod)) {
            // Deleted and recreated under the same name (a StatefulSet, an operator retrying a pod)
            // without a delete we applied (the informer relisted): the old UID is gone all the same.
            applyPodRemoved(pod.key());
        }
        invalidPods.remove(pod.key());
        String unreadable = null;
        for (PodEventsPlugin plugin : plugins.podEvents) {
            String reason = plugin.podUpdated(pod);
            unreadable = unreadable == null ? reason : unreadable;
        }
        if (unreadable != null && !pod.isAssigned()) {
            applyInvalid(pod, unreadable);
            return;
        }
        if (pod.isAssigned()) {
            // Bound by us (confirming an assumption) or by anyone else: account it, stop queueing it.
            if (state.isAssumed(pod.key())) {
                reportScheduled(pod.key()); // the informer saw our bind before its answer came
            }
            queue.remove(pod.key());
            messages.forget(pod.key());
            PodInfo before = state.accountedPod(pod.key());
            boolean confirmsAssumption = state.isAssumed(pod.key());
            if (state.upsertPod(pod)) {
                queue.onClusterEvent(ClusterEventType.ASSIGNED_POD_REMOVED);
            }
            if (pod.holdsResources() && (before == null || confirmsAssumption
                    || !before.labels().equals(pod.labels()))) {
                // A pod waiting for inter-pod affinity to pods like this one may fit now.
                queue.onClusterEvent(ClusterEventType.ASSIGNED_POD_ADDED);
            }
            if (pod.phase() == PodPhase.RUNNING && (before == null || before.phase() != PodPhase.RUNNING)) {
                queue.onClusterEvent(ClusterEventType.ASSIGNED_POD_STARTED);
            }
            for (PodEventsPlugin plugin : plugins.podEvents) {
                plugin.podAccounted(pod, before);
            }
            return;
        }
        if (state.isAssumed(pod.key())) {
            // Our bind is in flight; the informer has not seen it yet. Keep the assumption.
            return;
        }
        if (isOurs(pod) && !pod.phase().isTerminal() && !pod.terminating() && !pod.schedulingGated()) {
            queue.addOrUpdate(pod);
        } else {
            queue.remove(pod.key());
            messages.forget(pod.key());
        }
    }

    private void applyPodRemoved(PodKey key) {
        for (PodEventsPlugin plugin : plugins.podEvents) {
            plugin.podRemoved(key);
        }
        messages.forget(key);
        rebinds.remove(key);
        invalidPods.remove(key);
        queue.remove(key);
        if (state.removePod(key)) {
            queue.onClusterEvent(ClusterEventType.ASSIGNED_POD_REMOVED);
        }
    }

    private void applyInvalid(PodInfo pod, String message) {
        if (pod.isAssigned()) {
            // Accounting needs only requests, node and phase: charged like any assigned pod.
            applyPod(pod);
            return;
        }
        queue.remove(pod.key());
        // No stale charge: an unassigned pod holds nothing, unless our bind of it is in flight.
        if (!state.isAssumed(pod.key())) {
            // Nor does it count as a member its group waits for, until it can be read again.
            for (PodEventsPlugin plugin : plugins.podEvents) {
                plugin.podUnreadable(pod.key());
            }
            if (state.removePod(pod.key())) {
                queue.onClusterEvent(ClusterEventType.ASSIGNED_POD_REMOVED);
            }
        }
        if (isOurs(pod)) {
            PodInfo previous = invalidPods.put(pod.key(), pod);
            if (previous == null && leader) {
                events.invalid(pod, message);
            }
        }
    }

    boolean isOurs(PodInfo pod) {
        return pod != null && settings.schedulerName().equals(pod.schedulerName());
    }

    // ------------------------------------------------------------------ scheduling

    /**
     * One attempt, contained: whatever a plugin, the planner or a sink throws costs only the pods of
     * this attempt, which are reported and back off with nothing of theirs left assumed or reserved.
     */
    private void scheduleOne(QueuedPod entry) {
        attemptUnderWay = true;
        // Room nominated for pods at least as important is not this attempt's to take.
        // Without nominations (the usual case) the attempt pays nothing for them.
        List<PodKey> held = preemption.nominated().size() == 0 ? List.of()
                : preemption.nominated().holdFor(entry.pod(), holdingPriority(entry.pod()), state);
        try {
            dispatch(entry);
        } catch (RuntimeException e) {
            containFailedAttempt(entry, e);
        } finally {
            preemption.nominated().unhold(held, state);
            attemptUnderWay = false;
            attemptEntries.clear();
            attemptAssumed.clear();
            attemptBinding.clear();
        }
    }

    /**
     * The priority an attempt yields nominated room at: the pod's own, or none at all when places are
     * reserved for it (a Spark executor's, reserved in its driver's attempt). Yielding then would refuse
     * the executor its own place, and the places of its siblings would be counted as used up: a
     * partial gang (issue 15).
     */
    private int holdingPriority(PodInfo pod) {
        // A pod with room reserved for it (a Spark executor's place) takes capacity already charged,
        // which the nominated room was computed beside: no nomination can refuse it its own place. While
        // a nominated pod's victims are still terminating its hold over-commits the node, and yielding
        // to it then refused executors their exact places (seen in the demo as a partial gang).
        return plugins.placeholdersUsableBy(pod).isEmpty() ? pod.priority() : Integer.MAX_VALUE;
    }

    private void containFailedAttempt(QueuedPod entry, RuntimeException failure) {
        PodInfo pod = entry.pod();
        // A trailing " pod=..." is lifted into a structured field by the executable's log encoders.
        LOG.log(Level.ERROR, "scheduling " + pod.key() + " failed; it backs off and is retried pod=" + pod.key(), failure);
        metrics.attempt("error", 0);
        // What the attempt may have assumed (a plugin's all-or-nothing contract does not hold when it
        // throws), unless its bind was under way or a plugin keeps it (a place held with a pod whose
        // bind started).
        boolean poppedIsBinding = attemptBinding.contains(pod.key());
        for (PodKey key : attemptAssumed) {
            if (attemptBinding.contains(key)) {
                continue;
            }
            boolean kept = false;
            for (ReservePlugin plugin : plugins.reserve) {
                kept |= plugin.attemptFailed(key, poppedIsBinding);
            }
            if (!kept && state.forget(key)) {
                queue.onClusterEvent(ClusterEventType.ASSIGNED_POD_REMOVED);
            }
        }
        List<QueuedPod> involved = new ArrayList<>(attemptEntries.size() + 1);
        involved.add(entry);
        involved.addAll(attemptEntries);
        for (QueuedPod member : involved) {
            PodKey key = member.pod().key();
            if (!attemptBinding.contains(key)) {
                if (!attemptAssumed.contains(key)) {
                    state.forget(key);
                }
                for (ReservePlugin plugin : plugins.reserve) {
                    plugin.attemptAbandoned(member.pod());
                }
                queue.retryAfterBackoff(member);
            }
        }
        if (leader) {
            events.warning(pod, "SchedulingError", "scheduling failed with an internal error and is retried after "
                    + "backoff: " + failure);
        }
    }

    private void dispatch(QueuedPod entry) {
        for (PreEnqueuePlugin plugin : plugins.preEnqueue) {
            String wait = plugin.mustWait(entry);
            if (wait != null) {
                queue.retryAfterBackoff(entry);
                if (leader) {
                    events.unschedulable(entry.pod(), wait);
                }
                return;
            }
        }
        for (GroupAttemptPlugin plugin : plugins.groupAttempt) {
            if (plugin.attempt(entry)) {
                return;
            }
        }
        scheduleSingle(entry, Set.of());
    }

    /** @param alsoHelpful events that may help beyond those of this attempt's rejections */
    private void scheduleSingle(QueuedPod entry, Set<ClusterEventType> alsoHelpful) {
        long start = System.nanoTime();
        PodInfo pod = entry.pod();
        attempts++;
        Decision decision = algorithm.schedule(pod, state);
        if (decision instanceof Decision.Placed placed) {
            state.assume(pod.withNodeName(placed.nodeName()));
            metrics.attempt("scheduled", System.nanoTime() - start);
            bind(pod, placed.nodeName());
        } else if (decision instanceof Decision.Unschedulable unschedulable) {
            Set<ClusterEventType> helpful = unschedulable.helpfulEvents();
            if (!alsoHelpful.isEmpty()) {
                helpful = EnumSet.copyOf(alsoHelpful);
                helpful.addAll(unschedulable.helpfulEvents());
            }
            String message = unschedulable.message();
            List<String> noRoom = new ArrayList<>(1);
            for (PostFilterPlugin plugin : plugins.postFilter) {
                String nominated = plugin.postFilter(pod, unschedulable);
                if (nominated != null) {
                    // Room is being made there (victims evicted): the pod is tried again when they go.
                    message = message + "; nominated node " + nominated + " (" + plugin.name() + ")";
                    noRoom.clear();
                    break;
                }
                String why = plugin.whyNoRoom(pod);
                if (why != null) {
                    noRoom.add(why);
                }
            }
            if (!noRoom.isEmpty()) {
                message = message + " preemption: " + String.join("; ", noRoom) + ".";
            }
            markUnschedulable(entry, helpful, message, System.nanoTime() - start);
        }
    }

    private void markUnschedulable(QueuedPod entry, Set<ClusterEventType> helpful, String message, long nanos) {
        unschedulableAttempts++;
        metrics.attempt("unschedulable", nanos);
        queue.unschedulable(entry, helpful);
        if (leader) {
            events.unschedulable(entry.pod(), message);
        }
    }

    /**
     * The pod is assumed on {@code nodeName}; the API call runs off the loop thread. A binder that
     * throws instead of answering counts as a failed bind, so the pod is never left in flight.
     */
    private void bind(PodInfo pod, String nodeName) {
        long bindStart = System.nanoTime();
        if (attemptUnderWay) {
            attemptBinding.add(pod.key());
        }
        try {
            binder.bind(pod, nodeName).whenComplete((result, error) -> {
                BindResult outcome = error != null || result == null
                        ? BindResult.of(BindOutcome.FAILED, String.valueOf(error == null ? "no result" : error.getMessage()))
                        : result;
                inbox.add(new LoopEvent.BindCompleted(pod, nodeName, outcome, bindStart));
            });
        } catch (RuntimeException e) {
            inbox.add(new LoopEvent.BindCompleted(pod, nodeName, BindResult.of(BindOutcome.FAILED,
                    "binder failed: " + e), bindStart));
        }
    }

    private void applyBindResult(LoopEvent.BindCompleted completed) {
        PodInfo pod = completed.pod();
        BindResult result = completed.result();
        metrics.bind(result.outcome(), System.nanoTime() - completed.startedNanos());
        if (!isCurrentIncarnation(pod)) {
            // The pod was deleted (and maybe recreated under its name) while the call was open: the
            // answer is about a UID that is gone and must not touch the new pod's attempt or charge.
            LOG.log(Level.DEBUG, "bind result {0} for {1} (uid {2}) ignored: that pod is gone",
                    result.outcome(), pod.key(), pod.uid());
            return;
        }
        if (result.outcome() != BindOutcome.BOUND && state.accountedPod(pod.key()) != null
                && !state.isAssumed(pod.key())) {
            // Whatever the call answered (a timeout, a 409 for our own earlier bind whose answer was
            // lost), the informer already shows the pod bound: the binding was applied. Nothing to undo.
            if (result.outcome() == BindOutcome.ALREADY_BOUND) {
                bindConflicts++;
            }
            plugins.bound(pod);
            finishInFlight(pod.key());
            return;
        }
        switch (result.outcome()) {
            case BOUND -> {
                scheduled++;
                reportScheduled(pod.key());
                rebinds.remove(pod.key());
                plugins.bound(pod);
                finishInFlight(pod.key());
                events.scheduled(pod, completed.nodeName(), state.describePlacement(pod.key()));
            }
            case ALREADY_BOUND, POD_GONE -> {
                // A 409 says someone bound it, a 404 that it is gone; only the informer says for sure (and
                // where). Until it does, the pod waits in backoff rather than being forgotten: an answer
                // that was wrong (a proxy, a fault) must not lose the pod. What came with it is given back.
                if (result.outcome() == BindOutcome.ALREADY_BOUND) {
                    bindConflicts++;
                }
                undoAssumption(pod);
                requeueInFlight(pod);
            }
            case FAILED -> {
                bindFailures++;
                if (rebindOnTheSameNode(pod, completed.nodeName(), result)) {
                    return;
                }
                rebinds.remove(pod.key());
                undoAssumption(pod);
                LOG.log(Level.WARNING, "binding {0} to {1} failed: {2} pod={0} node={1}", pod.key(), completed.nodeName(),
                        result.detail());
                if (leader) {
                    events.bindFailed(pod, completed.nodeName(), result.detail());
                }
                requeueInFlight(pod);
            }
        }
    }

    /**
     * A pod whose place a {@link ReservePlugin} keeps (a member of a gang planned together) keeps it
     * while its siblings keep theirs: the same bind is sent again after a backoff (1 s doubling), up
     * to {@link #MAX_REBINDS} times; then it is given up and planned again like any failed pod.
     */
    private boolean rebindOnTheSameNode(PodInfo pod, String nodeName, BindResult result) {
        if (!state.isAssumed(pod.key()) || !leader || !plugins.keepsPlaceOnBindFailure(pod)) {
            return false;
        }
        Rebind previous = rebinds.get(pod.key());
        int attempt = previous == null ? 1 : previous.attempt() + 1;
        if (attempt > MAX_REBINDS) {
            return false;
        }
        Duration backoff = settings.podInitialBackoff().multipliedBy(1L << Math.min(attempt - 1, 4));
        if (backoff.compareTo(settings.podMaxBackoff()) > 0) {
            backoff = settings.podMaxBackoff();
        }
        rebinds.put(pod.key(), new Rebind(pod, nodeName, clock.instant().plus(backoff), attempt));
        LOG.log(Level.WARNING, "binding {0} to {1} failed: {2}; its place is kept and the bind is sent again in {3} pod={0} node={1}",
                pod.key(), nodeName, result.detail(), Quantities.duration(backoff));
        events.bindFailed(pod, nodeName, result.detail() + " (the gang's place is kept; retrying on the same node)");
        return true;
    }

    private void sendDueRebinds() {
        if (rebinds.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        for (Rebind rebind : List.copyOf(rebinds.values())) {
            if (rebind.due().isAfter(now)) {
                continue;
            }
            if (!isCurrentIncarnation(rebind.pod()) || !state.isAssumed(rebind.pod().key())) {
                rebinds.remove(rebind.pod().key()); // gone, or bound after all (the informer showed it)
                continue;
            }
            // Kept in the map (with its count) until the answer: success clears it, failure counts on.
            rebinds.put(rebind.pod().key(), new Rebind(rebind.pod(), rebind.nodeName(), Instant.MAX, rebind.attempt()));
            bind(rebind.pod(), rebind.nodeName());
        }
    }

    private Instant nextRebind() {
        Instant next = null;
        for (Rebind rebind : rebinds.values()) {
            next = earliest(next, rebind.due());
        }
        return next;
    }

    /** A bind did not take: the pod is pending again, its charge forgotten, what came with it given back. */
    private void undoAssumption(PodInfo pod) {
        for (ReservePlugin plugin : plugins.reserve) {
            plugin.unreserve(pod);
        }
        if (state.forget(pod.key())) {
            queue.onClusterEvent(ClusterEventType.ASSIGNED_POD_REMOVED);
        }
    }

    /**
     * Whether {@code pod} (as a bind call carried it) is still the pod the loop knows under its name:
     * assumed or accounted with the same UID, or queued with it. Pods without a UID (tests) always are.
     */
    private boolean isCurrentIncarnation(PodInfo pod) {
        PodInfo known = knownPod(pod.key());
        return known != null && !differentUids(known, pod);
    }

    /** An upsert for a pod of a name we know under another UID: the one we know is gone. */
    private boolean isAnotherIncarnation(PodInfo pod) {
        PodInfo known = knownPod(pod.key());
        return known != null && differentUids(known, pod);
    }

    private PodInfo knownPod(PodKey key) {
        PodInfo accounted = state.accountedPod(key);
        return accounted != null ? accounted : queue.queuedPod(key);
    }

    private static boolean differentUids(PodInfo a, PodInfo b) {
        String x = a.uid();
        String y = b.uid();
        return x != null && y != null && !x.isEmpty() && !y.isEmpty() && !x.equals(y);
    }

    /** The pod's bind succeeded; reported once, while its queue entry is still in flight. */
    private void reportScheduled(PodKey key) {
        QueuedPod entry = queue.inFlight(key);
        if (entry != null) {
            metrics.podScheduled(entry.attempts() + 1,
                    Duration.between(entry.firstQueued(), clock.instant()).toNanos());
        }
    }

    private void finishInFlight(PodKey key) {
        if (queue.isInFlight(key)) {
            queue.remove(key);
        }
    }

    private void requeueInFlight(PodInfo pod) {
        QueuedPod entry = queue.inFlight(pod.key());
        if (entry != null) {
            queue.retryAfterBackoff(entry);
        }
    }

    // ------------------------------------------------------------------ readers

    private void publishIfDue(boolean force) {
        long now = System.nanoTime();
        if (force || now - lastPublishNanos >= PUBLISH_INTERVAL_NANOS) {
            state.publish();
            lastPublishNanos = now;
        }
    }

    private void updateStats() {
        int pending = queue.size();
        int waitingGroups = 0;
        for (GroupAttemptPlugin plugin : plugins.groupAttempt) {
            waitingGroups += plugin.waitingGroups();
        }
        int held = 0;
        long expired = 0;
        for (ReservePlugin plugin : plugins.reserve) {
            held += plugin.heldPlaceholders();
            expired += plugin.expiredPlaceholders();
        }
        stats = new LoopStats(attempts, scheduled, unschedulableAttempts, bindFailures, bindConflicts, pending,
                queue.unschedulableCount(), synced, leader, waitingGroups, held, expired);
        metrics.groupsWaiting(waitingGroups);
        metrics.queueSize("active", queue.activeCount());
        metrics.queueSize("backoff", queue.backoffCount());
        metrics.queueSize("unschedulable", queue.unschedulableCount());
    }

    /**
     * The sizes of every collection the loop and its plugins keep (queue, accounted pods, memberships,
     * places held, ...), read on the loop thread in order with the events before it: for soak
     * tests that check nothing grows without bound. Completes once the loop next runs.
     */
    public CompletableFuture<Map<String, Integer>> bookkeepingSizes() {
        CompletableFuture<Map<String, Integer>> answer = new CompletableFuture<>();
        inbox.add(new LoopEvent.Inspect(answer));
        return answer;
    }

    private Map<String, Integer> bookkeeping() {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        sizes.put("queue", queue.size());
        sizes.put("accountedPods", state.accountedPodCount());
        sizes.put("nodes", state.nodeCount());
        sizes.put("rebinds", rebinds.size());
        sizes.put("invalidPods", invalidPods.size());
        sizes.put("inbox", inbox.size());
        sizes.put("unschedulableMessages", messages.size());
        externalBinds.sizes(sizes);
        for (LifecyclePlugin plugin : plugins.all) {
            plugin.sizes(sizes);
        }
        return sizes;
    }

    // ------------------------------------------------------------------ queries (any thread; answered on the loop)

    /**
     * The extender's filter: the pre-filters and filters a decision runs, restricted to
     * {@code nodeNames}, with each rejected node's reason (see {@link NodeFilterResult}). A pod may use
     * the places a {@link ReservePlugin} holds for it. Answered between attempts, on a standby too.
     */
    @Override
    public CompletableFuture<NodeFilterResult> filter(PodInfo pod, List<String> nodeNames) {
        List<String> names = List.copyOf(nodeNames);
        return ask(() -> extenderDecisions.filter(pod, names));
    }

    /** The extender's prioritize: the feasible named nodes' scores mapped to 0..10 (see {@link NodeScores}). */
    @Override
    public CompletableFuture<NodeScores> prioritize(PodInfo pod, List<String> nodeNames) {
        List<String> names = List.copyOf(nodeNames);
        return ask(() -> extenderDecisions.prioritize(pod, names));
    }

    /**
     * The extender's bind of {@code pod} to the node kube-scheduler chose: checked, then offered to the
     * {@link PermitPlugin}s (a gang member's bind is held until its siblings are ready), else bound at
     * once if it fits there. Completes when the bind's result is known. Only the leader binds: a
     * standby refuses.
     */
    @Override
    public CompletableFuture<ExtenderBindResult> bindFor(PodInfo pod, String nodeName, Duration holdLimit) {
        CompletableFuture<ExtenderBindResult> answer = new CompletableFuture<>();
        post(() -> {
            try {
                externalBinds.bind(pod, nodeName, holdLimit, answer);
            } catch (RuntimeException e) {
                externalBinds.abandon(pod.key());
                answer.complete(new ExtenderBindResult.Refused("internal error: " + e));
                throw e;
            }
        });
        return answer;
    }

    /**
     * The extender's preempt: each proposed node is answered with the victims our own engine chooses
     * there (the fewest and least important, whole gangs included, budgets weighed), which may differ
     * from the proposed ones; a node where our rules allow no victims (they would not be of lower
     * priority, or no eviction makes the pod fit) is dropped. The state is unchanged after.
     */
    public CompletableFuture<Map<String, List<PodKey>>> acceptVictims(PodInfo pod, Map<String, List<PodKey>> victimsByNode) {
        List<String> nodes = List.copyOf(victimsByNode.keySet());
        return ask(() -> {
            Map<String, List<PodKey>> out = new LinkedHashMap<>();
            extenderDecisions.acceptVictims(pod, nodes).forEach((node, victims) ->
                    out.put(node, victims.victims().stream().map(PodInfo::key).toList()));
            return out;
        });
    }

    /**
     * {@link #acceptVictims} with victims named by UID, as kube-scheduler's MetaVictims name them,
     * with our count of budget violations.
     */
    @Override
    public CompletableFuture<Map<String, NodeVictims>> acceptVictimUids(PodInfo pod, Map<String, List<String>> uidsByNode) {
        List<String> nodes = List.copyOf(uidsByNode.keySet());
        return ask(() -> {
            Map<String, NodeVictims> out = new LinkedHashMap<>();
            extenderDecisions.acceptVictims(pod, nodes).forEach((node, victims) -> out.put(node,
                    new NodeVictims(victims.victims().stream().map(PodInfo::uid).toList(), victims.budgetViolations())));
            return out;
        });
    }

    /** Why the pod is where it is; empty when the loop knows nothing of it. Assumes nothing. */
    @Override
    public CompletableFuture<Optional<PodExplanation>> explain(PodKey key) {
        return ask(() -> explainer.explain(key));
    }

    /** Every group the loop knows, sorted by id. */
    @Override
    public CompletableFuture<List<GroupSummary>> groups() {
        return ask(explainer::groups);
    }

    /** The cluster page's snapshot of nodes, gangs and pending pods (see {@link ClusterOverviews}). Changes nothing. */
    @Override
    public CompletableFuture<ClusterOverview> overview(OverviewRequest request) {
        return ask(() -> new ClusterOverviews(this, explainer).overview(request));
    }

    private <T> CompletableFuture<T> ask(Supplier<T> question) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        post(() -> {
            try {
                answer.complete(question.get());
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
                throw e;
            }
        });
        return answer;
    }

    // ------------------------------------------------------------------ for the query helpers (loop thread)
    // They also read the package-private final fields: state, queue, algorithm, plugins, clock, binder.

    void post(Runnable onLoop) {
        inbox.add(new LoopEvent.Query(onLoop));
    }

    boolean isLeader() {
        return leader;
    }

    ExternalBinds externalBinds() {
        return externalBinds;
    }

    String lastUnschedulableMessage(PodKey key) {
        return messages.message(key);
    }

    /** The members of {@code groupId} waiting to be placed, as the {@link GroupInsightPlugin}s know them. */
    Set<PodKey> pendingMemberKeys(String groupId) {
        Set<PodKey> keys = new HashSet<>();
        for (GroupInsightPlugin plugin : plugins.insight) {
            keys.addAll(plugin.waitingMembers(groupId));
        }
        return keys;
    }

    /** Counters as of the last iteration; any thread. */
    public LoopStats stats() {
        return stats;
    }

    /** The last published cluster view; any thread. */
    public ClusterView view() {
        return state.lastPublished();
    }

    /** The live state, for tests that drive the loop with {@link #runOnce()} on their own thread. */
    ClusterState stateForTest() {
        return state;
    }

    /** The queue, for tests that drive the loop with {@link #runOnce()}. */
    SchedulingQueue queueForTest() {
        return queue;
    }

    private static Instant earliest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isBefore(b) ? a : b;
    }

    /** The lifecycle plugins by the extension points each implements, in registration order. */
    static final class Plugins {
        final List<LifecyclePlugin> all;
        final List<PreEnqueuePlugin> preEnqueue = new ArrayList<>();
        final List<GroupAttemptPlugin> groupAttempt = new ArrayList<>();
        final List<ReservePlugin> reserve = new ArrayList<>();
        final List<PermitPlugin> permit = new ArrayList<>();
        final List<PostFilterPlugin> postFilter = new ArrayList<>();
        final List<PodEventsPlugin> podEvents = new ArrayList<>();
        final List<GroupInsightPlugin> insight = new ArrayList<>();

        Plugins(List<? extends LifecyclePlugin> plugins) {
            this.all = List.copyOf(plugins);
            for (LifecyclePlugin plugin : all) {
                Objects.requireNonNull(plugin, "plugin");
                add(plugin, PreEnqueuePlugin.class, preEnqueue);
                add(plugin, GroupAttemptPlugin.class, groupAttempt);
                add(plugin, ReservePlugin.class, reserve);
                add(plugin, PermitPlugin.class, permit);
                add(plugin, PostFilterPlugin.class, postFilter);
                add(plugin, PodEventsPlugin.class, podEvents);
                add(plugin, GroupInsightPlugin.class, insight);
            }
        }

        private static <T> void add(LifecyclePlugin plugin, Class<T> type, List<T> into) {
            if (type.isInstance(plugin)) {
                into.add(type.cast(plugin));
            }
        }

        Instant nextWakeUp() {
            Instant next = null;
            for (LifecyclePlugin plugin : all) {
                next = earliest(next, plugin.nextWakeUp());
            }
            return next;
        }

        void bound(PodInfo pod) {
            for (ReservePlugin plugin : reserve) {
                plugin.bound(pod);
            }
        }

        boolean keepsPlaceOnBindFailure(PodInfo pod) {
            for (ReservePlugin plugin : reserve) {
                if (plugin.keepsPlaceOnBindFailure(pod)) {
                    return true;
                }
            }
            return false;
        }

        /** Placeholders {@code pod} may use as its own, from every reserve plugin. */
        List<PodInfo> placeholdersUsableBy(PodInfo pod) {
            if (reserve.isEmpty()) {
                return List.of();
            }
            List<PodInfo> out = new ArrayList<>();
            for (ReservePlugin plugin : reserve) {
                out.addAll(plugin.placeholdersUsableBy(pod));
            }
            return out;
        }
    }

    /** What plugins see of the loop; loop thread only, except post. */
    private final class Handle implements LoopHandle {
        @Override
        public ClusterState state() {
            return state;
        }

        @Override
        public SchedulingAlgorithm algorithm() {
            return algorithm;
        }

        @Override
        public Clock clock() {
            return clock;
        }

        @Override
        public SchedulerMetrics metrics() {
            return metrics;
        }

        @Override
        public EventSink events() {
            return events;
        }

        @Override
        public boolean leading() {
            return leader;
        }

        @Override
        public boolean isOurs(PodInfo pod) {
            return SchedulingLoop.this.isOurs(pod);
        }

        @Override
        public void post(Runnable onLoop) {
            SchedulingLoop.this.post(onLoop);
        }

        @Override
        public QueuedPod claim(PodKey key) {
            return queue.claim(key);
        }

        @Override
        public PodInfo queuedPod(PodKey key) {
            return queue.queuedPod(key);
        }

        @Override
        public void retryNow(QueuedPod entry) {
            queue.retryNow(entry);
        }

        @Override
        public void retryAfterBackoff(QueuedPod entry) {
            queue.retryAfterBackoff(entry);
        }

        @Override
        public void unschedulableAgain(QueuedPod entry) {
            queue.unschedulableAgain(entry);
        }

        @Override
        public void onClusterEvent(ClusterEventType event) {
            queue.onClusterEvent(event);
        }

        @Override
        public void joinAttempt(QueuedPod claimed) {
            if (attemptUnderWay) {
                attemptEntries.add(claimed);
            }
        }

        @Override
        public void mayAssume(PodKey key) {
            if (attemptUnderWay) {
                attemptAssumed.add(key);
            }
        }

        @Override
        public void countAttempts(int count) {
            attempts += count;
        }

        @Override
        public void bind(PodInfo pod, String nodeName, long attemptNanos) {
            metrics.attempt("scheduled", attemptNanos);
            SchedulingLoop.this.bind(pod, nodeName);
        }

        @Override
        public void unschedulable(QueuedPod entry, Set<ClusterEventType> helpful, String message, long attemptNanos) {
            markUnschedulable(entry, helpful, message, attemptNanos);
        }

        @Override
        public void scheduleAlone(QueuedPod entry, Set<ClusterEventType> alsoHelpful) {
            scheduleSingle(entry, alsoHelpful);
        }

        @Override
        public String assumeIfFits(PodInfo pod, String nodeName) {
            return externalBinds.assumeIfFits(pod, nodeName);
        }

        @Override
        public void sendExternalBind(PodInfo pod, String nodeName, CompletableFuture<ExtenderBindResult> answer,
                                     Runnable onFailure) {
            externalBinds.send(pod, nodeName, answer, onFailure);
        }

        @Override
        public Optional<PreemptionPlan> preemptFor(List<PodInfo> preemptors, String why) {
            return preemption.preemptFor(preemptors, why);
        }
    }

    /** The engine for the extender's preempt verb, which answers with its own victims. */
    PreemptionEngine preemptionEngine() {
        return preemption.engine();
    }

    /** What goes with a victim and whether victims may go, as the {@link PostFilterPlugin}s say. */
    private final class PostFilterVictimGroups implements VictimGroups {
        @Override
        public Collection<PodInfo> mustGoWith(PodInfo victim) {
            List<PodInfo> out = new ArrayList<>();
            for (PostFilterPlugin plugin : plugins.postFilter) {
                out.addAll(plugin.mustGoWith(victim));
            }
            return out;
        }

        @Override
        public boolean mayEvict(List<PodInfo> victims) {
            for (PostFilterPlugin plugin : plugins.postFilter) {
                if (!plugin.mayEvict(victims)) {
                    return false;
                }
            }
            return true;
        }
    }
}
