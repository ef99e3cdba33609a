package io.kubenexus.scheduler.core.model;

import java.util.Objects;
import java.util.Set;

/**
 * One inter-pod (anti-)affinity term: the pods selected by {@code selector} in the namespaces the
 * term names, grouped by the value of {@code topologyKey} on their nodes.
 *
 * <p>{@code matchLabelKeys} and {@code mismatchLabelKeys} are already merged into {@code selector} by
 * the translator (as the API server does for affinity since Kubernetes 1.33): key In (the pod's value)
 * and key NotIn (the pod's value) respectively.
 *
 * @param selector          the pods the term is about; null selects no pod (the API's "no selector")
 * @param namespaces        namespaces named explicitly
 * @param namespaceSelector namespaces chosen by their labels; null when the term has none, empty for all
 * @param topologyKey       the node label whose values are the term's domains; never empty
 */
public record PodAffinityTerm(LabelSelector selector, Set<String> namespaces, LabelSelector namespaceSelector,
                              String topologyKey) {
    public PodAffinityTerm {
        namespaces = namespaces == null ? Set.of() : Set.copyOf(namespaces);
        Objects.requireNonNull(topologyKey, "topologyKey");
    }

    /**
     * Whether the term's namespaces are just the owner pod's own: kube-scheduler's rule when the term
     * names none and has no namespace selector.
     */
    public boolean ownNamespaceOnly() {
        return namespaces.isEmpty() && namespaceSelector == null;
    }
}
