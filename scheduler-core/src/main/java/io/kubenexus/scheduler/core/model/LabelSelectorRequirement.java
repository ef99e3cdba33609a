package io.kubenexus.scheduler.core.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One requirement of a label selector: In and NotIn take one or more values, Exists and DoesNotExist
 * none (the translator rejects other shapes, as the API server's validation does).
 */
public record LabelSelectorRequirement(String key, LabelSelectorOperator operator, List<String> values) {
    public LabelSelectorRequirement {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(operator, "operator");
        values = values == null ? List.of() : List.copyOf(values);
    }

    public boolean matches(Map<String, String> labels) {
        String value = labels.get(key);
        return switch (operator) {
            case IN -> value != null && values.contains(value);
            case NOT_IN -> value == null || !values.contains(value);
            case EXISTS -> value != null;
            case DOES_NOT_EXIST -> value == null;
        };
    }
}
