package io.kubenexus.scheduler.sim.synthetic;

import io.kubenexus.scheduler.core.model.NodeInfo;
import java.util.Objects;

/**
 * A synthetic node with the shape it was made from, for callers that need more than the scheduler's
 * view of it: the demo publishes the shape's {@link NodeShape#numa()} topology for the node.
 *
 * @param node  the node as the scheduler sees it
 * @param shape the shape it was drawn from
 */
public record SyntheticNode(NodeInfo node, NodeShape shape) {
    public SyntheticNode {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(shape, "shape");
    }
}
