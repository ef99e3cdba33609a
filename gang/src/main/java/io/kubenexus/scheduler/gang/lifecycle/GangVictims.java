package io.kubenexus.scheduler.gang.lifecycle;

import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.state.ClusterState;
import io.kubenexus.scheduler.gang.group.GroupMembership;
import io.kubenexus.scheduler.gang.group.GroupRole;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What goes with a preemption victim so no gang is left partial: a member of a gang brings every
 * other member charged to a node (bound, or assumed with a bind under way) and the executor places
 * held for the group; a Spark driver or executor brings the whole application (driver, executors,
 * places). A pod of no group, or of a group whose members go one by one, brings nothing.
 * Used only on the loop thread.
 */
final class GangVictims {
    private final GangPlugin gang;

    GangVictims(GangPlugin gang) {
        this.gang = gang;
    }

    Collection<PodInfo> mustGoWith(PodInfo victim) {
        GroupMembership membership = gang.groups.membership(victim);
        if (membership == null || !membership.isValid()) {
            return List.of();
        }
        String groupId = membership.groupId();
        List<Reservation> places = gang.places.of(groupId);
        boolean sparkApp = membership.role() != GroupRole.MEMBER;
        // A group placed member by member (min-available 1, no places) is no gang: its pods go alone.
        if (!sparkApp && gang.members.minimum(membership) < 2) {
            return List.of();
        }
        ClusterState state = gang.loop.state();
        List<PodInfo> out = new ArrayList<>();
        for (PodKey key : gang.boundMembers(groupId)) {
            PodInfo member = state.accountedPod(key);
            if (member != null && !key.equals(victim.key())) {
                out.add(member);
            }
        }
        for (Reservation place : places) {
            if (!place.placeholder().key().equals(victim.key())) {
                out.add(place.placeholder());
            }
        }
        return out;
    }
}
