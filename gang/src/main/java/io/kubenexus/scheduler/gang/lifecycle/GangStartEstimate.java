package io.kubenexus.scheduler.gang.lifecycle;

import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.model.ResourceList;
import io.kubenexus.scheduler.core.state.ClusterState;
import io.kubenexus.scheduler.core.state.ResourceColumns;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * When a member of a starving gang could have its room, from the declared run times
 * ({@code activeDeadlineSeconds}) of the pods occupying what it still lacks: on a node, the
 * earliest-ending pods there must end until it fits, and the end of the last of those; without a node
 * of its own yet, the earliest over the nodes. Unknown (null) when the room would need a pod to end
 * that declares no run time (or a stand-in: held room never ends by itself). The gang starts when
 * its last member could.
 *
 * <p>The estimate counts resources only, and each member on its own: both can only make it earlier
 * than the truth, which makes backfill stricter, never looser. Pure; O(nodes x pods per node) per member.
 */
final class GangStartEstimate {
    private GangStartEstimate() {
    }

    /** When {@code member} could have room on some node, at the earliest; null when unknown. */
    static Instant earliest(PodInfo member, ClusterState state, Instant now) {
        Instant earliest = null;
        BitSet nodes = state.liveNodes();
        for (int node = nodes.nextSetBit(0); node >= 0; node = nodes.nextSetBit(node + 1)) {
            Instant fits = whenFits(member, null, node, state, now);
            if (fits != null && (earliest == null || fits.isBefore(earliest))) {
                earliest = fits;
            }
        }
        return earliest;
    }

    /**
     * When {@code member} fits on {@code node} as the pods there end, earliest first; null when never
     * known. {@code held} is room already held for it there (by a stand-in of its own), or null.
     */
    static Instant whenFits(PodInfo member, ResourceList held, int node, ClusterState state, Instant now) {
        ResourceColumns columns = state.columns();
        Map<String, Long> amounts = member.requests().amounts();
        int[] cols = new int[amounts.size() + 1];
        long[] shortfall = new long[cols.length];
        int n = 0;
        cols[n] = ResourceColumns.PODS;
        shortfall[n++] = held != null ? 0
                : 1 - (state.allocatable(ResourceColumns.PODS, node) - state.requested(ResourceColumns.PODS, node));
        for (Map.Entry<String, Long> request : amounts.entrySet()) {
            if (request.getValue() <= 0) {
                continue;
            }
            int column = columns.columnOf(request.getKey());
            if (column < 0 || request.getValue() > state.allocatable(column, node)) {
                return null; // the node can never give it this much
            }
            cols[n] = column;
            long stillNeeded = request.getValue() - (held == null ? 0 : held.get(request.getKey()));
            shortfall[n++] = stillNeeded - (state.allocatable(column, node) - state.requested(column, node));
        }
        if (covered(shortfall, n)) {
            return now;
        }
        List<PodInfo> occupying = new ArrayList<>();
        for (PodKey key : state.podsOnNode(state.node(node).name())) {
            PodInfo pod = state.accountedPod(key);
            if (pod != null) {
                occupying.add(pod);
            }
        }
        occupying.sort(Comparator.comparing((PodInfo p) -> end(p, now), Comparator.nullsLast(Comparator.naturalOrder())));
        for (PodInfo pod : occupying) {
            Instant end = end(pod, now);
            if (end == null) {
                return null; // the next pod that must go may run for ever
            }
            shortfall[0] -= 1;
            for (int i = 1; i < n; i++) {
                shortfall[i] -= pod.requests().get(columns.name(cols[i]));
            }
            if (covered(shortfall, n)) {
                return end;
            }
        }
        return null;
    }

    /** When the pod's declared run time ends (now for one already going), or null when it declares none. */
    static Instant end(PodInfo pod, Instant now) {
        if (pod.terminating()) {
            return now;
        }
        if (pod.isStandIn() || pod.declaredRunTime() == null) {
            return null;
        }
        Instant end = (pod.startedAt() == null ? now : pod.startedAt()).plus(pod.declaredRunTime());
        return end.isBefore(now) ? now : end;
    }

    private static boolean covered(long[] shortfall, int n) {
        for (int i = 0; i < n; i++) {
            if (shortfall[i] > 0) {
                return false;
            }
        }
        return true;
    }
}
