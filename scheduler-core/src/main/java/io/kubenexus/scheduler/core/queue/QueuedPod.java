package io.kubenexus.scheduler.core.queue;

import io.kubenexus.scheduler.core.framework.ClusterEventType;
import io.kubenexus.scheduler.core.model.PodInfo;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * A pending pod's queue entry: the latest pod object plus its scheduling history. Owned by the
 * {@link SchedulingQueue} and the loop thread; not shared with other threads.
 */
public final class QueuedPod {
    private PodInfo pod;
    private final Instant firstQueued;
    private final long sequence;
    private int attempts;
    private Instant backoffUntil = Instant.MIN;
    private Instant unschedulableSince;
    private final EnumSet<ClusterEventType> helpfulEvents = EnumSet.noneOf(ClusterEventType.class);
    private Location location = Location.NONE;

    /** Where a queued pod waits. */
    public enum Location { NONE, ACTIVE, BACKOFF, UNSCHEDULABLE, IN_FLIGHT }

    QueuedPod(PodInfo pod, Instant firstQueued, long sequence) {
        this.pod = pod;
        this.firstQueued = firstQueued;
        this.sequence = sequence;
    }

    public PodInfo pod() {
        return pod;
    }

    void pod(PodInfo updated) {
        this.pod = updated;
    }

    /** When the pod first entered the queue; the start of its scheduling latency. */
    public Instant firstQueued() {
        return firstQueued;
    }

    long sequence() {
        return sequence;
    }

    /** Failed attempts so far; drives the backoff. */
    public int attempts() {
        return attempts;
    }

    void recordFailure() {
        attempts++;
    }

    Instant backoffUntil() {
        return backoffUntil;
    }

    void backoffUntil(Instant until) {
        this.backoffUntil = until;
    }

    Instant unschedulableSince() {
        return unschedulableSince;
    }

    void unschedulableSince(Instant since) {
        this.unschedulableSince = since;
    }

    Set<ClusterEventType> helpfulEvents() {
        return helpfulEvents;
    }

    void helpfulEvents(Set<ClusterEventType> events) {
        helpfulEvents.clear();
        helpfulEvents.addAll(events);
    }

    Location location() {
        return location;
    }

    void location(Location where) {
        this.location = where;
    }
}
