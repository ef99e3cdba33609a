package io.kubenexus.scheduler.core.loop;

import io.kubenexus.scheduler.core.framework.ExecutorTemplate;
import io.kubenexus.scheduler.core.framework.GroupMembership;
import io.kubenexus.scheduler.core.framework.GroupPlan;
import io.kubenexus.scheduler.core.framework.GroupRole;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.query.GangExplanation;
import io.kubenexus.scheduler.core.query.GroupState;
import io.kubenexus.scheduler.core.query.GroupSummary;
import io.kubenexus.scheduler.core.query.PodExplanation;
import io.kubenexus.scheduler.core.query.PodState;
import io.kubenexus.scheduler.core.queue.QueuedPod;
import io.kubenexus.scheduler.core.state.ClusterState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Says why a pod is pending ({@code /debug/explain}) and what every group is doing, from the live
 * state on the loop thread. What it computes fresh (the per-node reasons, the group's plan) is undone
 * before it returns: an explanation never assumes anything.
 *
 * <p>Used only on the scheduling loop thread.
 */
final class PendingExplainer {
    private final SchedulingLoop loop;
    private final NodeVerdicts verdicts;

    PendingExplainer(SchedulingLoop loop, NodeVerdicts verdicts) {
        this.loop = loop;
        this.verdicts = verdicts;
    }

    /** See {@link SchedulingLoop#explain}. */
    Optional<PodExplanation> explain(PodKey key) {
        ClusterState state = loop.state;
        PodInfo queued = loop.queue.queuedPod(key);
        PodInfo accounted = state.accountedPod(key);
        PodInfo heldBind = loop.extenderBinds().heldPod(key);
        PodInfo pod = queued != null ? queued : heldBind != null ? heldBind : accounted;
        if (pod == null) {
            return Optional.empty();
        }
        PodState podState = stateOf(key, queued, accounted);
        Map<String, Integer> reasons = new TreeMap<>();
        Map<String, Map<String, Integer>> byPlugin = new TreeMap<>();
        int feasible = 0;
        if (accounted == null) { // a pod charged somewhere would be judged against its own charge
            PodInfo pending = pod.withNodeName(null);
            NodeVerdicts.Outcome outcome = verdicts.judge(state.podContext(pending), state, state.liveNodes());
            feasible = outcome.feasible().cardinality();
            for (NodeVerdicts.Verdict verdict : outcome.rejected().values()) {
                for (String reason : verdict.reasons()) {
                    reasons.merge(reason, 1, Integer::sum);
                    byPlugin.computeIfAbsent(verdict.plugin(), p -> new TreeMap<>()).merge(reason, 1, Integer::sum);
                }
            }
        }
        GroupMembership membership = loop.groups.membership(pod);
        GangExplanation gang = membership == null || !membership.isValid() ? null : gang(pod, membership, podState);
        return Optional.of(new PodExplanation(key.toString(), pod.uid(), podState, loop.lastUnschedulableMessage(key),
                reasons, byPlugin, state.nodeCount(), feasible, gang));
    }

    private PodState stateOf(PodKey key, PodInfo queued, PodInfo accounted) {
        if (loop.extenderBinds().inFlight(key)) {
            return PodState.IN_FLIGHT;
        }
        if (queued != null) {
            QueuedPod.Location location = loop.queue.location(key);
            return switch (location) {
                case ACTIVE -> PodState.PENDING_ACTIVE;
                case BACKOFF -> PodState.BACKOFF;
                case UNSCHEDULABLE -> PodState.UNSCHEDULABLE;
                case IN_FLIGHT, NONE -> PodState.IN_FLIGHT;
            };
        }
        if (loop.state.isAssumed(key)) {
            return PodState.IN_FLIGHT;
        }
        return loop.isOurs(accounted) ? PodState.BOUND : PodState.NOT_OURS;
    }

    private GangExplanation gang(PodInfo pod, GroupMembership membership, PodState podState) {
        String groupId = membership.groupId();
        int min = Math.max(loop.groupMinimum(membership), loop.extenderBinds().heldMinimum(groupId));
        int bound = loop.boundGroupMembers(groupId).size();
        List<PodInfo> pending = pendingMembers(groupId);
        if (pending.stream().noneMatch(p -> p.key().equals(pod.key())) && podState != PodState.BOUND
                && podState != PodState.NOT_OURS && !loop.state.isAssumed(pod.key())) {
            pending.add(pod);
        }
        int missing = Math.max(0, min - bound - pending.size());
        String plan = pending.isEmpty() ? null : plan(pod, membership, min, pending, bound);
        List<Reservation> held = loop.reservationsOf(groupId);
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
        if (loop.groupPlanner == null) {
            return null;
        }
        List<PodInfo> members = pending;
        int needed = min;
        String prefix = "";
        // A question must leave the state as it found it: the planner assumes what it places (and
        // replaces what the state holds under that key), so it is never handed a pod the state accounts.
        boolean driverPending = membership.role() == GroupRole.DRIVER && loop.state.accountedPod(pod.key()) == null;
        if (driverPending) {
            ExecutorTemplate template = loop.executorTemplate(pod, membership);
            if (template == null) {
                return "the executors cannot be sized yet";
            }
            members = new ArrayList<>();
            members.add(pod.withNodeName(null));
            members.addAll(loop.standIns(pod, template, 0));
            needed = members.size();
            bound = 0;
            prefix = "driver and " + template.count() + " executor(s) sized by " + template.source() + ": ";
        } else if (min < 1) {
            return null;
        }
        members = members.stream().filter(m -> loop.state.accountedPod(m.key()) == null).toList();
        if (members.isEmpty()) {
            return null;
        }
        GroupPlan plan = loop.groupPlanner.plan(membership.groupId(), needed, members, bound, loop.state,
                loop.algorithm);
        if (plan instanceof GroupPlan.Placed placed) {
            placed.nodes().keySet().forEach(loop.state::forget);
            return prefix + "placeable now: " + placed.nodes().size() + " member(s) fit";
        }
        return prefix + ((GroupPlan.Waiting) plan).message();
    }

    private List<PodInfo> pendingMembers(String groupId) {
        List<PodInfo> pods = new ArrayList<>();
        for (PodKey key : loop.pendingMemberKeys(groupId)) {
            PodInfo queued = loop.queue.queuedPod(key);
            if (queued != null) {
                pods.add(queued);
            }
        }
        return pods;
    }

    /** See {@link SchedulingLoop#groups()}. */
    List<GroupSummary> groups() {
        Map<String, Integer> boundCounts = new HashMap<>();
        Map<String, GroupMembership> seen = new HashMap<>();
        loop.state.forEachAccountedPod(pod -> {
            GroupMembership membership = loop.groups.membership(pod);
            if (membership != null && membership.isValid() && pod.holdsResources()) {
                boundCounts.merge(membership.groupId(), 1, Integer::sum);
                seen.merge(membership.groupId(), membership, (a, b) -> a.minMembers() >= b.minMembers() ? a : b);
            }
        });
        Map<String, List<Instant>> held = loop.extenderBinds().heldSinceByGroup();
        TreeSet<String> ids = new TreeSet<>(loop.knownGroupIds());
        ids.addAll(boundCounts.keySet());
        ids.addAll(held.keySet());
        List<GroupSummary> out = new ArrayList<>();
        for (String groupId : ids) {
            GroupMembership membership = seen.getOrDefault(groupId, GroupMembership.of(groupId, 0));
            int min = Math.max(loop.groupMinimum(membership), loop.extenderBinds().heldMinimum(groupId));
            List<Instant> heldSince = held.getOrDefault(groupId, List.of());
            int pending = loop.pendingMemberKeys(groupId).size() + heldSince.size();
            int bound = boundCounts.getOrDefault(groupId, 0);
            List<Reservation> reservations = loop.reservationsOf(groupId);
            Instant expiry = null;
            for (Reservation r : reservations) {
                expiry = expiry == null || r.expiresAt().isBefore(expiry) ? r.expiresAt() : expiry;
            }
            Instant since = loop.groupWaitingSince(groupId);
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
