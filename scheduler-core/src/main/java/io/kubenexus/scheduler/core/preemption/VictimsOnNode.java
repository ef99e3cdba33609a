package io.kubenexus.scheduler.core.preemption;

import io.kubenexus.scheduler.core.model.PodInfo;
import java.util.List;

/**
 * The engine's victims for a preemptor on one node (whole groups included, so some may run on other
 * nodes), and how many of them a PodDisruptionBudget protects.
 */
public record VictimsOnNode(List<PodInfo> victims, int budgetViolations) {
    public VictimsOnNode {
        victims = List.copyOf(victims);
    }

    /** Whether every victim runs on {@code nodeName}. */
    public boolean allOn(String nodeName) {
        return victims.stream().allMatch(victim -> nodeName.equals(victim.nodeName()));
    }
}
