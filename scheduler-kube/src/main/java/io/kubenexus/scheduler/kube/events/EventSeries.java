package io.kubenexus.scheduler.kube.events;

import java.time.Instant;

/**
 * One aggregated Event: how often it happened and how much of that the API has been told.
 * Mutable; every access holds the instance's monitor. At most one API call per series is in
 * flight, so creates and count patches of one Event cannot overtake each other.
 */
final class EventSeries {
    /** A write the series wants sent, captured under the monitor. */
    record Write(boolean create, long count, Instant first, Instant last) {
    }

    final String namespace;
    final String podName;
    final String podUid;
    final String type;
    final String reason;
    final String action;
    final String message;
    final String eventName;

    private final Instant first;
    private Instant last;
    private long count;
    private long writtenCount;
    private boolean exists;
    private boolean inFlight;

    EventSeries(String namespace, String podName, String podUid, String type, String reason, String action,
                String message, Instant first) {
        this.namespace = namespace;
        this.podName = podName;
        this.podUid = podUid;
        this.type = type;
        this.reason = reason;
        this.action = action;
        this.message = message;
        this.first = first;
        this.last = first;
        this.eventName = podName + "." + ApiTimes.nanosHex(first);
    }

    /** Counts one occurrence; returns the create to send if the Event does not exist yet. */
    synchronized Write occurred(Instant now) {
        count++;
        if (now.isAfter(last)) {
            last = now;
        }
        return exists ? null : next();
    }

    /** The write a flush should send: a count patch if the API is behind, a create if it failed. */
    synchronized Write flush() {
        return next();
    }

    private Write next() {
        if (inFlight || count == writtenCount && exists) {
            return null;
        }
        inFlight = true;
        return new Write(!exists, count, first, last);
    }

    synchronized void written(Write write) {
        inFlight = false;
        exists = true;
        writtenCount = Math.max(writtenCount, write.count());
    }

    /** The API no longer has the Event (expired or deleted): the next write re-creates it. */
    synchronized void gone() {
        inFlight = false;
        exists = false;
        writtenCount = 0;
    }

    synchronized void failed() {
        inFlight = false;
    }

    synchronized long count() {
        return count;
    }
}
