package io.kubenexus.scheduler.core.ports;

import io.kubenexus.scheduler.core.model.PodInfo;

/**
 * Tells users what the scheduler decided: Kubernetes Events and the pod's PodScheduled condition
 * in the adapter. Called from the scheduling loop, only while this replica leads; implementations
 * must not block (write asynchronously) and must aggregate repeats themselves.
 */
public interface EventSink {
    /** The pod was bound to {@code nodeName} ({@code Scheduled} event). */
    void scheduled(PodInfo pod, String nodeName);

    /**
     * The pod was bound to {@code nodeName}; {@code placement} says what was chosen within the node
     * (e.g. "NUMA zone 1, NVLink island nvl1"), or is null. Sinks that show it override this.
     */
    default void scheduled(PodInfo pod, String nodeName, String placement) {
        scheduled(pod, nodeName);
    }

    /**
     * The pod cannot be placed now ({@code FailedScheduling} event and condition
     * {@code PodScheduled=False}, reason {@code Unschedulable}, with {@code message}).
     */
    void unschedulable(PodInfo pod, String message);

    /**
     * The pod's spec cannot be read (a malformed quantity, selector or label). Same surfaces as
     * {@link #unschedulable}; the pod is not queued until its object changes.
     */
    void invalid(PodInfo pod, String message);

    /**
     * Something about the pod's scheduling input deserves the user's attention but does not stop it
     * (e.g. members of a pod group disagree on min-available). A Warning event with {@code reason}.
     */
    void warning(PodInfo pod, String reason, String message);

    /** Binding failed in a way that will be retried. */
    void bindFailed(PodInfo pod, String nodeName, String message);

    /**
     * {@code victim} is evicted to make room for {@code preemptor} on {@code nodeName}
     * ({@code Preempted} event on the victim: "Preempted by ns/name on node X"). Sinks that tell
     * nobody keep the default.
     */
    default void preempted(PodInfo victim, PodInfo preemptor, String nodeName) {
    }

    /**
     * {@code preemptor} evicts {@code victims} pods on {@code nodeName} and is nominated there
     * ({@code Preempting} and {@code Nominated} events on the preemptor).
     */
    default void preempting(PodInfo preemptor, String nodeName, java.util.List<PodInfo> victims) {
    }

    /** An EventSink that tells nobody (tests, standby replicas). */
    EventSink NONE = new EventSink() {
        @Override
        public void scheduled(PodInfo pod, String nodeName) {
        }

        @Override
        public void unschedulable(PodInfo pod, String message) {
        }

        @Override
        public void invalid(PodInfo pod, String message) {
        }

        @Override
        public void warning(PodInfo pod, String reason, String message) {
        }

        @Override
        public void bindFailed(PodInfo pod, String nodeName, String message) {
        }
    };
}
