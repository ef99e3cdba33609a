package io.kubenexus.scheduler.core.model;

import java.util.List;

/**
 * What a pod asks about other pods: inter-pod affinity and anti-affinity (required and preferred) and
 * topology spread. Existing pods' terms matter too: their required anti-affinity keeps matching pods
 * away, and their affinity terms score nodes for the pods they select.
 */
public record InterPodConstraints(List<PodAffinityTerm> requiredAffinity,
                                  List<WeightedPodAffinityTerm> preferredAffinity,
                                  List<PodAffinityTerm> requiredAntiAffinity,
                                  List<WeightedPodAffinityTerm> preferredAntiAffinity,
                                  List<TopologySpreadConstraint> topologySpread) {
    public static final InterPodConstraints NONE = new InterPodConstraints(List.of(), List.of(), List.of(), List.of(),
            List.of());

    public InterPodConstraints {
        requiredAffinity = requiredAffinity == null ? List.of() : List.copyOf(requiredAffinity);
        preferredAffinity = preferredAffinity == null ? List.of() : List.copyOf(preferredAffinity);
        requiredAntiAffinity = requiredAntiAffinity == null ? List.of() : List.copyOf(requiredAntiAffinity);
        preferredAntiAffinity = preferredAntiAffinity == null ? List.of() : List.copyOf(preferredAntiAffinity);
        topologySpread = topologySpread == null ? List.of() : List.copyOf(topologySpread);
    }

    public boolean isEmpty() {
        return requiredAffinity.isEmpty() && preferredAffinity.isEmpty() && requiredAntiAffinity.isEmpty()
                && preferredAntiAffinity.isEmpty() && topologySpread.isEmpty();
    }

    /** Whether the pod has inter-pod affinity or anti-affinity terms (required or preferred). */
    public boolean hasAffinityTerms() {
        return !requiredAffinity.isEmpty() || !preferredAffinity.isEmpty() || !requiredAntiAffinity.isEmpty()
                || !preferredAntiAffinity.isEmpty();
    }
}
