package io.kubenexus.scheduler.core.state;

import io.kubenexus.scheduler.core.model.HostPort;
import io.kubenexus.scheduler.core.model.NodeInfo;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What plugins read: nodes by dense index, per-resource columns as primitive values, and bitset
 * indexes over node indices for labels, taints and flags.
 *
 * <p>Returned bitsets and collections belong to the snapshot and must not be modified. The
 * snapshot the scheduling loop hands to plugins is the live {@link ClusterState}: valid for the
 * current cycle only, and only on the loop thread.
 */
public interface ClusterSnapshot {
    ResourceColumns columns();

    /** Every node index is below this bound (arrays sized to it can be indexed by node). */
    int nodeIndexBound();

    /** Indices of the nodes that exist. */
    BitSet liveNodes();

    int nodeCount();

    /** The node at {@code index}, or null if no node has that index. */
    NodeInfo node(int index);

    /** The index of the named node, or -1. */
    int nodeIndex(String name);

    long allocatable(int column, int node);

    /** Sum of the requests of the pods on the node (assumed pods included). */
    long requested(int column, int node);

    /**
     * Like {@link #requested} but with kube-scheduler's non-zero cpu/memory defaults for pods
     * without requests; only {@link ResourceColumns#CPU} and {@link ResourceColumns#MEMORY}.
     */
    long nonZeroRequested(int column, int node);

    // Whole columns, for per-node loops over thousands of nodes (one array read per node instead of
    // a call per node and resource). Each is the snapshot's own array, indexed by node index below
    // nodeIndexBound(): read it, never write it, and only during the current cycle. Null when no
    // node has ever had the resource.

    /** {@link #allocatable} of every node. */
    long[] allocatableColumn(int column);

    /** Allocatable minus requested of every node; negative when a node is over-committed. */
    long[] unrequestedColumn(int column);

    /**
     * {@code Long.MAX_VALUE / allocatable} of every node, 0 where allocatable is 0: a multiplier that
     * lets scoring divide by allocatable with one multiplication (see {@code NodeResourcesFit}).
     */
    long[] allocatableInverseColumn(int column);

    /**
     * What scoring counts as requested on every node: {@link #nonZeroRequested} for cpu and memory,
     * {@link #requested} for every other resource.
     */
    long[] scoredRequestedColumn(int column);

    /** Nodes whose label {@code key} equals {@code value}; an empty set when none. */
    BitSet nodesWithLabel(String key, String value);

    /** Nodes that have label {@code key} with any value; an empty set when none. */
    BitSet nodesWithLabelKey(String key);

    /** The distinct values label {@code key} has across nodes. */
    Collection<String> labelValues(String key);

    /** Each distinct NoSchedule or NoExecute taint with the nodes carrying it. */
    List<TaintedNodes> hardTaints();

    /** Each distinct PreferNoSchedule taint with the nodes carrying it. */
    List<TaintedNodes> preferNoScheduleTaints();

    /** Nodes with {@code spec.unschedulable: true} (cordoned). */
    BitSet unschedulableNodes();

    /** Whether a pod on the node already uses a host port that conflicts with {@code port}. */
    boolean hostPortConflict(int node, HostPort port);

    /** Free capacity of a column summed over all live nodes (allocatable minus requested, floored at 0 per node). */
    long freeCapacity(int column);

    /**
     * The labels of the namespace, for inter-pod affinity terms that choose namespaces by label; an
     * empty map for a namespace not seen (yet), which only an empty namespace selector matches.
     */
    Map<String, String> namespaceLabels(String namespace);

    /** Bumped whenever a namespace's labels change: selections of namespaces by label made before are stale. */
    long namespaceGeneration();

    /** The registered {@link StateExtension} of this type (e.g. NUMA zones), or null. */
    <T> T extension(Class<T> type);
}
