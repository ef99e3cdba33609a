package io.kubenexus.scheduler.core.plugins;

import io.kubenexus.scheduler.core.framework.ClusterEventType;
import io.kubenexus.scheduler.core.framework.FilterDiagnosis;
import io.kubenexus.scheduler.core.framework.FilterPlugin;
import io.kubenexus.scheduler.core.framework.PodContext;
import io.kubenexus.scheduler.core.model.Taint;
import io.kubenexus.scheduler.core.model.TaintEffect;
import io.kubenexus.scheduler.core.state.ClusterSnapshot;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.Set;

/**
 * kube-scheduler's NodeUnschedulable filter: cordoned nodes ({@code spec.unschedulable}) take only
 * pods that tolerate the {@code node.kubernetes.io/unschedulable:NoSchedule} taint, whether or not
 * the node controller has added that taint yet.
 *
 * <p>Holds a scratch bitset, so an instance is used by the scheduling loop thread only.
 */
public final class NodeUnschedulable implements FilterPlugin {
    public static final String NAME = "NodeUnschedulable";
    public static final String REASON = "node(s) were unschedulable";
    /** The taint a pod must tolerate to land on a cordoned node. */
    public static final Taint UNSCHEDULABLE_TAINT =
            new Taint("node.kubernetes.io/unschedulable", "", TaintEffect.NO_SCHEDULE);

    private static final Set<ClusterEventType> EVENTS = Set.copyOf(
            EnumSet.of(ClusterEventType.NODE_SCHEDULABILITY_CHANGED, ClusterEventType.NODE_ADDED));

    private final BitSet rejected = new BitSet();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void filter(PodContext pod, ClusterSnapshot snapshot, BitSet candidates, FilterDiagnosis diagnosis) {
        BitSet cordoned = snapshot.unschedulableNodes();
        if (cordoned.isEmpty() || Tolerations.tolerate(pod.pod().tolerations(), UNSCHEDULABLE_TAINT)) {
            return;
        }
        rejected.clear();
        rejected.or(candidates);
        rejected.and(cordoned);
        candidates.andNot(rejected);
        diagnosis.rejectAll(this, rejected, REASON);
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
