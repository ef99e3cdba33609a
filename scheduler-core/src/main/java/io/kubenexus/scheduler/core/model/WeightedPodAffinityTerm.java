package io.kubenexus.scheduler.core.model;

import java.util.Objects;

/** A preferred inter-pod (anti-)affinity term with its weight (1..100). */
public record WeightedPodAffinityTerm(int weight, PodAffinityTerm term) {
    public WeightedPodAffinityTerm {
        Objects.requireNonNull(term, "term");
    }
}
