package io.kubenexus.scheduler.core.preemption;

import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodPhase;
import io.kubenexus.scheduler.core.state.ClusterState;
import io.kubenexus.scheduler.core.state.StateExtension;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The PodDisruptionBudgets of the cluster, kept beside the {@link ClusterState} (registered as its
 * extension so the informer's updates reach it through the loop's {@code onStateUpdate}, in order
 * with the pods). Holds no per-node data. Used only on the loop thread.
 */
public final class DisruptionBudgets implements StateExtension {
    private final Map<String, DisruptionBudget> byKey = new HashMap<>();

    /** Adds or replaces a budget (by namespace and name). */
    public void upsert(DisruptionBudget budget) {
        byKey.put(budget.namespace() + "/" + budget.name(), budget);
    }

    /** Forgets a deleted budget; does nothing for one not known. */
    public void remove(String namespace, String name) {
        byKey.remove(namespace + "/" + name);
    }

    public int size() {
        return byKey.size();
    }

    /**
     * The victims whose eviction a budget does not allow, as kube-scheduler counts them: each
     * victim, in order, uses one disruption of every budget covering it; a victim that takes a
     * budget below zero violates it.
     */
    public Set<PodInfo> violating(List<PodInfo> victims, ClusterState state) {
        if (byKey.isEmpty() || victims.isEmpty()) {
            return Set.of();
        }
        Map<DisruptionBudget, int[]> left = new LinkedHashMap<>();
        Set<PodInfo> out = new HashSet<>();
        for (PodInfo victim : victims) {
            boolean violates = false;
            for (DisruptionBudget budget : covering(victim)) {
                int[] allowed = left.computeIfAbsent(budget, b -> new int[]{b.disruptionsAllowed(healthyCovered(b, state))});
                allowed[0]--;
                violates |= allowed[0] < 0;
            }
            if (violates) {
                out.add(victim);
            }
        }
        return out;
    }

    private List<DisruptionBudget> covering(PodInfo pod) {
        List<DisruptionBudget> out = new ArrayList<>(1);
        for (DisruptionBudget budget : byKey.values()) {
            if (budget.covers(pod.key().namespace(), pod.labels())) {
                out.add(budget);
            }
        }
        return out;
    }

    /** Only for budgets without a published status: a scan of the accounted pods, rare and off the hot path. */
    private static int healthyCovered(DisruptionBudget budget, ClusterState state) {
        if (budget.allowedByStatus() != null) {
            return 0;
        }
        int[] count = {0};
        state.forEachAccountedPod(pod -> {
            if (!pod.isStandIn() && !pod.terminating() && pod.phase() == PodPhase.RUNNING
                    && budget.covers(pod.key().namespace(), pod.labels())) {
                count[0]++;
            }
        });
        return count[0];
    }
}
