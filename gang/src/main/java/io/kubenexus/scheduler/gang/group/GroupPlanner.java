package io.kubenexus.scheduler.gang.group;

import io.kubenexus.scheduler.core.loop.SchedulingAlgorithm;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.ResourceList;
import io.kubenexus.scheduler.core.state.ClusterState;
import java.util.List;

/**
 * Places a group all-or-nothing against one snapshot. Contract: on {@link GroupPlan.Placed} every
 * member it names is assumed in {@code state} and, with the bound members, they reach
 * {@code minMembers}; on {@link GroupPlan.Waiting} the state is exactly as it was (no member is left
 * assumed). Called only from the scheduling loop.
 */
public interface GroupPlanner {
    /**
     * @param groupId       the group
     * @param minMembers    members that must be placed (or already bound) together
     * @param pending       the members waiting to be placed, in the queue's order
     * @param boundMembers  members already bound (count towards {@code minMembers})
     */
    GroupPlan plan(String groupId, int minMembers, List<PodInfo> pending, int boundMembers, ClusterState state,
                   SchedulingAlgorithm algorithm);

    /**
     * As {@link #plan(String, int, List, int, ClusterState, SchedulingAlgorithm)}, with the pending
     * members' summed requests known already (kept as members come and go), so a gang too big for
     * the cluster is told without summing its members.
     */
    default GroupPlan plan(String groupId, int minMembers, List<PodInfo> pending, int boundMembers,
                           ResourceList pendingDemand, ClusterState state, SchedulingAlgorithm algorithm) {
        return plan(groupId, minMembers, pending, boundMembers, state, algorithm);
    }
}
