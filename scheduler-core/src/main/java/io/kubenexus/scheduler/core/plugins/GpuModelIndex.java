package io.kubenexus.scheduler.core.plugins;

import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.NodeSelectorRequirement;
import io.kubenexus.scheduler.core.model.NodeSelectorTerm;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.state.ClusterSnapshot;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * GPU models as bits of a {@code long}: a node's model (the value of the model label) is one bit, the
 * models a pod accepts (its required node affinity and nodeSelector on that label) a mask, so "may
 * this pod use this node's GPUs" is one AND on the hot path. Bit 63 stands for "no model label";
 * models are numbered as first seen, and models past the 62nd share bit 62 (a pod constrained to
 * one of them is then taken to accept all of them: fragmentation is underestimated, never a filter).
 *
 * <p>Keeps each node's bit by node index, recomputed only when the node's {@link NodeInfo} object
 * changed, so scoring reads an array. Used on the scheduling loop thread only.
 */
final class GpuModelIndex {
    static final long UNLABELLED = 1L << 63;
    private static final int LAST_SHARED_BIT = 62;

    private final String label;
    private final Map<String, Integer> bits = new HashMap<>();
    private NodeInfo[] seen = new NodeInfo[0];
    private long[] nodeBits = new long[0];

    GpuModelIndex(String label) {
        this.label = label;
    }

    /** Makes room for every node index of {@code snapshot}; call before {@link #nodeBit} in a cycle. */
    void cover(ClusterSnapshot snapshot) {
        int bound = snapshot.nodeIndexBound();
        if (seen.length < bound) {
            int size = Math.max(bound, seen.length * 2);
            seen = Arrays.copyOf(seen, size);
            nodeBits = Arrays.copyOf(nodeBits, size);
        }
    }

    /** The model bit of one node, refreshed if the node object changed; call {@link #cover} first. */
    long nodeBit(ClusterSnapshot snapshot, int node) {
        NodeInfo info = snapshot.node(node);
        if (info != seen[node]) {
            seen[node] = info;
            nodeBits[node] = info == null ? UNLABELLED : bitOf(info.labels().get(label));
        }
        return nodeBits[node];
    }

    /** The models {@code pod} may run on, as a mask; -1 (every bit) when it names none. */
    long podModels(PodInfo pod) {
        long mask = -1L;
        List<NodeSelectorTerm> required = pod.nodeAffinity().required();
        if (required != null && !required.isEmpty()) {
            long any = 0;
            for (NodeSelectorTerm term : required) {
                any |= termModels(term);
            }
            mask = any;
        }
        String selected = pod.nodeSelector().get(label);
        if (selected != null) {
            mask &= bitOf(selected);
        }
        return mask;
    }

    private long termModels(NodeSelectorTerm term) {
        long mask = -1L;
        for (NodeSelectorRequirement requirement : term.matchExpressions()) {
            if (!requirement.key().equals(label)) {
                continue;
            }
            switch (requirement.operator()) {
                case IN -> mask &= valuesMask(requirement.values());
                case NOT_IN -> mask &= ~valuesMaskExceptShared(requirement.values());
                case EXISTS -> mask &= ~UNLABELLED;
                case DOES_NOT_EXIST -> mask &= UNLABELLED;
                default -> {
                    // Gt/Lt on a model name: not a model constraint this score understands.
                }
            }
        }
        return mask;
    }

    private long valuesMask(List<String> values) {
        long mask = 0;
        for (String value : values) {
            mask |= bitOf(value);
        }
        return mask;
    }

    /** For NotIn: a shared bit stands for other models too, so excluding one must not exclude it. */
    private long valuesMaskExceptShared(List<String> values) {
        return valuesMask(values) & ~(1L << LAST_SHARED_BIT);
    }

    private long bitOf(String model) {
        if (model == null) {
            return UNLABELLED;
        }
        Integer bit = bits.get(model);
        if (bit == null) {
            bit = Math.min(bits.size(), LAST_SHARED_BIT);
            bits.put(model, bit);
        }
        return 1L << bit;
    }
}
