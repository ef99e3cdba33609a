package io.kubenexus.scheduler.core.ports;

import io.kubenexus.scheduler.core.model.PodInfo;
import java.util.concurrent.CompletionStage;

/**
 * Preemption's writes to the API: evicting victims and nominating preemptors. Called from the
 * scheduling loop while it leads; must not block it (the calls run asynchronously) and never
 * completes exceptionally: failures are {@link EvictionOutcome#FAILED} results.
 */
public interface Evictor {
    /**
     * Evicts {@code victim} to make room for {@code preemptor} on {@code nodeName}: through the
     * Eviction API (policy/v1), so the kubelet's grace period applies; when a PodDisruptionBudget
     * refuses the eviction (HTTP 429), by a delete with the pod's grace period, since preemption has
     * already weighed the budgets (as kube-scheduler does).
     */
    CompletionStage<EvictionResult> evict(PodInfo victim, PodInfo preemptor, String nodeName);

    /**
     * Sets {@code status.nominatedNodeName} of {@code pod} to {@code nodeName}, or clears it when
     * {@code nodeName} is null. An adapter without pod status (the simulator) does nothing.
     */
    CompletionStage<EvictionResult> nominate(PodInfo pod, String nodeName);

    /** How an eviction or a nomination ended; {@code detail} is the API's message when it did not succeed. */
    record EvictionResult(EvictionOutcome outcome, String detail) {
        public static final EvictionResult EVICTED = new EvictionResult(EvictionOutcome.EVICTED, "");

        public EvictionResult {
            detail = detail == null ? "" : detail;
        }
    }

    enum EvictionOutcome {
        /** The Eviction API accepted (or the nomination was written). */
        EVICTED,
        /** A budget refused the eviction; the pod was deleted with its grace period instead. */
        DELETED,
        /** The pod was gone already (HTTP 404): nothing to do. */
        GONE,
        /** Any other failure; the room is not made and the preemptor is retried as usual. */
        FAILED
    }
}
