package io.kubenexus.scheduler.core.loop;

import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.framework.ClusterEventType;
import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
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
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
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
 * Nothing is decided before the caches have synced (so pods bound before a restart are counted
 * first) or while this replica does not lead (standbys keep the state warm and never bind).
 */
public final class SchedulingLoop implements AutoCloseable {
    private static final Logger LOG = System.getLogger(SchedulingLoop.class.getName());
    private static final Duration IDLE_WAIT = Duration.ofSeconds(1);
    private static final long PUBLISH_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final SchedulerSettings settings;
    private final Binder binder;
    private final EventSink events;
    private final SchedulerMetrics metrics;
    private final Clock clock;
    private final ClusterState state = new ClusterState();
    private final SchedulingQueue queue;
    private final SchedulingAlgorithm algorithm;
    private final BlockingQueue<LoopEvent> inbox = new LinkedBlockingQueue<>();
    /** Pods whose spec could not be read, by key: not queued until their object changes. */
    private final Map<PodKey, PodInfo> invalidPods = new HashMap<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private Thread thread;

    private boolean synced;
    private boolean leader;
    private long lastPublishNanos;

    // Written by the loop thread only, read by others through stats().
    private volatile LoopStats stats = new LoopStats(0, 0, 0, 0, 0, 0, 0, false, false);
    private long attempts;
    private long scheduled;
    private long unschedulableAttempts;
    private long bindFailures;
    private long bindConflicts;

    public SchedulingLoop(SchedulerSettings settings, SchedulingProfile profile, Binder binder, EventSink events,
                          SchedulerMetrics metrics, Clock clock) {
        this.settings = settings;
        this.binder = binder;
        this.events = events;
        this.metrics = metrics;
        this.clock = clock;
        this.queue = new SchedulingQueue(clock, settings.podInitialBackoff(), settings.podMaxBackoff(),
                settings.podMaxInUnschedulablePods());
        this.algorithm = new SchedulingAlgorithm(profile, settings.percentageOfNodesToScore());
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
     * A pod whose spec could not be translated: reported to the user, not scheduled, and
     * everything else goes on. {@code pod} carries what could be read (key, uid, scheduler name).
     */
    public void onPodInvalid(PodInfo pod, String message) {
        inbox.add(new LoopEvent.PodInvalid(pod, message));
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

    private void waitForWork() throws InterruptedException {
        publishIfDue(true);
        Duration wait = IDLE_WAIT;
        Instant wake = queue.nextWakeUp();
        if (wake != null) {
            Duration untilWake = Duration.between(clock.instant(), wake);
            if (untilWake.compareTo(wait) < 0) {
                wait = untilWake.isNegative() ? Duration.ZERO : untilWake;
            }
        }
        LoopEvent event = inbox.poll(Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS);
        if (event != null) {
            apply(event);
        }
    }

    /**
     * One iteration: apply every queued event, then try at most one pod. Returns whether a pod
     * was tried. Public so tests can drive the loop deterministically without its thread.
     */
    public boolean runOnce() {
        drainInbox();
        boolean tried = false;
        if (synced && leader) {
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

    /** Runs iterations until no pod is ready and no event is waiting (tests). */
    public void runUntilIdle() {
        while (runOnce() || !inbox.isEmpty()) {
            // keep going
        }
    }

    private void drainInbox() {
        LoopEvent event;
        while ((event = inbox.poll()) != null) {
            apply(event);
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
        } else if (event instanceof LoopEvent.CachesSynced) {
            synced = true;
            LOG.log(Level.INFO, "caches synced: {0} nodes, {1} pods accounted, {2} pending",
                    state.nodeCount(), state.accountedPodCount(), queue.size());
        } else if (event instanceof LoopEvent.LeadershipChanged e) {
            leader = e.leader();
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
        invalidPods.remove(pod.key());
        if (pod.isAssigned()) {
            // Bound by us (confirming an assumption) or by anyone else: account it, stop queueing it.
            queue.remove(pod.key());
            if (state.upsertPod(pod)) {
                queue.onClusterEvent(ClusterEventType.ASSIGNED_POD_REMOVED);
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
        }
    }

    private void applyPodRemoved(PodKey key) {
        invalidPods.remove(key);
        queue.remove(key);
        if (state.removePod(key)) {
            queue.onClusterEvent(ClusterEventType.ASSIGNED_POD_REMOVED);
        }
    }

    private void applyInvalid(PodInfo pod, String message) {
        queue.remove(pod.key());
        if (!pod.isAssigned() && isOurs(pod)) {
            PodInfo previous = invalidPods.put(pod.key(), pod);
            if (previous == null && leader) {
                events.invalid(pod, message);
            }
        }
    }

    private boolean isOurs(PodInfo pod) {
        return settings.schedulerName().equals(pod.schedulerName());
    }

    // ------------------------------------------------------------------ scheduling

    private void scheduleOne(QueuedPod entry) {
        long start = System.nanoTime();
        PodInfo pod = entry.pod();
        attempts++;
        Decision decision;
        try {
            decision = algorithm.schedule(pod, state);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "scheduling " + pod.key() + " failed", e);
            metrics.attempt("error", System.nanoTime() - start);
            queue.retryAfterBackoff(entry);
            return;
        }
        if (decision instanceof Decision.Placed placed) {
            state.assume(pod.withNodeName(placed.nodeName()));
            metrics.attempt("scheduled", System.nanoTime() - start);
            long bindStart = System.nanoTime();
            binder.bind(pod, placed.nodeName()).whenComplete((result, error) -> {
                BindResult outcome = error != null
                        ? BindResult.of(BindOutcome.FAILED, String.valueOf(error.getMessage()))
                        : result;
                inbox.add(new LoopEvent.BindCompleted(pod, placed.nodeName(), outcome, bindStart));
            });
        } else if (decision instanceof Decision.Unschedulable unschedulable) {
            unschedulableAttempts++;
            metrics.attempt("unschedulable", System.nanoTime() - start);
            queue.unschedulable(entry, unschedulable.helpfulEvents());
            if (leader) {
                events.unschedulable(pod, unschedulable.message());
            }
        }
    }

    private void applyBindResult(LoopEvent.BindCompleted completed) {
        PodInfo pod = completed.pod();
        BindResult result = completed.result();
        metrics.bind(result.outcome(), System.nanoTime() - completed.startedNanos());
        switch (result.outcome()) {
            case BOUND -> {
                scheduled++;
                finishInFlight(pod.key());
                events.scheduled(pod, completed.nodeName());
            }
            case ALREADY_BOUND -> {
                // Someone else bound it; the informer will report where. Ours was never true.
                bindConflicts++;
                state.forget(pod.key());
                finishInFlight(pod.key());
            }
            case POD_GONE -> {
                state.forget(pod.key());
                queue.remove(pod.key());
            }
            case FAILED -> {
                bindFailures++;
                if (state.forget(pod.key())) {
                    queue.onClusterEvent(ClusterEventType.ASSIGNED_POD_REMOVED);
                }
                LOG.log(Level.WARNING, "binding {0} to {1} failed: {2}", pod.key(), completed.nodeName(),
                        result.detail());
                if (leader) {
                    events.bindFailed(pod, completed.nodeName(), result.detail());
                }
                requeueInFlight(pod);
            }
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
                queue.unschedulableCount(), synced, leader);
        metrics.queueSize("active", queue.activeCount());
        metrics.queueSize("backoff", queue.backoffCount());
        metrics.queueSize("unschedulable", queue.unschedulableCount());
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
