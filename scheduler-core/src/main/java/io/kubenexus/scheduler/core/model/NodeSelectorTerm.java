package io.kubenexus.scheduler.core.model;

import java.util.List;

/**
 * A node selector term: all label expressions and all field expressions must hold. The only
 * field Kubernetes supports is {@code metadata.name}. A term with no requirements matches nothing,
 * as in kube-scheduler.
 */
public record NodeSelectorTerm(List<NodeSelectorRequirement> matchExpressions,
                               List<NodeSelectorRequirement> matchFields) {
    public static final String FIELD_NODE_NAME = "metadata.name";

    public NodeSelectorTerm {
        matchExpressions = matchExpressions == null ? List.of() : List.copyOf(matchExpressions);
        matchFields = matchFields == null ? List.of() : List.copyOf(matchFields);
    }

    public boolean isEmpty() {
        return matchExpressions.isEmpty() && matchFields.isEmpty();
    }
}
