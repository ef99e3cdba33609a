package io.kubenexus.scheduler.gang.lifecycle;

import io.kubenexus.scheduler.gang.group.ExecutorTemplate;
import io.kubenexus.scheduler.gang.group.GroupMembership;
import io.kubenexus.scheduler.gang.group.GroupPlan;
import io.kubenexus.scheduler.gang.group.GroupRole;
import io.kubenexus.scheduler.core.framework.LoopHandle;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.query.GangExplanation;
import io.kubenexus.scheduler.core.query.GroupState;
import io.kubenexus.scheduler.core.query.GroupSummary;
import io.kubenexus.scheduler.core.query.PodState;
import io.kubenexus.scheduler.core.state.ClusterState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What a gang is doing, for {@code /debug/explain} and {@code /debug/gangs}: members bound, pending
 * and not created yet, the planner's verdict now, and the places held with their expiry. What it
 * plans to answer is forgotten again before it returns. Used only on the loop thread.
 */
final class GangInsight {
    private final GangPlugin gang;

    GangInsight(GangPlugin gang) {
        this.gang = gang;
    }

    private LoopHandle loop() {
        return gang.loop;
    }

    GangExplanation explain(PodInfo pod, PodState podState) {
        GroupMembership membership = gang.groups.membership(pod);
        if (membership == null || !membership.isValid()) {
            return null;
        }
        ClusterState state = loop().state();
        String groupId = membership.groupId();
        int min = Math.max(gang.members.minimum(membership), gang.extenderHeldMinimum(groupId));
        int bound = gang.boundMembers(groupId).size();
        List<PodInfo> pending = pendingMembers(groupId);
        if (pending.stream().noneMatch(p -> p.key().equals(pod.key())) && podState != PodState.BOUND
                && podState != PodState.NOT_OURS && !state.isAssumed(pod.key())) {
            pending.add(pod);
        }
        int missing = Math.max(0, min - bound - pending.size());
        String plan = pending.isEmpty() ? null : plan(pod, membership, min, pending, bound);
        List<Reservation> held = gang.places.of(groupId);
        List<String> nodes = new ArrayList<>();
        Instant earliest = null;
        for (Reservation reservation : held) {
            nodes.add(reservation.placeholder().nodeName());
            earliest = earliest == null || reservation.expiresAt().isBefore(earliest) ? reservation.expiresAt() : earliest;
        }
        nodes.sort(null);
        return new GangExplanation(groupId, min, bound, pending.size(), missing, plan, held.size(), nodes, earliest);
    }

    /** The planner's verdict on the pending members now; whatever it assumed is forgotten again. */
    private String plan(PodInfo pod, GroupMembership membership, int min, List<PodInfo> pending, int bound) {
        ClusterState state = loop().state();
        List<PodInfo> members = pending;
        int needed = min;
        String prefix = "";
        // A question must leave the state as it found it: the planner assumes what it places (and
        // replaces what the state holds under that key), so it is never handed a pod the state accounts.
        boolean driverPending = membership.role() == GroupRole.DRIVER && state.accountedPod(pod.key()) == null;
        if (driverPending) {
            ExecutorTemplate template = gang.executorTemplate(pod, membership);
            if (template == null) {
                return "the executors cannot be sized yet";
            }
            members = new ArrayList<>();
            members.add(pod.withNodeName(null));
            members.addAll(ExecutorSizing.standIns(pod, template, 0));
            needed = members.size();
            bound = 0;
            prefix = "driver and " + template.count() + " executor(s) sized by " + template.source() + ": ";
        } else if (min < 1) {
            return null;
        }
        members = members.stream().filter(m -> state.accountedPod(m.key()) == null).toList();
        if (members.isEmpty()) {
            return null;
        }
        GroupPlan plan = gang.planner.plan(membership.groupId(), needed, members, bound, state, loop().algorithm());
        if (plan instanceof GroupPlan.Placed placed) {
            placed.nodes().keySet().forEach(state::forget);
            return prefix + "placeable now: " + placed.nodes().size() + " member(s) fit";
        }
        return prefix + ((GroupPlan.Waiting) plan).message();
    }

    private List<PodInfo> pendingMembers(String groupId) {
        List<PodInfo> pods = new ArrayList<>();
        for (PodKey key : gang.members.pending(groupId)) {
            PodInfo queued = loop().queuedPod(key);
            if (queued != null) {
                pods.add(queued);
            }
        }
        return pods;
    }

    List<GroupSummary> groups() {
        Map<String, Integer> boundCounts = new HashMap<>();
        Map<String, GroupMembership> seen = new HashMap<>();
        loop().state().forEachAccountedPod(pod -> {
            GroupMembership membership = gang.groups.membership(pod);
            if (membership != null && membership.isValid() && pod.holdsResources()) {
                boundCounts.merge(membership.groupId(), 1, Integer::sum);
                seen.merge(membership.groupId(), membership, (a, b) -> a.minMembers() >= b.minMembers() ? a : b);
            }
        });
        Map<String, List<Instant>> held = gang.extenderHeldSince();
        TreeSet<String> ids = new TreeSet<>(gang.members.groupIds());
        ids.addAll(gang.places.groupIds());
        ids.addAll(boundCounts.keySet());
        ids.addAll(held.keySet());
        List<GroupSummary> out = new ArrayList<>();
        for (String groupId : ids) {
            GroupMembership membership = seen.getOrDefault(groupId, GroupMembership.of(groupId, 0));
            int min = Math.max(gang.members.minimum(membership), gang.extenderHeldMinimum(groupId));
            List<Instant> heldSince = held.getOrDefault(groupId, List.of());
            int pending = gang.members.pending(groupId).size() + heldSince.size();
            int bound = boundCounts.getOrDefault(groupId, 0);
            List<Reservation> reservations = gang.places.of(groupId);
            Instant expiry = null;
            for (Reservation r : reservations) {
                expiry = expiry == null || r.expiresAt().isBefore(expiry) ? r.expiresAt() : expiry;
            }
            Instant since = gang.members.waitingSince(groupId);
            for (Instant h : heldSince) {
                since = since == null || h.isBefore(since) ? h : since;
            }
            GroupState groupState = !reservations.isEmpty() ? GroupState.RESERVED
                    : bound > 0 && bound >= min ? GroupState.PLACED : GroupState.WAITING;
            out.add(new GroupSummary(groupId, min, groupState, pending, bound, reservations.size(), expiry,
                    pending == 0 ? null : since));
        }
        return out;
    }
}
