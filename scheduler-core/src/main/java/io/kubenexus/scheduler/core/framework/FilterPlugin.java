package io.kubenexus.scheduler.core.framework;

import io.kubenexus.scheduler.core.state.ClusterSnapshot;
import java.util.BitSet;
import java.util.Set;

/**
 * Removes the nodes a pod cannot use. Filters work in bulk on a bitset of candidate node indices
 * (label, taint and flag indexes are bitsets too), instead of being called once per node.
 *
 * <p>Contract: clear exactly the candidates this plugin rejects and record each rejected node's
 * reasons in {@code diagnosis}; never set a bit; never touch nodes that are not candidates
 * (earlier filters already rejected them, and kube-scheduler reports only a node's first failing
 * filter). Allocate nothing per node. Called only from the scheduling loop.
 */
public interface FilterPlugin extends SchedulingPlugin {
    void filter(PodContext pod, ClusterSnapshot snapshot, BitSet candidates, FilterDiagnosis diagnosis);

    /**
     * Whether a node's verdict depends only on the pod and that node (its labels, taints, pods),
     * never on other nodes. Then, after a pod is assumed on one node, only that node needs to be
     * filtered again for an identical pod (see {@code SchedulingAlgorithm#scheduleCopies}). False,
     * the safe default, for plugins that look across nodes (topology spread, inter-pod affinity).
     */
    default boolean judgesEachNodeAlone() {
        return false;
    }

    /**
     * {@link #judgesEachNodeAlone()} for one pod: a plugin that looks across nodes only for pods with
     * certain constraints (inter-pod anti-affinity, topology spread) says true for the others, so
     * copies of plain pods keep being decided node by node.
     */
    default boolean judgesEachNodeAlone(PodContext pod, ClusterSnapshot snapshot) {
        return judgesEachNodeAlone();
    }

    /**
     * Whether evicting pods from a node this plugin rejected for {@code reason} (one it records in the
     * diagnosis) could make the node acceptable: kube-scheduler's Unschedulable, as opposed to
     * UnschedulableAndUnresolvable. The extender's filter answer and preemption read it. False, the
     * default, for what depends on the node and the pod alone (labels, taints, cordon, name).
     */
    default boolean evictionMayResolve(String reason) {
        return false;
    }

    /**
     * Whether {@code node}, which this plugin rejected for reasons {@link #evictionMayResolve} calls
     * resolvable, could still not take the pod with every other pod gone: kube-scheduler's
     * NodeResourcesFit makes a request above the node's allocatable UnschedulableAndUnresolvable.
     * False, the default, where emptying the node would always do. Called only for rejected nodes,
     * outside a decision (the extender's filter).
     */
    default boolean exceedsEmptyNode(PodContext pod, ClusterSnapshot snapshot, int node) {
        return false;
    }

    /** The cluster changes that can make a node this plugin rejected acceptable. */
    Set<ClusterEventType> eventsThatMayHelp();
}
