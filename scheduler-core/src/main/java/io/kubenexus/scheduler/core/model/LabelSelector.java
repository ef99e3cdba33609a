package io.kubenexus.scheduler.core.model;

import java.util.List;
import java.util.Map;

/**
 * A {@code metav1.LabelSelector}: every matchLabels pair and every requirement must hold. The empty
 * selector matches everything; "no selector" (which matches nothing in pod affinity terms and
 * topology spread constraints) is represented by a null field where it is allowed, never by this type.
 */
public record LabelSelector(Map<String, String> matchLabels, List<LabelSelectorRequirement> matchExpressions) {
    /** Matches every label set. */
    public static final LabelSelector EVERYTHING = new LabelSelector(Map.of(), List.of());

    public LabelSelector {
        matchLabels = matchLabels == null ? Map.of() : Map.copyOf(matchLabels);
        matchExpressions = matchExpressions == null ? List.of() : List.copyOf(matchExpressions);
    }

    public boolean isEmpty() {
        return matchLabels.isEmpty() && matchExpressions.isEmpty();
    }

    public boolean matches(Map<String, String> labels) {
        for (Map.Entry<String, String> pair : matchLabels.entrySet()) {
            if (!pair.getValue().equals(labels.get(pair.getKey()))) {
                return false;
            }
        }
        for (LabelSelectorRequirement requirement : matchExpressions) {
            if (!requirement.matches(labels)) {
                return false;
            }
        }
        return true;
    }
}
