package io.kubenexus.scheduler.core.loop;

import io.kubenexus.scheduler.core.config.GangSettings;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.framework.ClusterEventType;
import io.kubenexus.scheduler.core.framework.ExecutorTemplate;
import io.kubenexus.scheduler.core.framework.GroupMembership;
import io.kubenexus.scheduler.core.framework.GroupPolicy;
import io.kubenexus.scheduler.core.framework.GroupRole;
import io.kubenexus.scheduler.core.model.Quantities;
import io.kubenexus.scheduler.core.model.ResourceList;
import io.kubenexus.scheduler.core.state.ResourceColumns;
import io.kubenexus.scheduler.core.framework.GroupPlan;
import io.kubenexus.scheduler.core.framework.GroupPlanner;
import io.kubenexus.scheduler.core.framework.PodGroups;
import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.model.PodPhase;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.ports.BindOutcome;
import io.kubenexus.scheduler.core.ports.BindResult;
import io.kubenexus.scheduler.core.ports.Binder;
import io.kubenexus.scheduler.core.ports.EventSink;
import io.kubenexus.scheduler.core.ports.SchedulerMetrics;
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
import java.util.BitSet;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.TreeSet;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import io.kubenexus.scheduler.core.query.ExtenderBindResult;
import io.kubenexus.scheduler.core.query.GroupSummary;
import io.kubenexus.scheduler.core.query.NodeFilterResult;
import io.kubenexus.scheduler.core.query.NodeScores;
import io.kubenexus.scheduler.core.query.PodExplanation;
import io.kubenexus.scheduler.core.query.SchedulerQueries;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

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
 * Pods of a group ({@link PodGroups}) are decided together: the pod popped first brings its waiting
 * siblings along, and the {@link GroupPlanner} places them all or none against the same state.
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
    private final ExtenderBinds extenderBinds;
    private final PendingExplainer explainer;
    private final SchedulerMetrics metrics;
    final Clock clock;
    final ClusterState state = new ClusterState();
    final SchedulingQueue queue;
    final SchedulingAlgorithm algorithm;
    private final BlockingQueue<LoopEvent> inbox = new LinkedBlockingQueue<>();
    final PodGroups groups;
    final GroupPlanner groupPlanner;
    /** Group of each of our pods that belongs to one (pending or bound). */
    private final Map<PodKey, GroupMembership> memberships = new HashMap<>();
    private final Map<String, Set<PodKey>> pendingMembers = new HashMap<>();
    private final Map<String, Set<PodKey>> boundMembers = new HashMap<>();
    private final Set<PodKey> warnedMembers = new HashSet<>();
    /** Executor places held for drivers, by the reservation's synthetic pod key. */
    private final Map<PodKey, Reservation> reservations = new LinkedHashMap<>();
    /**
     * Places an executor took whose bind has not succeeded yet, by the executor's key: given back to
     * the reservation when the bind fails or the executor is deleted first, so the room never goes to
     * just anyone.
     */
    private final Map<PodKey, Reservation> takenReservations = new HashMap<>();
    /**
     * Executors already matched against their group's places: they took one, or arrived bound and
     * released one. An executor that shows up bound without having taken a place (its bind timed out
     * as we saw it but was applied, a previous leader placed it) fills one all the same, so the places
     * held always match the executors still expected.
     */
    private final Set<PodKey> countedExecutors = new HashSet<>();
    /** No reservation expires before this (a lower bound; null when none is held). */
    private Instant earliestExpiry;
    private long reservationsExpired;
    /** The highest executor ordinal seen per group (Spark's spark-exec-id), for rebuilding reservations. */
    private final Map<String, Integer> executorOrdinals = new HashMap<>();
    /**
     * Members of a placed gang whose bind failed: they keep their place (still assumed) and the same
     * bind is sent again when due, so a failed call never leaves the gang partial while others take
     * the member's room. By pod key; few at a time.
     */
    private final Map<PodKey, Rebind> rebinds = new LinkedHashMap<>();
    /** Binds of one gang member sent again before it is given up and planned anew. */
    static final int MAX_REBINDS = 5;

    private record Rebind(PodInfo pod, String nodeName, Instant due, int attempt) {
    }

    /** When the next check of PodGroup schedule timeouts is due. */
    private Instant nextTimeoutCheck = Instant.MIN;
    private static final Duration TIMEOUT_CHECK_INTERVAL = Duration.ofSeconds(1);
    // The attempt under way (scheduleOne): what it took out of the queue, what it may have assumed and
    // what it handed to the binder, so that a bug in the middle of it can be undone (containFailedAttempt).
    private final List<QueuedPod> attemptEntries = new ArrayList<>();
    private final List<PodKey> attemptMembers = new ArrayList<>();
    private final Set<PodKey> attemptBinding = new HashSet<>();
    private boolean attemptUnderWay;
    private final Map<String, GroupPolicy> policies = new HashMap<>();
    /** Executor templates by application ("ns/app"), or by driver ("pod:ns/name") for the annotation. */
    private final Map<String, ExecutorTemplate> templates = new HashMap<>();
    /** Drivers waiting for the application that sizes their executors, by "ns/app". */
    private final Map<String, PodKey> driversAwaitingApplication = new HashMap<>();
    /** Drivers already told that their executors cannot be sized (told once). */
    private final Set<PodKey> unsizedDrivers = new HashSet<>();
    private final GangSettings gang;
    private boolean reservationsRebuilt;
    /** When each group with pending members started waiting, for the wait-time histogram. */
    private final Map<String, Instant> groupWaitingSince = new HashMap<>();
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
        this(settings, profile, PodGroups.NONE, null, GangSettings.defaults(), binder, events, metrics, clock);
    }

    /**
     * @param groups       which pods must be scheduled together
     * @param groupPlanner places a group all-or-nothing; required when {@code groups} can name groups
     */
    public SchedulingLoop(SchedulerSettings settings, SchedulingProfile profile, PodGroups groups,
                          GroupPlanner groupPlanner, GangSettings gang, Binder binder, EventSink events,
                          SchedulerMetrics metrics, Clock clock) {
        this.settings = settings;
        this.gang = gang;
        this.groups = groups;
        this.groupPlanner = groupPlanner;
        this.binder = binder;
        this.messages = new LastUnschedulableMessages(events);
        this.events = messages;
        this.metrics = metrics;
        this.clock = clock;
        this.queue = new SchedulingQueue(clock, settings.podInitialBackoff(), settings.podMaxBackoff(),
                settings.podMaxInUnschedulablePods(), metrics);
        this.algorithm = new SchedulingAlgorithm(profile, settings.percentageOfNodesToScore());
        NodeVerdicts verdicts = new NodeVerdicts(profile);
        this.extenderDecisions = new ExtenderDecisions(this, verdicts);
        this.extenderBinds = new ExtenderBinds(this);
        this.explainer = new PendingExplainer(this, verdicts);
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

    /** A PodGroup object was added or changed ({@code policy}) or deleted ({@code policy} null). */
    public void onGroupPolicy(String groupId, GroupPolicy policy) {
        inbox.add(new LoopEvent.GroupPolicyChanged(groupId, policy));
    }

    /**
     * The executors of application {@code namespace/appName} (as named in the members'
     * {@link GroupMembership#appName()}) are now sized by {@code template}, or unknown again (null).
     */
    public void onExecutorTemplate(String namespace, String appName, ExecutorTemplate template) {
        inbox.add(new LoopEvent.ExecutorTemplateChanged(namespace + "/" + appName, template));
    }

    /**
     * The driver's own annotation sizes its executors ({@link #EXECUTOR_RESOURCES_ANNOTATION}), or no
     * longer does (null).
     */
    public void onDriverExecutorTemplate(PodKey driver, ExecutorTemplate template) {
        inbox.add(new LoopEvent.ExecutorTemplateChanged("pod:" + driver, template));
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
     * Registers a module's per-node data with this loop's cluster state (see
     * {@link ClusterState#addExtension}). Call before {@link #start()}.
     */
    public void addStateExtension(StateExtension extension) {
        if (thread != null) {
            throw new IllegalStateException("state extensions must be added before the loop starts");
        }
        state.addExtension(extension);
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
            if (!reservationsRebuilt) {
                // Set first: a rebuild that fails is reported per driver, never retried on every iteration.
                reservationsRebuilt = true;
                rebuildReservations();
            }
            expireReservations();
            timeOutWaitingGroups();
            sendDueRebinds();
            extenderBinds.expireHolds();
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
     * periodic retry, a reservation expiring, a gang member's bind due again, an extender hold ending),
     * or null when nothing waits on time. For drivers of virtual time (the simulator) that call
     * {@link #runOnce()} on their own thread; the loop thread uses it to know how long to sleep.
     */
    public Instant nextWakeUp() {
        return earliest(earliest(earliest(queue.nextWakeUp(), nextReservationExpiry()), nextRebind()),
                extenderBinds.nextDeadline());
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
            state.removeNode(e.name());
        } else if (event instanceof LoopEvent.PodInvalid e) {
            applyInvalid(e.pod(), e.message());
        } else if (event instanceof LoopEvent.GroupPolicyChanged e) {
            if (e.policy() == null) {
                policies.remove(e.groupId());
            } else {
                policies.put(e.groupId(), e.policy());
            }
            retryGroup(e.groupId());
        } else if (event instanceof LoopEvent.ExecutorTemplateChanged e) {
            if (e.template() == null) {
                templates.remove(e.appKey());
            } else {
                templates.put(e.appKey(), e.template());
                PodKey waiting = driversAwaitingApplication.remove(e.appKey());
                QueuedPod entry = waiting == null ? null : queue.claim(waiting);
                if (entry != null) {
                    queue.retryNow(entry); // its application arrived: no need to wait out the backoff
                }
            }
        } else if (event instanceof LoopEvent.StateUpdate e) {
            try {
                e.update().accept(state);
            } catch (RuntimeException ex) {
                // A module's bug must not stop scheduling for everyone else.
                LOG.log(Level.ERROR, "state update for " + e.event() + " failed", ex);
            }
            queue.onClusterEvent(e.event());
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
                // A new term starts from what the API shows; our in-memory reservations lapse with it,
                // and so do binds kept for a retry: their pods are planned again by whoever leads.
                for (Rebind rebind : List.copyOf(rebinds.values())) {
                    undoAssumption(rebind.pod());
                    requeueInFlight(rebind.pod());
                }
                rebinds.clear();
                extenderBinds.leadershipLost();
                releaseAllReservations();
                reservationsRebuilt = false;
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
            // Deleted and recreated under the same name (a StatefulSet, spark-operator retrying a driver)
            // without a delete we applied (the informer relisted): the old UID is gone all the same.
            applyPodRemoved(pod.key());
        }
        invalidPods.remove(pod.key());
        extenderBinds.podUpdated(pod);
        GroupMembership membership = isOurs(pod) ? groups.membership(pod) : null;
        trackMembership(pod, membership);
        if (membership != null && !membership.isValid() && !pod.isAssigned()) {
            applyInvalid(pod, membership.invalidReason());
            return;
        }
        if (pod.isAssigned()) {
            // Bound by us (confirming an assumption) or by anyone else: account it, stop queueing it.
            if (state.isAssumed(pod.key())) {
                reportScheduled(pod.key()); // the informer saw our bind before its answer came
            }
            queue.remove(pod.key());
            messages.forget(pod.key());
            takenReservations.remove(pod.key()); // an executor's bind confirmed: its place is its own
            if (membership != null && membership.isValid() && membership.role() == GroupRole.EXECUTOR
                    && pod.holdsResources() && countedExecutors.add(pod.key())) {
                fillOnePlace(membership.groupId(), pod.nodeName());
            }
            PodInfo before = state.accountedPod(pod.key());
            if (state.upsertPod(pod)) {
                queue.onClusterEvent(ClusterEventType.ASSIGNED_POD_REMOVED);
            }
            if (pod.phase() == PodPhase.RUNNING && (before == null || before.phase() != PodPhase.RUNNING)) {
                queue.onClusterEvent(ClusterEventType.ASSIGNED_POD_STARTED);
            }
            if (before == null && membership != null && membership.isValid() && membership.role() == GroupRole.DRIVER
                    && pod.holdsResources() && synced && leader && reservationsRebuilt) {
                // A driver shows up bound that this term did not just bind: its bind timed out as we saw
                // it but was applied (its places were released with the failure), or someone else bound
                // it. Its executors' places are reserved again, as after a restart.
                rebuildReservationsOf(pod, membership);
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
        // An executor deleted before its bind answered: Spark creates another, the place waits for it.
        giveBackTakenReservation(key);
        extenderBinds.podRemoved(key);
        messages.forget(key);
        rebinds.remove(key);
        invalidPods.remove(key);
        templates.remove("pod:" + key); // a driver's own executor-resources annotation
        driversAwaitingApplication.values().remove(key);
        untrackMembership(key);
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
            // Nor does it count as a member its gang waits for, until it can be read again.
            untrackMembership(pod.key());
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
        try {
            dispatch(entry);
        } catch (RuntimeException e) {
            containFailedAttempt(entry, e);
        } finally {
            attemptUnderWay = false;
            attemptEntries.clear();
            attemptMembers.clear();
            attemptBinding.clear();
        }
    }

    private void containFailedAttempt(QueuedPod entry, RuntimeException failure) {
        PodInfo pod = entry.pod();
        // A trailing " pod=..." is lifted into a structured field by the executable's log encoders.
        LOG.log(Level.ERROR, "scheduling " + pod.key() + " failed; it backs off and is retried pod=" + pod.key(), failure);
        metrics.attempt("error", 0);
        // Members the attempt may have assumed (the planner's contract does not hold when it throws)
        // and stand-ins it may have reserved, unless their bind was under way: a driver whose bind
        // started keeps the places reserved with it.
        boolean poppedIsBinding = attemptBinding.contains(pod.key());
        for (PodKey key : attemptMembers) {
            if (attemptBinding.contains(key) || (poppedIsBinding && reservations.containsKey(key))) {
                continue;
            }
            reservations.remove(key);
            if (state.forget(key)) {
                queue.onClusterEvent(ClusterEventType.ASSIGNED_POD_REMOVED);
            }
        }
        List<QueuedPod> involved = new ArrayList<>(attemptEntries.size() + 1);
        involved.add(entry);
        involved.addAll(attemptEntries);
        for (QueuedPod member : involved) {
            PodKey key = member.pod().key();
            if (!attemptBinding.contains(key)) {
                if (!attemptMembers.contains(key)) {
                    state.forget(key);
                }
                giveBackTakenReservation(key);
                GroupMembership membership = memberships.get(key);
                if (membership != null && membership.isValid() && !state.isAssumed(key)
                        && state.accountedPod(key) == null) {
                    moveMember(membership.groupId(), key, false);
                }
                queue.retryAfterBackoff(member);
            }
        }
        publishReservedCapacity();
        if (leader) {
            events.warning(pod, "SchedulingError", "scheduling failed with an internal error and is retried after "
                    + "backoff: " + failure);
        }
    }

    private void dispatch(QueuedPod entry) {
        GroupMembership membership = memberships.get(entry.pod().key());
        if (membership != null && membership.isValid() && membership.role() == GroupRole.EXECUTOR) {
            scheduleExecutor(entry, membership.groupId());
            return;
        }
        if (membership != null && membership.isValid() && membership.role() == GroupRole.DRIVER) {
            scheduleDriver(entry, membership);
            return;
        }
        if (membership != null && membership.isValid()) {
            if (awaitingPodGroup(entry, membership)) {
                return;
            }
            int minMembers = groupMinimum(membership.groupId());
            if (minMembers > 0) {
                scheduleGroup(entry, membership.groupId(), minMembers);
                return;
            }
            // No member says how many belong together: each is placed on its own.
        }
        scheduleSingle(entry);
    }

    private void scheduleSingle(QueuedPod entry) {
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
            unschedulableAttempts++;
            metrics.attempt("unschedulable", System.nanoTime() - start);
            Set<ClusterEventType> helpful = unschedulable.helpfulEvents();
            if (!alsoHelpful.isEmpty()) {
                helpful = EnumSet.copyOf(alsoHelpful);
                helpful.addAll(unschedulable.helpfulEvents());
            }
            queue.unschedulable(entry, helpful);
            if (leader) {
                events.unschedulable(pod, unschedulable.message());
            }
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

    // ------------------------------------------------------------------ groups

    /**
     * One attempt for a whole group: the popped member brings every sibling waiting in the queue,
     * and the planner places them all against this snapshot or none. Siblings whose own attempt
     * is under way (a bind in flight) count as bound.
     */
    private void scheduleGroup(QueuedPod popped, String groupId, int minMembers) {
        long start = System.nanoTime();
        List<QueuedPod> entries = new ArrayList<>();
        entries.add(popped);
        for (PodKey sibling : List.copyOf(pendingMembers.getOrDefault(groupId, Set.of()))) {
            if (!sibling.equals(popped.pod().key())) {
                QueuedPod claimed = queue.claim(sibling);
                if (claimed != null) {
                    entries.add(claimed);
                    attemptEntries.add(claimed);
                }
            }
        }
        warnIfMembersDisagree(groupId, minMembers, entries);
        List<PodInfo> pods = new ArrayList<>(entries.size());
        entries.forEach(e -> pods.add(e.pod()));
        pods.forEach(p -> attemptMembers.add(p.key()));
        attempts += entries.size();
        int bound = boundMembers.getOrDefault(groupId, Set.of()).size();
        GroupPlan plan = groupPlanner.plan(groupId, minMembers, pods, bound, state, algorithm);
        long elapsed = System.nanoTime() - start;
        if (plan instanceof GroupPlan.Placed placed) {
            for (QueuedPod entry : entries) {
                String node = placed.nodes().get(entry.pod().key());
                if (node == null) {
                    // Beyond min-available and does not fit now: retried on its own later.
                    queue.retryAfterBackoff(entry);
                    continue;
                }
                moveMember(groupId, entry.pod().key(), true);
                metrics.attempt("scheduled", elapsed);
                bind(entry.pod(), node);
            }
        } else if (plan instanceof GroupPlan.Waiting waiting) {
            for (QueuedPod entry : entries) {
                unschedulableAttempts++;
                metrics.attempt("unschedulable", elapsed);
                queue.unschedulable(entry, waiting.helpfulEvents());
                if (leader) {
                    events.unschedulable(entry.pod(), waiting.message());
                }
            }
        }
    }

    /**
     * A member sized by a PodGroup object may be seen before the object (they come through
     * different watches): it waits for the object rather than being placed alone. If the object does
     * not come within {@link #POD_GROUP_GRACE} (not installed, a typo), the member is placed on its
     * own and told why, so a missing CRD never strands pods.
     */
    private boolean awaitingPodGroup(QueuedPod entry, GroupMembership membership) {
        if (!membership.sizedByPodGroup() || policies.containsKey(membership.groupId())) {
            return false;
        }
        PodInfo pod = entry.pod();
        if (Duration.between(entry.firstQueued(), clock.instant()).compareTo(POD_GROUP_GRACE) < 0) {
            queue.retryAfterBackoff(entry);
            if (leader) {
                events.unschedulable(pod, "gang " + membership.groupId() + ": waiting for PodGroup "
                        + membership.groupId() + " to say how many members belong together");
            }
            return true;
        }
        if (warnedMembers.add(pod.key()) && leader) {
            events.warning(pod, "PodGroupNotFound", "gang " + membership.groupId() + ": no PodGroup object "
                    + membership.groupId() + " after " + Quantities.duration(POD_GROUP_GRACE)
                    + "; placing the pod on its own");
        }
        return false;
    }

    /**
     * A driver spark-operator created names its SparkApplication, which sizes the executors; the two
     * come through different watches, and after a cut watch the application may be seen late. The
     * driver waits for it up to {@link #POD_GROUP_GRACE}, and is tried again as soon as it arrives,
     * rather than being placed at once without room for its executors.
     */
    private boolean awaitingApplication(QueuedPod entry, GroupMembership membership) {
        PodInfo driver = entry.pod();
        if (membership.appName() == null || !groups.sizedByApplication(driver)
                || Duration.between(entry.firstQueued(), clock.instant()).compareTo(POD_GROUP_GRACE) >= 0) {
            return false;
        }
        driversAwaitingApplication.put(driver.key().namespace() + "/" + membership.appName(), driver.key());
        queue.retryAfterBackoff(entry);
        if (leader) {
            events.unschedulable(driver, "gang " + membership.groupId() + ": waiting for SparkApplication "
                    + driver.key().namespace() + "/" + membership.appName() + " to size the executors");
        }
        return true;
    }

    /** How long a member waits for the PodGroup object it names. */
    static final Duration POD_GROUP_GRACE = Duration.ofSeconds(30);

    /** The largest min-available its PodGroup object or any member declares (0 when none does). */
    private int groupMinimum(String groupId) {
        GroupPolicy policy = policies.get(groupId);
        int min = policy == null ? 0 : policy.minMembers();
        for (Map<String, Set<PodKey>> members : List.of(pendingMembers, boundMembers)) {
            for (PodKey key : members.getOrDefault(groupId, Set.of())) {
                GroupMembership membership = memberships.get(key);
                if (membership != null) {
                    min = Math.max(min, membership.minMembers());
                }
            }
        }
        return min;
    }

    /** Members declaring different sizes are told once each which size the group uses. */
    private void warnIfMembersDisagree(String groupId, int used, List<QueuedPod> entries) {
        if (!leader) {
            return;
        }
        Set<Integer> declared = new TreeSet<>();
        for (QueuedPod entry : entries) {
            int min = memberships.get(entry.pod().key()).minMembers();
            if (min > 0) {
                declared.add(min);
            }
        }
        if (declared.size() < 2) {
            return;
        }
        for (QueuedPod entry : entries) {
            int min = memberships.get(entry.pod().key()).minMembers();
            if (min != used && warnedMembers.add(entry.pod().key())) {
                events.warning(entry.pod(), "PodGroupMismatch", "gang " + groupId + ": members disagree on min-available "
                        + declared + "; the group uses the largest, " + used);
            }
        }
    }

    // ------------------------------------------------------------------ drivers and reservations

    /**
     * A driver is placed only together with room for the executors it will create: the planner
     * places the driver and one stand-in per executor against the same snapshot; on success the
     * driver is bound and the stand-ins stay assumed as reservations no other pod can take.
     * Without an executor size the driver is placed alone and told why (documented fallback).
     */
    private void scheduleDriver(QueuedPod entry, GroupMembership membership) {
        PodInfo driver = entry.pod();
        String groupId = membership.groupId();
        ExecutorTemplate template = executorTemplate(driver, membership);
        if (template == null && awaitingApplication(entry, membership)) {
            return;
        }
        if (template == null || template.count() == 0) {
            if (template == null && unsizedDrivers.add(driver.key()) && leader) {
                events.warning(driver, "ExecutorsNotSized", "gang " + groupId + ": cannot size the executors (no "
                        + "PodGroup minResources, no SparkApplication " + driver.key().namespace() + "/"
                        + membership.appName() + ", no " + EXECUTOR_RESOURCES_ANNOTATION
                        + " annotation); placing the driver without reserving room for them");
            }
            scheduleSingle(entry);
            return;
        }
        long start = System.nanoTime();
        attempts++;
        List<PodInfo> standIns = standIns(driver, template, 0);
        List<PodInfo> members = new ArrayList<>(standIns.size() + 1);
        members.add(driver);
        members.addAll(standIns);
        members.forEach(m -> attemptMembers.add(m.key()));
        GroupPlan plan = groupPlanner.plan(groupId, members.size(), members, 0, state, algorithm);
        long elapsed = System.nanoTime() - start;
        if (plan instanceof GroupPlan.Placed placed) {
            Instant expiry = clock.instant().plus(gang.reservationTtl());
            for (PodInfo standIn : standIns) {
                holdReservation(new Reservation(standIn.withNodeName(placed.nodes().get(standIn.key())),
                        groupId, driver, expiry));
            }
            moveMember(groupId, driver.key(), true);
            metrics.attempt("scheduled", elapsed);
            publishReservedCapacity();
            bind(driver, placed.nodes().get(driver.key()));
        } else if (plan instanceof GroupPlan.Waiting waiting) {
            unschedulableAttempts++;
            metrics.attempt("unschedulable", elapsed);
            queue.unschedulable(entry, waiting.helpfulEvents());
            if (leader) {
                events.unschedulable(driver, "driver and " + template.count() + " executor(s) sized by "
                        + template.source() + ": " + waiting.message());
            }
        }
    }

    /**
     * An executor takes a place reserved for its group when one fits it (the stand-in is released
     * and the executor placed on that node); otherwise, or when nothing is reserved (executors
     * beyond min-available, dynamic allocation), it is placed like any pod.
     */
    private void scheduleExecutor(QueuedPod entry, String groupId) {
        PodInfo executor = entry.pod();
        // Why the reserved places refused it: the general attempt below sees those nodes taken by
        // the reservations again and blames capacity, so without these the executor would wait for
        // a capacity event, not for the one that frees its reserved place (e.g. a NUMA zone settling).
        Set<ClusterEventType> reservedPlacesRefused = EnumSet.noneOf(ClusterEventType.class);
        for (Iterator<Reservation> it = reservations.values().iterator(); it.hasNext(); ) {
            Reservation reservation = it.next();
            if (!reservation.groupId().equals(groupId)) {
                continue;
            }
            int node = state.nodeIndex(reservation.placeholder().nodeName());
            state.forget(reservation.placeholder().key());
            BitSet onlyThere = new BitSet();
            if (node >= 0) {
                onlyThere.set(node);
            }
            attempts++;
            Decision there;
            try {
                there = node >= 0 ? algorithm.schedule(executor, state, onlyThere) : null;
            } catch (RuntimeException e) {
                state.assume(reservation.placeholder()); // the place stays held for the retry
                throw e;
            }
            if (there instanceof Decision.Unschedulable refused) {
                reservedPlacesRefused.addAll(refused.helpfulEvents());
            }
            if (there instanceof Decision.Placed placed) {
                it.remove();
                takenReservations.put(executor.key(), reservation);
                countedExecutors.add(executor.key());
                state.assume(executor.withNodeName(placed.nodeName()));
                moveMember(groupId, executor.key(), true);
                metrics.attempt("scheduled", 0);
                publishReservedCapacity();
                bind(executor, placed.nodeName());
                return;
            }
            state.assume(reservation.placeholder());
        }
        scheduleSingle(entry, reservedPlacesRefused);
    }

    /**
     * The executors a driver needs, by precedence: the group's PodGroup minResources (split evenly
     * over min-available - 1 executors after the driver's share), the application's template (a
     * SparkApplication), then the driver's executor-resources annotation. Null when none is known.
     */
    ExecutorTemplate executorTemplate(PodInfo driver, GroupMembership membership) {
        int min = groupMinimum(membership);
        GroupPolicy policy = policies.get(membership.groupId());
        if (policy != null && !policy.minResources().isEmpty() && min > 1) {
            ResourceList perExecutor = splitMinResources(policy.minResources(), driver.requests(), min - 1);
            return new ExecutorTemplate(perExecutor, min - 1, Map.of(), List.of(), policy.source());
        }
        ExecutorTemplate template = membership.appName() == null ? null
                : templates.get(driver.key().namespace() + "/" + membership.appName());
        if (template == null) {
            template = templates.get("pod:" + driver.key());
        }
        if (template == null) {
            return null;
        }
        // min-available, when declared, says how many executors belong to the gang.
        int count = min > 1 ? min - 1 : template.count();
        return new ExecutorTemplate(template.requests(), count, template.nodeSelector(), template.tolerations(),
                template.source());
    }

    /** The annotation on a driver giving one executor's requests, read by the Kubernetes adapter. */
    public static final String EXECUTOR_RESOURCES_ANNOTATION = "pod-group.scheduling.kubenexus.io/executor-resources";

    private static ResourceList splitMinResources(ResourceList minResources, ResourceList driver, int executors) {
        Map<String, Long> each = new HashMap<>();
        minResources.amounts().forEach((name, total) -> {
            long left = Math.max(0, total - driver.get(name));
            each.put(name, (left + executors - 1) / executors);
        });
        return ResourceList.of(each);
    }

    /** Pods standing in for executors not created yet: the template's size, the driver's constraints unless the template has its own. */
    List<PodInfo> standIns(PodInfo driver, ExecutorTemplate template, int firstIndex) {
        List<PodInfo> standIns = new ArrayList<>(template.count());
        boolean ownConstraints = !template.nodeSelector().isEmpty() || !template.tolerations().isEmpty();
        for (int i = 0; i < template.count(); i++) {
            // The name shows up in messages ("the best plan fits 1 of 3; <name>: 0/50 nodes ..."), so it says what it is.
            String name = driver.key().name() + " executor " + (firstIndex + i + 1) + " (not created yet)";
            standIns.add(new PodInfo(new PodKey(driver.key().namespace(), name),
                    "", driver.schedulerName(), null, driver.phase(), false, driver.priority(), driver.createdAt(),
                    Map.of(), Map.of(PodInfo.STAND_IN_ANNOTATION, "true"), template.requests(), nonZero(template.requests()), List.of(),
                    ownConstraints ? template.nodeSelector() : driver.nodeSelector(),
                    ownConstraints ? null : driver.nodeAffinity(),
                    ownConstraints ? template.tolerations() : driver.tolerations(),
                    driver.qosClass(), List.of(), false, null, List.of()));
        }
        return standIns;
    }

    private static ResourceList nonZero(ResourceList requests) {
        ResourceList out = requests;
        if (out.get("cpu") == 0) {
            out = out.with("cpu", io.kubenexus.scheduler.core.model.PodRequests.DEFAULT_NON_ZERO_CPU_MILLI);
        }
        if (out.get("memory") == 0) {
            out = out.with("memory", io.kubenexus.scheduler.core.model.PodRequests.DEFAULT_NON_ZERO_MEMORY_BYTES);
        }
        return out;
    }

    /**
     * Reservations past their TTL are released; the driver is told once per release. A lower bound
     * of the earliest expiry is kept, so the scan costs nothing per iteration while none is due.
     */
    private void expireReservations() {
        Instant now = clock.instant();
        if (earliestExpiry == null || earliestExpiry.isAfter(now)) {
            return;
        }
        Map<String, List<Reservation>> expired = new LinkedHashMap<>();
        Instant next = null;
        for (Iterator<Reservation> it = reservations.values().iterator(); it.hasNext(); ) {
            Reservation reservation = it.next();
            if (reservation.expiresAt().isAfter(now)) {
                next = earliest(next, reservation.expiresAt());
                continue;
            }
            it.remove();
            state.forget(reservation.placeholder().key());
            expired.computeIfAbsent(reservation.groupId(), g -> new ArrayList<>()).add(reservation);
        }
        earliestExpiry = next;
        if (expired.isEmpty()) {
            return;
        }
        expired.forEach((groupId, released) -> {
            reservationsExpired += released.size();
            metrics.reservationsExpired(released.size());
            if (leader) {
                events.warning(released.get(0).driver(), "ReservationExpired", "gang " + groupId + ": released "
                        + released.size() + " executor place(s) held for " + Quantities.duration(gang.reservationTtl())
                        + ": the executors did not arrive");
            }
        });
        publishReservedCapacity();
        queue.onClusterEvent(ClusterEventType.ASSIGNED_POD_REMOVED);
    }

    /** An executor of {@code groupId} arrived bound on {@code nodeName} without taking a place: one place fewer is needed. */
    private void fillOnePlace(String groupId, String nodeName) {
        Reservation chosen = null;
        for (Reservation reservation : reservations.values()) {
            if (reservation.groupId().equals(groupId)) {
                if (chosen == null || reservation.placeholder().nodeName().equals(nodeName)) {
                    chosen = reservation;
                }
                if (reservation.placeholder().nodeName().equals(nodeName)) {
                    break;
                }
            }
        }
        if (chosen != null) {
            reservations.remove(chosen.placeholder().key());
            if (state.forget(chosen.placeholder().key()) && !chosen.placeholder().nodeName().equals(nodeName)) {
                queue.onClusterEvent(ClusterEventType.ASSIGNED_POD_REMOVED); // room freed on another node
            }
            publishReservedCapacity();
        }
    }

    /** Holds a place: the placeholder is assumed where the plan put it. */
    void holdReservation(Reservation reservation) {
        reservations.put(reservation.placeholder().key(), reservation);
        earliestExpiry = earliest(earliestExpiry, reservation.expiresAt());
    }

    /**
     * The executor {@code key} took a place whose bind did not succeed (it failed, or the executor was
     * deleted first): the place is held again, with its original expiry, for the executor that comes next.
     */
    void giveBackTakenReservation(PodKey key) {
        Reservation reservation = takenReservations.remove(key);
        if (reservation == null) {
            return;
        }
        countedExecutors.remove(key);
        if (state.nodeIndex(reservation.placeholder().nodeName()) < 0) {
            return; // the node is gone: nothing to hold there
        }
        state.forget(key);
        state.assume(reservation.placeholder());
        holdReservation(reservation);
        publishReservedCapacity();
    }

    /**
     * A gang whose PodGroup sets {@code scheduleTimeoutSeconds} and that has not reached min-available
     * within it times out, as coscheduling's does: every waiting member is told (event and condition)
     * and backs off, the wait starts over. It never held anything, so nothing is released.
     */
    private void timeOutWaitingGroups() {
        if (groupWaitingSince.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        if (now.isBefore(nextTimeoutCheck)) {
            return;
        }
        nextTimeoutCheck = now.plus(TIMEOUT_CHECK_INTERVAL);
        List<String> timedOut = new ArrayList<>();
        for (Map.Entry<String, Instant> waiting : groupWaitingSince.entrySet()) {
            GroupPolicy policy = policies.get(waiting.getKey());
            if (policy != null && policy.scheduleTimeout() != null
                    && !now.isBefore(waiting.getValue().plus(policy.scheduleTimeout()))
                    && boundMembers.getOrDefault(waiting.getKey(), Set.of()).size() < groupMinimum(waiting.getKey())) {
                timedOut.add(waiting.getKey());
            }
        }
        for (String groupId : timedOut) {
            timeOut(groupId, policies.get(groupId), Duration.between(groupWaitingSince.put(groupId, now), now));
        }
    }

    private void timeOut(String groupId, GroupPolicy policy, Duration waited) {
        metrics.groupWaited("timeout", waited.toNanos());
        Set<PodKey> waiting = pendingMembers.getOrDefault(groupId, Set.of());
        int present = waiting.size() + boundMembers.getOrDefault(groupId, Set.of()).size();
        String timeout = Quantities.duration(policy.scheduleTimeout());
        String warning = "gang " + groupId + ": not placed within the PodGroup's scheduleTimeoutSeconds (" + timeout
                + "): " + present + "/" + groupMinimum(groupId) + " members present; the members back off and are "
                + "tried again when the cluster or the group changes";
        String condition = "gang " + groupId + ": timed out after " + timeout + " (scheduleTimeoutSeconds of "
                + policy.source() + ") with " + present + "/" + groupMinimum(groupId) + " members placeable";
        for (PodKey key : List.copyOf(waiting)) {
            QueuedPod entry = queue.claim(key);
            if (entry == null) {
                continue; // its attempt is under way
            }
            queue.unschedulableAgain(entry);
            if (leader) {
                events.warning(entry.pod(), "GangScheduleTimeout", warning);
                events.unschedulable(entry.pod(), condition);
            }
        }
    }

    void releaseReservations(String groupId) {
        takenReservations.values().removeIf(r -> r.groupId().equals(groupId));
        executorOrdinals.remove(groupId);
        boolean released = false;
        for (Iterator<Reservation> it = reservations.values().iterator(); it.hasNext(); ) {
            Reservation reservation = it.next();
            if (reservation.groupId().equals(groupId)) {
                it.remove();
                state.forget(reservation.placeholder().key());
                released = true;
            }
        }
        if (released) {
            publishReservedCapacity();
            queue.onClusterEvent(ClusterEventType.ASSIGNED_POD_REMOVED);
        }
    }

    private void releaseAllReservations() {
        reservations.values().forEach(r -> state.forget(r.placeholder().key()));
        reservations.clear();
        takenReservations.clear();
        earliestExpiry = null;
        publishReservedCapacity();
    }

    /**
     * After a restart or a change of leader, from what the API shows: every bound driver gets a place
     * for each expected executor that is not bound, whether it exists and waits (pending) or has not
     * been created yet, and none for executors that already ran (finished, or removed after running:
     * Spark numbers its executors, so the highest number seen says how many were created). A driver
     * whose places cannot be rebuilt (no room, or a plugin's bug) is told; the others go on.
     */
    private void rebuildReservations() {
        Map<String, ExecutorCounts> counts = executorCounts();
        for (Map.Entry<PodKey, GroupMembership> entry : List.copyOf(memberships.entrySet())) {
            GroupMembership membership = entry.getValue();
            PodInfo driver = state.accountedPod(entry.getKey());
            if (membership.role() != GroupRole.DRIVER || driver == null || state.isAssumed(driver.key())) {
                continue;
            }
            try {
                rebuildReservations(driver, membership, counts.getOrDefault(membership.groupId(), ExecutorCounts.NONE));
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "rebuilding the reservations of " + driver.key() + " failed pod=" + driver.key()
                        + " gang=" + membership.groupId(), e);
                reservations.values().removeIf(r -> {
                    boolean ours = r.groupId().equals(membership.groupId());
                    if (ours) {
                        state.forget(r.placeholder().key());
                    }
                    return ours;
                });
                if (leader) {
                    events.warning(driver, "ReservationLost", "gang " + membership.groupId() + ": the executors' "
                            + "places could not be reserved again after a restart: internal error: " + e);
                }
            }
        }
        publishReservedCapacity();
    }

    private void rebuildReservations(PodInfo driver, GroupMembership membership, ExecutorCounts counts) {
        String groupId = membership.groupId();
        ExecutorTemplate template = executorTemplate(driver, membership);
        if (template == null) {
            return;
        }
        int created = Math.max(counts.seen(), executorOrdinals.getOrDefault(groupId, 0));
        int notCreated = Math.max(0, template.count() - created);
        int missing = Math.min(Math.max(0, template.count() - counts.bound()), counts.pending() + notCreated);
        if (missing == 0) {
            return;
        }
        List<PodInfo> standIns = standIns(driver, new ExecutorTemplate(template.requests(), missing,
                template.nodeSelector(), template.tolerations(), template.source()), counts.bound());
        List<PodKey> planned = new ArrayList<>(standIns.size());
        standIns.forEach(standIn -> planned.add(standIn.key()));
        GroupPlan plan;
        try {
            plan = groupPlanner.plan(groupId, standIns.size(), standIns, 0, state, algorithm);
        } catch (RuntimeException e) {
            planned.forEach(state::forget); // the planner's all-or-nothing contract does not hold when it throws
            throw e;
        }
        if (plan instanceof GroupPlan.Placed placed) {
            Instant expiry = clock.instant().plus(gang.reservationTtl());
            standIns.forEach(standIn -> holdReservation(new Reservation(
                    standIn.withNodeName(placed.nodes().get(standIn.key())), groupId, driver, expiry)));
            LOG.log(Level.INFO, "gang {0}: reserved {1} executor place(s) again ({2} waiting, {3} not created yet) gang={0}",
                    groupId, missing, counts.pending(), notCreated);
        } else if (plan instanceof GroupPlan.Waiting waiting && leader) {
            events.warning(driver, "ReservationLost", "gang " + groupId + ": " + missing + " executor place(s) could "
                    + "not be reserved again after a restart: " + waiting.message());
        }
    }

    /** A group's executors as the API shows them: bound (holding room), pending, and all seen in any phase. */
    private record ExecutorCounts(int bound, int pending, int seen) {
        static final ExecutorCounts NONE = new ExecutorCounts(0, 0, 0);
    }

    /** Reserves again, now, for one driver that turned out bound (see {@link #rebuildReservations()}). */
    private void rebuildReservationsOf(PodInfo driver, GroupMembership membership) {
        try {
            rebuildReservations(driver, membership,
                    executorCounts(membership.groupId()).getOrDefault(membership.groupId(), ExecutorCounts.NONE));
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "reserving the executors' places of " + driver.key() + " failed pod=" + driver.key()
                    + " gang=" + membership.groupId(), e);
        }
        publishReservedCapacity();
    }

    private Map<String, ExecutorCounts> executorCounts() {
        return executorCounts(null);
    }

    /** Per group (or for {@code onlyGroup} alone when not null). */
    private Map<String, ExecutorCounts> executorCounts(String onlyGroup) {
        Map<String, int[]> counts = new HashMap<>();
        for (Map.Entry<PodKey, GroupMembership> entry : memberships.entrySet()) {
            GroupMembership membership = entry.getValue();
            if (membership.role() != GroupRole.EXECUTOR
                    || (onlyGroup != null && !onlyGroup.equals(membership.groupId()))) {
                continue;
            }
            int[] c = counts.computeIfAbsent(membership.groupId(), g -> new int[3]);
            c[2]++;
            PodInfo accounted = state.accountedPod(entry.getKey());
            if (accounted != null && !state.isAssumed(entry.getKey())) {
                c[0]++;
            } else if (pendingMembers.getOrDefault(membership.groupId(), Set.of()).contains(entry.getKey())) {
                c[1]++;
            }
        }
        Map<String, ExecutorCounts> out = new HashMap<>();
        counts.forEach((group, c) -> out.put(group, new ExecutorCounts(c[0], c[1], c[2])));
        return out;
    }

    /** No reservation expires before this. */
    private Instant nextReservationExpiry() {
        return earliestExpiry;
    }

    private static Instant earliest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isBefore(b) ? a : b;
    }

    private void publishReservedCapacity() {
        Map<String, Long> reserved = new HashMap<>();
        for (Reservation reservation : reservations.values()) {
            reservation.placeholder().requests().amounts().forEach((name, amount) -> reserved.merge(name, amount, Long::sum));
        }
        for (int column = 0; column < state.columns().count(); column++) {
            String name = state.columns().name(column);
            if (column != ResourceColumns.PODS) {
                metrics.reservedCapacity(name, reserved.getOrDefault(name, 0L));
            }
        }
    }

    /** A PodGroup object changed: its waiting members deserve another look, now. */
    private void retryGroup(String groupId) {
        for (PodKey key : pendingMembers.getOrDefault(groupId, Set.of())) {
            QueuedPod entry = queue.claim(key);
            if (entry != null) {
                queue.retryNow(entry);
            }
        }
    }

    private void trackMembership(PodInfo pod, GroupMembership membership) {
        if (membership == null || !membership.isValid()) {
            untrackMembership(pod.key());
            return;
        }
        GroupMembership previous = memberships.put(pod.key(), membership);
        if (membership.role() == GroupRole.EXECUTOR) {
            int ordinal = groups.executorOrdinal(pod);
            if (ordinal > 0) {
                executorOrdinals.merge(membership.groupId(), ordinal, Math::max);
            }
        }
        if (previous != null && !previous.groupId().equals(membership.groupId())) {
            removeFrom(pendingMembers, previous.groupId(), pod.key());
            removeFrom(boundMembers, previous.groupId(), pod.key());
        }
        if (pod.holdsResources()) {
            moveMember(membership.groupId(), pod.key(), true);
        } else if (pod.phase().isTerminal()) {
            if (membership.role() == GroupRole.DRIVER) {
                releaseReservations(membership.groupId());
            }
            // A finished member no longer counts: the group is not re-formed around it.
            removeFrom(pendingMembers, membership.groupId(), pod.key());
            removeFrom(boundMembers, membership.groupId(), pod.key());
        } else if (!state.isAssumed(pod.key())) {
            moveMember(membership.groupId(), pod.key(), false);
        }
    }

    private void untrackMembership(PodKey key) {
        countedExecutors.remove(key);
        GroupMembership previous = memberships.remove(key);
        warnedMembers.remove(key);
        unsizedDrivers.remove(key);
        if (previous != null && previous.role() == GroupRole.DRIVER) {
            releaseReservations(previous.groupId());
        }
        if (previous != null) {
            removeFrom(pendingMembers, previous.groupId(), key);
            removeFrom(boundMembers, previous.groupId(), key);
        }
    }

    private void moveMember(String groupId, PodKey key, boolean bound) {
        removeFrom(bound ? pendingMembers : boundMembers, groupId, key);
        (bound ? boundMembers : pendingMembers).computeIfAbsent(groupId, g -> new LinkedHashSet<>()).add(key);
        if (bound) {
            Instant since = pendingMembers.containsKey(groupId) ? null : groupWaitingSince.remove(groupId);
            if (since != null) {
                metrics.groupWaited("placed", Duration.between(since, clock.instant()).toNanos());
            }
        } else {
            groupWaitingSince.putIfAbsent(groupId, clock.instant());
        }
    }

    private void removeFrom(Map<String, Set<PodKey>> members, String groupId, PodKey key) {
        Set<PodKey> keys = members.get(groupId);
        if (keys != null && keys.remove(key) && keys.isEmpty()) {
            members.remove(groupId);
            if (members == pendingMembers && !boundMembers.containsKey(groupId)) {
                // Every waiting member went away without the group being placed.
                Instant since = groupWaitingSince.remove(groupId);
                if (since != null) {
                    metrics.groupWaited("abandoned", Duration.between(since, clock.instant()).toNanos());
                }
            }
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
            takenReservations.remove(pod.key());
            finishInFlight(pod.key());
            return;
        }
        switch (result.outcome()) {
            case BOUND -> {
                scheduled++;
                reportScheduled(pod.key());
                rebinds.remove(pod.key());
                takenReservations.remove(pod.key());
                finishInFlight(pod.key());
                events.scheduled(pod, completed.nodeName(), state.describePlacement(pod.key()));
            }
            case ALREADY_BOUND, POD_GONE -> {
                // A 409 says someone bound it, a 404 that it is gone; only the informer says for sure (and
                // where). Until it does, the pod waits in backoff rather than being forgotten: an answer
                // that was wrong (a proxy, a fault) must not lose the pod. Its place, if it took one, is
                // held again; an executor that turns out bound fills one when the informer shows it.
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
     * A member of a gang planned together whose bind failed keeps its place while its siblings keep
     * theirs: the same bind is sent again after a backoff (1 s doubling), up to {@link #MAX_REBINDS}
     * times; then it is given up and planned again like any failed pod.
     */
    private boolean rebindOnTheSameNode(PodInfo pod, String nodeName, BindResult result) {
        GroupMembership membership = memberships.get(pod.key());
        if (membership == null || !membership.isValid() || membership.role() != GroupRole.MEMBER
                || groupMinimum(membership.groupId()) < 2 || !state.isAssumed(pod.key()) || !leader) {
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

    /** A bind did not take: the pod is pending again, its charge forgotten, an executor's place held again. */
    private void undoAssumption(PodInfo pod) {
        GroupMembership membership = memberships.get(pod.key());
        if (membership != null) {
            moveMember(membership.groupId(), pod.key(), false);
            if (membership.role() == GroupRole.DRIVER) {
                // A driver that is not bound holds nothing: its retry plans the places again (against its
                // own old places it might never fit), and if the bind was applied after all, the informer
                // shows the driver bound and the places are reserved again then.
                releaseReservations(membership.groupId());
            }
        }
        giveBackTakenReservation(pod.key());
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
        stats = new LoopStats(attempts, scheduled, unschedulableAttempts, bindFailures, bindConflicts, pending,
                queue.unschedulableCount(), synced, leader, pendingMembers.size(), reservations.size(),
                reservationsExpired);
        metrics.groupsWaiting(pendingMembers.size());
        metrics.queueSize("active", queue.activeCount());
        metrics.queueSize("backoff", queue.backoffCount());
        metrics.queueSize("unschedulable", queue.unschedulableCount());
    }

    /**
     * The sizes of every collection the loop keeps (queue, accounted pods, memberships,
     * reservations, ...), read on the loop thread in order with the events before it: for soak
     * tests that check nothing grows without bound. Completes once the loop next runs.
     */
    public java.util.concurrent.CompletableFuture<Map<String, Integer>> bookkeepingSizes() {
        java.util.concurrent.CompletableFuture<Map<String, Integer>> answer = new java.util.concurrent.CompletableFuture<>();
        inbox.add(new LoopEvent.Inspect(answer));
        return answer;
    }

    private Map<String, Integer> bookkeeping() {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        sizes.put("queue", queue.size());
        sizes.put("accountedPods", state.accountedPodCount());
        sizes.put("nodes", state.nodeCount());
        sizes.put("memberships", memberships.size());
        sizes.put("pendingGroups", pendingMembers.size());
        sizes.put("boundGroups", boundMembers.size());
        sizes.put("warnedMembers", warnedMembers.size());
        sizes.put("reservations", reservations.size());
        sizes.put("takenReservations", takenReservations.size());
        sizes.put("rebinds", rebinds.size());
        sizes.put("countedExecutors", countedExecutors.size());
        sizes.put("executorOrdinals", executorOrdinals.size());
        sizes.put("policies", policies.size());
        sizes.put("templates", templates.size());
        sizes.put("unsizedDrivers", unsizedDrivers.size());
        sizes.put("driversAwaitingApplication", driversAwaitingApplication.size());
        sizes.put("groupWaitingSince", groupWaitingSince.size());
        sizes.put("invalidPods", invalidPods.size());
        sizes.put("inbox", inbox.size());
        sizes.put("unschedulableMessages", messages.size());
        extenderBinds.sizes(sizes);
        return sizes;
    }

    // ------------------------------------------------------------------ queries (any thread; answered on the loop)

    /**
     * The extender's filter: the pre-filters and filters a decision runs, restricted to
     * {@code nodeNames}, with each rejected node's reason (see {@link NodeFilterResult}). An executor
     * may use its own group's reserved places. Answered between attempts, on a standby too.
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
     * The extender's bind of {@code pod} to the node kube-scheduler chose, gang-aware: a gang member's
     * bind is held (up to {@code holdLimit}) until min-available members are ready, then all are
     * verified together and bound, or all refused; a Spark driver is bound only with its executors'
     * places reserved; an executor takes a place of its group on that node. Completes when the bind's
     * result is known. Only the leader binds: a standby refuses.
     */
    @Override
    public CompletableFuture<ExtenderBindResult> bindFor(PodInfo pod, String nodeName, Duration holdLimit) {
        CompletableFuture<ExtenderBindResult> answer = new CompletableFuture<>();
        post(() -> {
            try {
                extenderBinds.bind(pod, nodeName, holdLimit, answer);
            } catch (RuntimeException e) {
                extenderBinds.abandon(pod.key());
                answer.complete(new ExtenderBindResult.Refused("internal error: " + e));
                throw e;
            }
        });
        return answer;
    }

    /**
     * The extender's preempt: keeps each proposed node (with the same victims) where removing the
     * victims lets the pod pass the filters and no victim is a gang member whose gang would stay bound
     * below min-available or a driver holding its executors' places. The state is unchanged after.
     */
    public CompletableFuture<Map<String, List<PodKey>>> acceptVictims(PodInfo pod, Map<String, List<PodKey>> victimsByNode) {
        Map<String, List<PodKey>> victims = new LinkedHashMap<>();
        victimsByNode.forEach((node, keys) -> victims.put(node, List.copyOf(keys)));
        return ask(() -> extenderDecisions.acceptVictims(pod, victims));
    }

    /**
     * {@link #acceptVictims} with victims named by UID (kube-scheduler's MetaVictims), looked up among
     * the pods charged to each node; a node with a victim not charged there is dropped.
     */
    @Override
    public CompletableFuture<Map<String, List<String>>> acceptVictimUids(PodInfo pod, Map<String, List<String>> uidsByNode) {
        Map<String, List<String>> victims = new LinkedHashMap<>();
        uidsByNode.forEach((node, uids) -> victims.put(node, List.copyOf(uids)));
        return ask(() -> extenderDecisions.acceptVictimUids(pod, victims));
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
    // They also read the package-private final fields: state, queue, algorithm, groups, groupPlanner, clock, binder.

    void post(Runnable onLoop) {
        inbox.add(new LoopEvent.Query(onLoop));
    }

    boolean isLeader() {
        return leader;
    }

    Duration reservationTtl() {
        return gang.reservationTtl();
    }

    ExtenderBinds extenderBinds() {
        return extenderBinds;
    }

    String lastUnschedulableMessage(PodKey key) {
        return messages.message(key);
    }

    /** The places held for {@code groupId}, in the order they were reserved. */
    List<Reservation> reservationsOf(String groupId) {
        List<Reservation> out = new ArrayList<>();
        for (Reservation reservation : reservations.values()) {
            if (reservation.groupId().equals(groupId)) {
                out.add(reservation);
            }
        }
        return out;
    }

    /** An executor takes {@code reservation} (its placeholder already forgotten) until its bind answers. */
    void takeReservation(PodKey executor, Reservation reservation) {
        reservations.remove(reservation.placeholder().key());
        takenReservations.put(executor, reservation);
        publishReservedCapacity();
    }

    void reservationsChanged() {
        publishReservedCapacity();
    }

    /** The group's min-available: its PodGroup, its members known to the loop, and {@code membership}'s own. */
    int groupMinimum(GroupMembership membership) {
        return Math.max(groupMinimum(membership.groupId()), membership.minMembers());
    }

    /**
     * Members of {@code groupId} charged to a node (bound, or assumed with a bind under way), whoever
     * schedules them: from the accounted pods, so an extender's gang counts its default-scheduler pods.
     * O(accounted pods).
     */
    Set<PodKey> boundGroupMembers(String groupId) {
        Set<PodKey> bound = new HashSet<>(boundMembers.getOrDefault(groupId, Set.of()));
        state.forEachAccountedPod(pod -> {
            GroupMembership membership = groups.membership(pod);
            if (membership != null && membership.isValid() && membership.groupId().equals(groupId)
                    && pod.holdsResources()) {
                bound.add(pod.key());
            }
        });
        return bound;
    }

    Set<PodKey> pendingMemberKeys(String groupId) {
        return pendingMembers.getOrDefault(groupId, Set.of());
    }

    Set<String> knownGroupIds() {
        Set<String> ids = new HashSet<>(pendingMembers.keySet());
        ids.addAll(boundMembers.keySet());
        reservations.values().forEach(r -> ids.add(r.groupId()));
        return ids;
    }

    Instant groupWaitingSince(String groupId) {
        return groupWaitingSince.get(groupId);
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
}
