package io.kubenexus.scheduler.core.plugins;

import io.kubenexus.scheduler.core.framework.ClusterEventType;
import io.kubenexus.scheduler.core.framework.FilterDiagnosis;
import io.kubenexus.scheduler.core.framework.FilterPlugin;
import io.kubenexus.scheduler.core.framework.PodContext;
import io.kubenexus.scheduler.core.state.ClusterSnapshot;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.Set;

/**
 * kube-scheduler's NodeName filter: a pod that names a node in {@code spec.nodeName} fits only that
 * node. The loop never schedules such pods; this guards callers that filter arbitrary pods (the
 * extender endpoint).
 *
 * <p>Stateless; called only from the scheduling loop thread.
 */
public final class NodeName implements FilterPlugin {
    public static final String NAME = "NodeName";
    public static final String REASON = "node(s) didn't match the requested node name";

    private static final Set<ClusterEventType> EVENTS = Set.copyOf(EnumSet.of(ClusterEventType.NODE_ADDED));

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void filter(PodContext pod, ClusterSnapshot snapshot, BitSet candidates, FilterDiagnosis diagnosis) {
        String nodeName = pod.pod().nodeName();
        if (nodeName == null) {
            return;
        }
        int before = candidates.cardinality();
        int index = snapshot.nodeIndex(nodeName);
        if (index >= 0 && candidates.get(index)) {
            // Clear around the named node rather than clear-then-set: filters never set bits.
            candidates.clear(0, index);
            candidates.clear(index + 1, candidates.length());
        } else {
            candidates.clear();
        }
        diagnosis.rejectCount(this, REASON, before - candidates.cardinality());
    }

    @Override
    public boolean judgesEachNodeAlone() {
        return true;
    }

    @Override
    public Set<ClusterEventType> eventsThatMayHelp() {
        return EVENTS;
    }
}
