package io.kubenexus.scheduler.core.preemption;

import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import java.util.List;
import java.util.Map;

/**
 * Room made by evicting lower-priority pods: where each preemptor (one pod, or the members of a gang)
 * is nominated, and the pods that go for it, whole gangs included.
 *
 * @param nominatedNodes   each preemptor's nominated node
 * @param victims          the pods evicted (real pods only: stand-ins of evicted gangs are released)
 * @param budgetViolations how many victims their PodDisruptionBudget did not allow to go
 */
public record PreemptionPlan(Map<PodKey, String> nominatedNodes, List<PodInfo> victims, int budgetViolations) {
    public PreemptionPlan {
        nominatedNodes = Map.copyOf(nominatedNodes);
        victims = List.copyOf(victims);
    }
}
