package io.kubenexus.scheduler.core.framework;

import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.query.GangExplanation;
import io.kubenexus.scheduler.core.query.GroupSummary;
import io.kubenexus.scheduler.core.query.PodState;
import io.kubenexus.scheduler.core.model.PodKey;
import java.util.List;
import java.util.Set;

/**
 * Answers the questions about groups ({@code /debug/explain}, {@code /debug/gangs}) from the
 * plugin's own books. Answers assume nothing: what a question computes is undone before it returns.
 */
public interface GroupInsightPlugin extends LifecyclePlugin {
    /** The pod's group as it stands, or null when the pod belongs to none. */
    GangExplanation explainGroup(PodInfo pod, PodState podState);

    /** Every group known, sorted by id. */
    List<GroupSummary> groups();

    /** The group's members waiting to be placed (empty when the group is unknown here). */
    Set<PodKey> waitingMembers(String groupId);
}
