package io.kubenexus.scheduler.extender.protocol;

import java.util.List;

/**
 * The pods kube-scheduler proposes to evict on one node ({@code MetaVictims}), by UID.
 *
 * @param podUids the victims' UIDs in the order sent
 * @param numPdbViolations how many PodDisruptionBudgets the eviction would violate, echoed back
 */
public record MetaVictims(List<String> podUids, long numPdbViolations) {
    public MetaVictims {
        podUids = List.copyOf(podUids);
    }
}
