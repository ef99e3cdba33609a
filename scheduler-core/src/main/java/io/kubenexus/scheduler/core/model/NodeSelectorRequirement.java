package io.kubenexus.scheduler.core.model;

import java.util.List;
import java.util.Objects;

/**
 * One requirement of a node selector term. For Gt and Lt, {@code values} holds exactly one value
 * (checked when the pod is translated); the API server does not check that it is an integer, and
 * one that is not makes the requirement, and so its term, match no node, as in kube-scheduler.
 */
public record NodeSelectorRequirement(String key, NodeSelectorOperator operator, List<String> values) {
    public NodeSelectorRequirement {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(operator, "operator");
        values = values == null ? List.of() : List.copyOf(values);
    }
}
