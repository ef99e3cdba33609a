package io.kubenexus.scheduler.core.model;

import java.util.List;

/**
 * A pod's node affinity. {@code required} is null when the pod has no required node affinity;
 * otherwise the node must match at least one of its terms.
 */
public record NodeAffinity(List<NodeSelectorTerm> required, List<PreferredSchedulingTerm> preferred) {
    public static final NodeAffinity NONE = new NodeAffinity(null, List.of());

    public NodeAffinity {
        required = required == null ? null : List.copyOf(required);
        preferred = preferred == null ? List.of() : List.copyOf(preferred);
    }

    public boolean hasRequired() {
        return required != null;
    }
}
