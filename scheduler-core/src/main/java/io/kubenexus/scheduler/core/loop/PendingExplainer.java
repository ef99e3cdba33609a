package io.kubenexus.scheduler.core.loop;

import io.kubenexus.scheduler.core.framework.GroupInsightPlugin;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.query.GangExplanation;
import io.kubenexus.scheduler.core.query.GroupSummary;
import io.kubenexus.scheduler.core.query.PodExplanation;
import io.kubenexus.scheduler.core.query.PodState;
import io.kubenexus.scheduler.core.queue.QueuedPod;
import io.kubenexus.scheduler.core.state.ClusterState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

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
        PodInfo heldBind = loop.externalBinds().heldPod(key);
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
        GangExplanation gang = null;
        for (GroupInsightPlugin plugin : loop.plugins.insight) {
            gang = gang != null ? gang : plugin.explainGroup(pod, podState);
        }
        return Optional.of(new PodExplanation(key.toString(), pod.uid(), podState, loop.lastUnschedulableMessage(key),
                reasons, byPlugin, state.nodeCount(), feasible, gang));
    }

    private PodState stateOf(PodKey key, PodInfo queued, PodInfo accounted) {
        if (loop.externalBinds().inFlight(key)) {
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

    /** See {@link SchedulingLoop#groups()}. */
    List<GroupSummary> groups() {
        List<GroupSummary> out = new ArrayList<>();
        for (GroupInsightPlugin plugin : loop.plugins.insight) {
            out.addAll(plugin.groups());
        }
        out.sort(Comparator.comparing(GroupSummary::groupId));
        return out;
    }
}
