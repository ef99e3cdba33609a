package io.kubenexus.scheduler.core.queue;

import io.kubenexus.scheduler.core.framework.ClusterEventType;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.ports.SchedulerMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Pending pods in three places, as in kube-scheduler:
 * <ul>
 *   <li>active: ready to try, ordered by priority (highest first), then age (oldest first);</li>
 *   <li>backoff: failed recently, waiting {@code initial * 2^(attempts-1)} capped at {@code max};</li>
 *   <li>unschedulable: no node fits; retried only when a cluster event that can help happens
 *       (as named by the filters that rejected it), when the pod itself changes, or after
 *       {@code maxInUnschedulable} as a safety net.</li>
 * </ul>
 * A popped pod is in flight until the loop reports how its attempt ended.
 *
 * <p>Every admission into one of the three parts is reported to {@link SchedulerMetrics#podsQueued}
 * with the reason's {@link QueueingEvents} label.
 *
 * <p>Single writer: only the scheduling loop thread uses this class.
 */
public final class SchedulingQueue {
    /** Priority first, then creation time, then arrival order so ties are deterministic. */
    static final Comparator<QueuedPod> ACTIVE_ORDER = Comparator
            .comparingInt((QueuedPod q) -> -q.pod().priority())
            .thenComparing(q -> q.pod().createdAt())
            .thenComparingLong(QueuedPod::sequence);

    /** The queue names of {@link SchedulerMetrics#queueSize} and {@link SchedulerMetrics#podsQueued}. */
    public static final String ACTIVE = "active";
    public static final String BACKOFF = "backoff";
    public static final String UNSCHEDULABLE = "unschedulable";

    private final Clock clock;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration maxInUnschedulable;
    private final SchedulerMetrics metrics;

    private final Map<PodKey, QueuedPod> entries = new HashMap<>();
    private final PriorityQueue<QueuedPod> active = new PriorityQueue<>(ACTIVE_ORDER);
    private final PriorityQueue<QueuedPod> backoff = new PriorityQueue<>(
            Comparator.comparing((QueuedPod q) -> q.backoffUntil()).thenComparingLong(QueuedPod::sequence));
    /** In the order pods became unschedulable, which is the order of their {@code unschedulableSince}. */
    private final Map<PodKey, QueuedPod> unschedulable = new LinkedHashMap<>();
    /**
     * The unschedulable pods each event can help, so that an event costs the pods it moves rather
     * than a scan of the whole pool (every finished pod is an event; thousands may wait).
     */
    private final Map<ClusterEventType, Set<QueuedPod>> waitingFor = new EnumMap<>(ClusterEventType.class);
    private long nextSequence;

    public SchedulingQueue(Clock clock, Duration initialBackoff, Duration maxBackoff, Duration maxInUnschedulable) {
        this(clock, initialBackoff, maxBackoff, maxInUnschedulable, SchedulerMetrics.NONE);
    }

    /** @param metrics told of every pod the queue admits (called on the loop thread, like the queue) */
    public SchedulingQueue(Clock clock, Duration initialBackoff, Duration maxBackoff, Duration maxInUnschedulable,
                           SchedulerMetrics metrics) {
        this.metrics = metrics;
        this.clock = clock;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.maxInUnschedulable = maxInUnschedulable;
    }

    /**
     * Adds a pending pod or updates the queued copy. A changed pod that was unschedulable is worth
     * another try; an unchanged one (e.g. only its status conditions moved, which the scheduler
     * itself writes) stays where it is, so reporting a failure does not cause a retry storm.
     */
    public void addOrUpdate(PodInfo pod) {
        QueuedPod entry = entries.get(pod.key());
        if (entry == null) {
            entry = new QueuedPod(pod, clock.instant(), nextSequence++);
            entries.put(pod.key(), entry);
            toActive(entry, QueueingEvents.POD_ADD);
            return;
        }
        boolean changed = !entry.pod().equals(pod);
        switch (entry.location()) {
            case ACTIVE -> {
                if (changed && entry.pod().priority() != pod.priority()) {
                    active.remove(entry);
                    entry.pod(pod);
                    active.add(entry);
                } else {
                    entry.pod(pod);
                }
            }
            case UNSCHEDULABLE -> {
                entry.pod(pod);
                if (changed) {
                    leaveUnschedulable(entry);
                    toBackoffOrActive(entry, QueueingEvents.POD_UPDATE);
                }
            }
            default -> entry.pod(pod);
        }
    }

    /** Forgets a pod (bound, deleted, no longer ours). */
    public void remove(PodKey key) {
        QueuedPod entry = entries.remove(key);
        if (entry == null) {
            return;
        }
        switch (entry.location()) {
            case ACTIVE -> active.remove(entry);
            case BACKOFF -> backoff.remove(entry);
            case UNSCHEDULABLE -> leaveUnschedulable(entry);
            default -> {
            }
        }
        entry.location(QueuedPod.Location.NONE);
    }

    /** The pod the queue holds under {@code key}, wherever it waits (in flight included), or null. */
    public PodInfo queuedPod(PodKey key) {
        QueuedPod entry = entries.get(key);
        return entry == null ? null : entry.pod();
    }

    /** Where the pod waits, or {@link QueuedPod.Location#NONE} when the queue does not hold it. */
    public QueuedPod.Location location(PodKey key) {
        QueuedPod entry = entries.get(key);
        return entry == null ? QueuedPod.Location.NONE : entry.location();
    }

    public boolean contains(PodKey key) {
        return entries.containsKey(key);
    }

    public boolean isInFlight(PodKey key) {
        QueuedPod entry = entries.get(key);
        return entry != null && entry.location() == QueuedPod.Location.IN_FLIGHT;
    }

    /**
     * Takes a waiting pod out of the queue for an attempt made on behalf of its group (its sibling
     * was popped): it is in flight like a popped pod. Returns null when the pod is not waiting.
     */
    public QueuedPod claim(PodKey key) {
        QueuedPod entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        switch (entry.location()) {
            case ACTIVE -> active.remove(entry);
            case BACKOFF -> backoff.remove(entry);
            case UNSCHEDULABLE -> leaveUnschedulable(entry);
            default -> {
                return null;
            }
        }
        entry.location(QueuedPod.Location.IN_FLIGHT);
        return entry;
    }

    /** The entry of a pod whose attempt is under way (popped, not yet resolved), or null. */
    public QueuedPod inFlight(PodKey key) {
        QueuedPod entry = entries.get(key);
        return entry != null && entry.location() == QueuedPod.Location.IN_FLIGHT ? entry : null;
    }

    /**
     * The next pod to try, or null if none is ready. Moves pods whose backoff ended to active and
     * flushes pods that have waited {@code maxInUnschedulable} first. The popped pod is in flight.
     */
    public QueuedPod pop() {
        Instant now = clock.instant();
        flushBackoff(now);
        flushLongUnschedulable(now);
        QueuedPod next = active.poll();
        if (next != null) {
            next.location(QueuedPod.Location.IN_FLIGHT);
        }
        return next;
    }

    /**
     * The attempt found no node. The pod waits in the unschedulable pool for one of
     * {@code helpfulEvents}; an empty set means only a change of the pod itself (or the periodic
     * flush) brings it back.
     */
    public void unschedulable(QueuedPod entry, Set<ClusterEventType> helpfulEvents) {
        if (!isCurrent(entry)) {
            return;
        }
        detach(entry); // before its events change: the index is keyed by them
        entry.recordFailure();
        entry.backoffUntil(clock.instant().plus(backoffFor(entry.attempts())));
        entry.helpfulEvents(helpfulEvents);
        entry.unschedulableSince(clock.instant());
        entry.location(QueuedPod.Location.UNSCHEDULABLE);
        unschedulable.put(entry.pod().key(), entry);
        for (ClusterEventType event : entry.helpfulEvents()) {
            waitingFor.computeIfAbsent(event, e -> new LinkedHashSet<>()).add(entry);
        }
        metrics.podsQueued(QueueingEvents.SCHEDULE_ATTEMPT_FAILURE, UNSCHEDULABLE, 1);
    }

    /**
     * The pod's group gave up for now (its schedule timeout passed): it counts a failed attempt, so it
     * backs off longer, and waits again for the events it waited for before.
     */
    public void unschedulableAgain(QueuedPod entry) {
        // A copy: unschedulable() replaces the entry's own set with what it is given.
        unschedulable(entry, Set.copyOf(entry.helpfulEvents()));
    }

    /** The attempt failed for a transient reason (bind error): retry after backoff. */
    public void retryAfterBackoff(QueuedPod entry) {
        if (!isCurrent(entry)) {
            return;
        }
        detach(entry);
        entry.recordFailure();
        entry.backoffUntil(clock.instant().plus(backoffFor(entry.attempts())));
        entry.location(QueuedPod.Location.BACKOFF);
        backoff.add(entry);
        metrics.podsQueued(QueueingEvents.SCHEDULE_ATTEMPT_FAILURE, BACKOFF, 1);
    }

    /**
     * Something the pod was waiting for has happened (its PodGroup object arrived): it is ready now,
     * without counting as a failed attempt.
     */
    public void retryNow(QueuedPod entry) {
        if (isCurrent(entry)) {
            detach(entry);
            toActive(entry, QueueingEvents.FORCE_ACTIVATE);
        }
    }

    /**
     * Takes an entry out of whichever part of the queue holds it, so that it is never in two at once
     * (a caller may requeue a pod that is waiting rather than in flight).
     */
    private void detach(QueuedPod entry) {
        switch (entry.location()) {
            case ACTIVE -> active.remove(entry);
            case BACKOFF -> backoff.remove(entry);
            case UNSCHEDULABLE -> leaveUnschedulable(entry);
            default -> {
            }
        }
        entry.location(QueuedPod.Location.IN_FLIGHT);
    }

    /** The pod was placed and bound: it leaves the queue. */
    public void done(QueuedPod entry) {
        if (isCurrent(entry)) {
            entries.remove(entry.pod().key());
            entry.location(QueuedPod.Location.NONE);
        }
    }

    /**
     * A cluster change happened: unschedulable pods that it can help go back to be tried (through
     * backoff if theirs has not ended). Returns how many moved.
     */
    public int onClusterEvent(ClusterEventType event) {
        Set<QueuedPod> helped = waitingFor.get(event);
        if (helped == null || helped.isEmpty()) {
            return 0;
        }
        List<QueuedPod> moving = new ArrayList<>(helped);
        moving.forEach(this::leaveUnschedulable);
        String label = QueueingEvents.forClusterEvent(event);
        moving.forEach(entry -> toBackoffOrActive(entry, label));
        return moving.size();
    }

    /** When the loop should look again even if no event arrives, or null if nothing is waiting on time. */
    public Instant nextWakeUp() {
        Instant next = null;
        QueuedPod firstBackoff = backoff.peek();
        if (firstBackoff != null) {
            next = firstBackoff.backoffUntil();
        }
        for (QueuedPod entry : unschedulable.values()) {
            // Insertion order approximates age; the first entry is the next to be flushed.
            Instant flushAt = entry.unschedulableSince().plus(maxInUnschedulable);
            next = next == null || flushAt.isBefore(next) ? flushAt : next;
            break;
        }
        return next;
    }

    public int activeCount() {
        return active.size();
    }

    public int backoffCount() {
        return backoff.size();
    }

    public int unschedulableCount() {
        return unschedulable.size();
    }

    /** Every pod the queue knows, in flight included. */
    public int size() {
        return entries.size();
    }

    /** Calls {@code action} with every pod the queue holds and where it waits (in flight included); for status pages. */
    public void forEachQueued(java.util.function.BiConsumer<PodInfo, QueuedPod.Location> action) {
        entries.values().forEach(entry -> action.accept(entry.pod(), entry.location()));
    }

    /** The pods waiting as unschedulable (for status and debugging). */
    public List<PodInfo> unschedulablePods() {
        List<PodInfo> pods = new ArrayList<>(unschedulable.size());
        unschedulable.values().forEach(entry -> pods.add(entry.pod()));
        return pods;
    }

    Duration backoffFor(int attempts) {
        Duration delay = initialBackoff;
        for (int i = 1; i < attempts && delay.compareTo(maxBackoff) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxBackoff) > 0 ? maxBackoff : delay;
    }

    private boolean isCurrent(QueuedPod entry) {
        // A pod deleted or bound by someone else while in flight is no longer ours to requeue.
        return entries.get(entry.pod().key()) == entry;
    }

    private void toActive(QueuedPod entry, String event) {
        entry.location(QueuedPod.Location.ACTIVE);
        active.add(entry);
        metrics.podsQueued(event, ACTIVE, 1);
    }

    private void toBackoffOrActive(QueuedPod entry, String event) {
        if (entry.backoffUntil().isAfter(clock.instant())) {
            entry.location(QueuedPod.Location.BACKOFF);
            backoff.add(entry);
            metrics.podsQueued(event, BACKOFF, 1);
        } else {
            toActive(entry, event);
        }
    }

    private void flushBackoff(Instant now) {
        QueuedPod head;
        while ((head = backoff.peek()) != null && !head.backoffUntil().isAfter(now)) {
            backoff.poll();
            toActive(head, QueueingEvents.BACKOFF_COMPLETE);
        }
    }

    private void flushLongUnschedulable(Instant now) {
        if (unschedulable.isEmpty()) {
            return;
        }
        List<QueuedPod> stale = new ArrayList<>();
        for (QueuedPod entry : unschedulable.values()) {
            if (entry.unschedulableSince().plus(maxInUnschedulable).isAfter(now)) {
                break; // the pool is in order of unschedulableSince: the rest waited less
            }
            stale.add(entry);
        }
        stale.forEach(this::leaveUnschedulable);
        stale.forEach(entry -> toBackoffOrActive(entry, QueueingEvents.UNSCHEDULABLE_TIMEOUT));
    }

    private void leaveUnschedulable(QueuedPod entry) {
        unschedulable.remove(entry.pod().key());
        for (ClusterEventType event : entry.helpfulEvents()) {
            Set<QueuedPod> waiting = waitingFor.get(event);
            if (waiting != null) {
                waiting.remove(entry);
            }
        }
    }
}
