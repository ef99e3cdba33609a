package io.kubenexus.scheduler.core.query;

import java.util.List;

/**
 * The victims preemption chooses on one node, as the extender's preempt verb answers them
 * (kube-scheduler's MetaVictims): the pods by UID and how many of them a PodDisruptionBudget does not
 * allow to go.
 */
public record NodeVictims(List<String> podUids, int pdbViolations) {
    public NodeVictims {
        podUids = List.copyOf(podUids);
        if (pdbViolations < 0) {
            throw new IllegalArgumentException("pdbViolations must not be negative, was " + pdbViolations);
        }
    }
}
