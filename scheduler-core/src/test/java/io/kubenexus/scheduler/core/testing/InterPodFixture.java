package io.kubenexus.scheduler.core.testing;

import io.kubenexus.scheduler.core.model.InterPodConstraints;
import io.kubenexus.scheduler.core.model.LabelSelector;
import io.kubenexus.scheduler.core.model.LabelSelectorOperator;
import io.kubenexus.scheduler.core.model.LabelSelectorRequirement;
import io.kubenexus.scheduler.core.model.NodeInclusionPolicy;
import io.kubenexus.scheduler.core.model.PodAffinityTerm;
import io.kubenexus.scheduler.core.model.TopologySpreadConstraint;
import io.kubenexus.scheduler.core.model.WeightedPodAffinityTerm;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fluent inter-pod constraints for fixtures:
 * {@code interPod().affinity(term(labels("app", "web"), "zone")).spread(hard(1, "zone", labels("app", "web"))).build()}.
 */
public final class InterPodFixture {
    private final List<PodAffinityTerm> affinity = new ArrayList<>();
    private final List<WeightedPodAffinityTerm> preferredAffinity = new ArrayList<>();
    private final List<PodAffinityTerm> antiAffinity = new ArrayList<>();
    private final List<WeightedPodAffinityTerm> preferredAntiAffinity = new ArrayList<>();
    private final List<TopologySpreadConstraint> spread = new ArrayList<>();

    public static InterPodFixture interPod() {
        return new InterPodFixture();
    }

    public InterPodFixture affinity(PodAffinityTerm... terms) {
        affinity.addAll(Arrays.asList(terms));
        return this;
    }

    public InterPodFixture antiAffinity(PodAffinityTerm... terms) {
        antiAffinity.addAll(Arrays.asList(terms));
        return this;
    }

    public InterPodFixture preferredAffinity(int weight, PodAffinityTerm term) {
        preferredAffinity.add(new WeightedPodAffinityTerm(weight, term));
        return this;
    }

    public InterPodFixture preferredAntiAffinity(int weight, PodAffinityTerm term) {
        preferredAntiAffinity.add(new WeightedPodAffinityTerm(weight, term));
        return this;
    }

    public InterPodFixture spread(TopologySpreadConstraint... constraints) {
        spread.addAll(Arrays.asList(constraints));
        return this;
    }

    public InterPodConstraints build() {
        return new InterPodConstraints(affinity, preferredAffinity, antiAffinity, preferredAntiAffinity, spread);
    }

    /** matchLabels from key, value pairs. */
    public static LabelSelector labels(String... keyValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return new LabelSelector(map, List.of());
    }

    /** matchExpressions, each made with {@link #in}, {@link #notIn}, {@link #exists}, {@link #doesNotExist}. */
    public static LabelSelector expressions(LabelSelectorRequirement... requirements) {
        return new LabelSelector(Map.of(), List.of(requirements));
    }

    public static LabelSelectorRequirement in(String key, String... values) {
        return new LabelSelectorRequirement(key, LabelSelectorOperator.IN, List.of(values));
    }

    public static LabelSelectorRequirement notIn(String key, String... values) {
        return new LabelSelectorRequirement(key, LabelSelectorOperator.NOT_IN, List.of(values));
    }

    public static LabelSelectorRequirement exists(String key) {
        return new LabelSelectorRequirement(key, LabelSelectorOperator.EXISTS, List.of());
    }

    public static LabelSelectorRequirement doesNotExist(String key) {
        return new LabelSelectorRequirement(key, LabelSelectorOperator.DOES_NOT_EXIST, List.of());
    }

    /** A term over the owner's own namespace. */
    public static PodAffinityTerm term(LabelSelector selector, String topologyKey) {
        return new PodAffinityTerm(selector, Set.of(), null, topologyKey);
    }

    public static PodAffinityTerm termIn(LabelSelector selector, String topologyKey, String... namespaces) {
        return new PodAffinityTerm(selector, Set.of(namespaces), null, topologyKey);
    }

    public static PodAffinityTerm termSelectingNamespaces(LabelSelector selector, String topologyKey,
                                                          LabelSelector namespaceSelector) {
        return new PodAffinityTerm(selector, Set.of(), namespaceSelector, topologyKey);
    }

    /** A DoNotSchedule constraint. */
    public static TopologySpreadConstraint hard(int maxSkew, String topologyKey, LabelSelector selector) {
        return new TopologySpreadConstraint(maxSkew, topologyKey, true, selector, null, null, null);
    }

    public static TopologySpreadConstraint hard(int maxSkew, String topologyKey, LabelSelector selector,
                                                Integer minDomains, NodeInclusionPolicy affinityPolicy,
                                                NodeInclusionPolicy taintsPolicy) {
        return new TopologySpreadConstraint(maxSkew, topologyKey, true, selector, minDomains, affinityPolicy,
                taintsPolicy);
    }

    /** A ScheduleAnyway constraint. */
    public static TopologySpreadConstraint soft(int maxSkew, String topologyKey, LabelSelector selector) {
        return new TopologySpreadConstraint(maxSkew, topologyKey, false, selector, null, null, null);
    }

    public static TopologySpreadConstraint soft(int maxSkew, String topologyKey, LabelSelector selector,
                                                NodeInclusionPolicy affinityPolicy, NodeInclusionPolicy taintsPolicy) {
        return new TopologySpreadConstraint(maxSkew, topologyKey, false, selector, null, affinityPolicy,
                taintsPolicy);
    }
}
