package io.kubenexus.scheduler.core.preemption;

import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.state.ClusterState;
import java.util.BitSet;

/**
 * The scheduler's own pre-filters and filters, as preemption asks them: the engine never judges a
 * node by other rules than a decision would. Implemented by the loop over its profile; called only
 * on the loop thread, against the state as the engine has changed it for the question.
 */
public interface PreemptionFilters {
    /**
     * Whether {@code pod} passes every pre-filter. Pre-filters run once per cycle (some record what
     * they see, e.g. the GPU workload window), so preemption asks this only where no decision of the
     * cycle has asked it already (the extender's preempt verb), never once per node.
     */
    boolean passesPreFilters(PodInfo pod, ClusterState state);

    /** The nodes of {@code candidates} (live node indices) where {@code pod} passes every filter. */
    BitSet feasible(PodInfo pod, ClusterState state, BitSet candidates);

    /**
     * The live nodes that reject {@code pod} only for reasons evicting pods may resolve
     * (kube-scheduler's Unschedulable, as opposed to UnschedulableAndUnresolvable): where preemption
     * may help. Nodes that accept the pod are not among them. Filters only.
     */
    BitSet resolvableByEviction(PodInfo pod, ClusterState state);
}
