package io.kubenexus.scheduler.core.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An immutable view of the cluster published by the scheduling loop for readers on other threads
 * (extender requests, debug endpoints, metrics). Taking one costs O(nodes changed since the last
 * view): unchanged nodes are shared with the previous view.
 */
public final class ClusterView {
    private final long generation;
    private final PersistentArray<NodeView> nodes;
    private final int nodeIndexBound;
    private final int nodeCount;
    private final List<String> columnNames;
    private final Map<String, Integer> sharedIndexByName;

    ClusterView(long generation, PersistentArray<NodeView> nodes, int nodeIndexBound, int nodeCount,
                List<String> columnNames, Map<String, Integer> sharedIndexByName) {
        this.generation = generation;
        this.nodes = nodes;
        this.nodeIndexBound = nodeIndexBound;
        this.nodeCount = nodeCount;
        this.columnNames = columnNames;
        this.sharedIndexByName = sharedIndexByName;
    }

    /** The cluster state's generation when this view was published. */
    public long generation() {
        return generation;
    }

    public int nodeCount() {
        return nodeCount;
    }

    /** Resource names by column, as the arrays of {@link NodeView} are indexed. */
    public List<String> columnNames() {
        return columnNames;
    }

    /** The node at {@code index} in this view, or null. */
    public NodeView node(int index) {
        return nodes.get(index);
    }

    /** The named node as of this view, or null. */
    public NodeView node(String name) {
        Integer index = sharedIndexByName.get(name);
        if (index == null) {
            return null;
        }
        NodeView view = nodes.get(index);
        // The shared name map runs ahead of this view; an index reused since is a different node.
        return view != null && view.node().name().equals(name) ? view : null;
    }

    public List<NodeView> nodes() {
        List<NodeView> out = new ArrayList<>(nodeCount);
        for (int i = 0; i < nodeIndexBound; i++) {
            NodeView view = nodes.get(i);
            if (view != null) {
                out.add(view);
            }
        }
        return out;
    }
}
