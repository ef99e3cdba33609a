package io.kubenexus.scheduler.kube.translate;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.PodAffinity;
import io.fabric8.kubernetes.api.model.PodAntiAffinity;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.kubenexus.scheduler.core.model.InterPodConstraints;
import io.kubenexus.scheduler.core.model.LabelSelector;
import io.kubenexus.scheduler.core.model.LabelSelectorOperator;
import io.kubenexus.scheduler.core.model.LabelSelectorRequirement;
import io.kubenexus.scheduler.core.model.NodeInclusionPolicy;
import io.kubenexus.scheduler.core.model.PodAffinityTerm;
import io.kubenexus.scheduler.core.model.TopologySpreadConstraint;
import io.kubenexus.scheduler.core.model.WeightedPodAffinityTerm;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a pod's {@code spec.affinity.podAffinity}, {@code spec.affinity.podAntiAffinity} and
 * {@code spec.topologySpreadConstraints} into {@link InterPodConstraints}, validating them as the API
 * server does: a scheduler that meets an object the API server would have refused (an old server, a
 * mock, a CRD-less test cluster) reports it instead of placing the pod by a guess. Every error names
 * the field as the API server's messages do ({@code spec.topologySpreadConstraints[0].maxSkew}).
 *
 * <p>{@code matchLabelKeys} / {@code mismatchLabelKeys} of affinity terms are merged into the term's
 * selector as {@code key In (pod's value)} / {@code key NotIn (pod's value)}, and
 * {@code matchLabelKeys} of spread constraints as {@code key In (pod's value)}; keys the pod has no
 * label for are ignored (Kubernetes 1.33+). The API server of those versions already merged them into
 * {@code labelSelector} when the pod was created; a requirement already there is not added twice, so
 * pods from either kind of server read alike.
 *
 * <p>Stateless; every method is a pure function of its input.
 */
final class InterPodConstraintsTranslator {
    static final String DO_NOT_SCHEDULE = "DoNotSchedule";
    static final String SCHEDULE_ANYWAY = "ScheduleAnyway";

    private InterPodConstraintsTranslator() {
    }

    /** The pod's inter-pod constraints ({@link InterPodConstraints#NONE} when it has none), or the first error. */
    static InterPodConstraints read(PodSpec spec, Map<String, String> podLabels) throws InvalidSpecException {
        Affinity affinity = spec.getAffinity();
        PodAffinity podAffinity = affinity == null ? null : affinity.getPodAffinity();
        PodAntiAffinity antiAffinity = affinity == null ? null : affinity.getPodAntiAffinity();
        String affinityPath = "spec.affinity.podAffinity.";
        String antiPath = "spec.affinity.podAntiAffinity.";
        InterPodConstraints constraints = new InterPodConstraints(
                podAffinity == null ? List.of() : required(podAffinity.getRequiredDuringSchedulingIgnoredDuringExecution(),
                        affinityPath, podLabels),
                podAffinity == null ? List.of() : preferred(podAffinity.getPreferredDuringSchedulingIgnoredDuringExecution(),
                        affinityPath, podLabels),
                antiAffinity == null ? List.of() : required(antiAffinity.getRequiredDuringSchedulingIgnoredDuringExecution(),
                        antiPath, podLabels),
                antiAffinity == null ? List.of() : preferred(antiAffinity.getPreferredDuringSchedulingIgnoredDuringExecution(),
                        antiPath, podLabels),
                spread(spec.getTopologySpreadConstraints(), podLabels));
        return constraints.isEmpty() ? InterPodConstraints.NONE : constraints;
    }

    // ------------------------------------------------------------------ affinity terms

    private static List<PodAffinityTerm> required(List<io.fabric8.kubernetes.api.model.PodAffinityTerm> terms,
                                                  String parent, Map<String, String> podLabels)
            throws InvalidSpecException {
        if (terms == null || terms.isEmpty()) {
            return List.of();
        }
        String path = parent + "requiredDuringSchedulingIgnoredDuringExecution";
        List<PodAffinityTerm> result = new ArrayList<>(terms.size());
        for (int i = 0; i < terms.size(); i++) {
            result.add(term(terms.get(i), path + "[" + i + "]", podLabels));
        }
        return result;
    }

    private static List<WeightedPodAffinityTerm> preferred(
            List<io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm> terms, String parent,
            Map<String, String> podLabels) throws InvalidSpecException {
        if (terms == null || terms.isEmpty()) {
            return List.of();
        }
        String path = parent + "preferredDuringSchedulingIgnoredDuringExecution";
        List<WeightedPodAffinityTerm> result = new ArrayList<>(terms.size());
        for (int i = 0; i < terms.size(); i++) {
            io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm weighted = terms.get(i);
            String at = path + "[" + i + "]";
            if (weighted == null) {
                throw new InvalidSpecException(at + ": an entry is null");
            }
            Integer weight = weighted.getWeight();
            if (weight == null || weight < 1 || weight > 100) {
                throw new InvalidSpecException(at + ".weight: " + weight + " is outside 1..100");
            }
            if (weighted.getPodAffinityTerm() == null) {
                throw new InvalidSpecException(at + ".podAffinityTerm: missing");
            }
            result.add(new WeightedPodAffinityTerm(weight,
                    term(weighted.getPodAffinityTerm(), at + ".podAffinityTerm", podLabels)));
        }
        return result;
    }

    private static PodAffinityTerm term(io.fabric8.kubernetes.api.model.PodAffinityTerm term, String path,
                                        Map<String, String> podLabels) throws InvalidSpecException {
        if (term == null) {
            throw new InvalidSpecException(path + ": an entry is null");
        }
        String topologyKey = term.getTopologyKey();
        if (topologyKey == null || topologyKey.isEmpty()) {
            throw new InvalidSpecException(path + ".topologyKey: must not be empty");
        }
        LabelSelector selector = selectorOrNull(term.getLabelSelector(), path + ".labelSelector");
        List<String> matchKeys = labelKeys(term.getMatchLabelKeys(), path + ".matchLabelKeys", selector);
        List<String> mismatchKeys = labelKeys(term.getMismatchLabelKeys(), path + ".mismatchLabelKeys", selector);
        for (String key : matchKeys) {
            if (mismatchKeys.contains(key)) {
                throw new InvalidSpecException(path + ".mismatchLabelKeys: \"" + key
                        + "\" is also in matchLabelKeys; a key may be in only one of them");
            }
        }
        selector = merged(selector, matchKeys, LabelSelectorOperator.IN, podLabels);
        selector = merged(selector, mismatchKeys, LabelSelectorOperator.NOT_IN, podLabels);
        return new PodAffinityTerm(selector, namespaces(term.getNamespaces(), path + ".namespaces"),
                selectorOrNull(term.getNamespaceSelector(), path + ".namespaceSelector"),
                CanonicalValues.intern(topologyKey));
    }

    private static Set<String> namespaces(List<String> namespaces, String path) throws InvalidSpecException {
        if (namespaces == null || namespaces.isEmpty()) {
            return Set.of();
        }
        Set<String> result = new LinkedHashSet<>();
        for (String namespace : namespaces) {
            if (namespace == null || namespace.isEmpty()) {
                throw new InvalidSpecException(path + ": an entry is " + (namespace == null ? "null" : "empty"));
            }
            result.add(CanonicalValues.intern(namespace));
        }
        return result;
    }

    // ------------------------------------------------------------------ topology spread

    private static List<TopologySpreadConstraint> spread(
            List<io.fabric8.kubernetes.api.model.TopologySpreadConstraint> constraints, Map<String, String> podLabels)
            throws InvalidSpecException {
        if (constraints == null || constraints.isEmpty()) {
            return List.of();
        }
        List<TopologySpreadConstraint> result = new ArrayList<>(constraints.size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < constraints.size(); i++) {
            io.fabric8.kubernetes.api.model.TopologySpreadConstraint constraint = constraints.get(i);
            String path = "spec.topologySpreadConstraints[" + i + "]";
            if (constraint == null) {
                throw new InvalidSpecException(path + ": an entry is null");
            }
            Integer maxSkew = constraint.getMaxSkew();
            if (maxSkew == null || maxSkew < 1) {
                throw new InvalidSpecException(path + ".maxSkew: must be at least 1, not " + maxSkew);
            }
            String topologyKey = constraint.getTopologyKey();
            if (topologyKey == null || topologyKey.isEmpty()) {
                throw new InvalidSpecException(path + ".topologyKey: must not be empty");
            }
            String when = constraint.getWhenUnsatisfiable();
            if (!DO_NOT_SCHEDULE.equals(when) && !SCHEDULE_ANYWAY.equals(when)) {
                throw new InvalidSpecException(path + ".whenUnsatisfiable: " + (when == null ? "missing" : "\"" + when
                        + "\" is unknown") + " (" + DO_NOT_SCHEDULE + " or " + SCHEDULE_ANYWAY + ")");
            }
            // The API server refuses two constraints with the same topologyKey and whenUnsatisfiable.
            if (!seen.add(topologyKey + "\u0000" + when)) {
                throw new InvalidSpecException(path + ": duplicate of an earlier constraint with topologyKey \""
                        + topologyKey + "\" and whenUnsatisfiable " + when);
            }
            boolean hard = DO_NOT_SCHEDULE.equals(when);
            Integer minDomains = constraint.getMinDomains();
            if (minDomains != null && minDomains < 1) {
                throw new InvalidSpecException(path + ".minDomains: must be at least 1, not " + minDomains);
            }
            if (minDomains != null && !hard) {
                throw new InvalidSpecException(path + ".minDomains: may only be set with whenUnsatisfiable "
                        + DO_NOT_SCHEDULE + ", not " + when);
            }
            LabelSelector selector = selectorOrNull(constraint.getLabelSelector(), path + ".labelSelector");
            List<String> matchKeys = labelKeys(constraint.getMatchLabelKeys(), path + ".matchLabelKeys", selector);
            selector = merged(selector, matchKeys, LabelSelectorOperator.IN, podLabels);
            result.add(new TopologySpreadConstraint(maxSkew, CanonicalValues.intern(topologyKey), hard, selector,
                    minDomains, inclusionPolicy(constraint.getNodeAffinityPolicy(), path + ".nodeAffinityPolicy"),
                    inclusionPolicy(constraint.getNodeTaintsPolicy(), path + ".nodeTaintsPolicy")));
        }
        return result;
    }

    /** Null (the API's default, which the model applies) or the named policy. */
    private static NodeInclusionPolicy inclusionPolicy(String name, String path) throws InvalidSpecException {
        if (name == null) {
            return null;
        }
        try {
            return NodeInclusionPolicy.fromApiName(name);
        } catch (IllegalArgumentException e) {
            throw new InvalidSpecException(path + ": \"" + name + "\" is unknown (Honor or Ignore)");
        }
    }

    // ------------------------------------------------------------------ label selectors

    /**
     * A {@code metav1.LabelSelector} as validated by the API server ({@code ValidateLabelSelector}),
     * or null for a missing one: in pod affinity terms and spread constraints "no selector" selects
     * nothing, and in a namespace selector it means "no namespaces chosen by labels".
     */
    static LabelSelector selectorOrNull(io.fabric8.kubernetes.api.model.LabelSelector selector, String path)
            throws InvalidSpecException {
        if (selector == null) {
            return null;
        }
        Map<String, String> matchLabels = new LinkedHashMap<>();
        if (selector.getMatchLabels() != null) {
            for (Map.Entry<String, String> pair : selector.getMatchLabels().entrySet()) {
                if (pair.getKey() == null || pair.getKey().isEmpty()) {
                    throw new InvalidSpecException(path + ".matchLabels: a key is empty");
                }
                if (pair.getValue() == null) {
                    throw new InvalidSpecException(path + ".matchLabels[" + pair.getKey() + "]: the value is null");
                }
                matchLabels.put(CanonicalValues.intern(pair.getKey()), CanonicalValues.intern(pair.getValue()));
            }
        }
        List<LabelSelectorRequirement> expressions = new ArrayList<>();
        List<io.fabric8.kubernetes.api.model.LabelSelectorRequirement> declared = selector.getMatchExpressions();
        if (declared != null) {
            for (int i = 0; i < declared.size(); i++) {
                expressions.add(requirement(declared.get(i), path + ".matchExpressions[" + i + "]"));
            }
        }
        return matchLabels.isEmpty() && expressions.isEmpty() ? LabelSelector.EVERYTHING
                : new LabelSelector(matchLabels, expressions);
    }

    private static LabelSelectorRequirement requirement(io.fabric8.kubernetes.api.model.LabelSelectorRequirement requirement,
                                                        String path) throws InvalidSpecException {
        if (requirement == null) {
            throw new InvalidSpecException(path + ": an entry is null");
        }
        String key = requirement.getKey();
        if (key == null || key.isEmpty()) {
            throw new InvalidSpecException(path + ".key: must not be empty");
        }
        LabelSelectorOperator operator;
        try {
            operator = LabelSelectorOperator.fromApiName(requirement.getOperator());
        } catch (IllegalArgumentException e) {
            throw new InvalidSpecException(path + ".operator: "
                    + (requirement.getOperator() == null ? "missing" : "\"" + requirement.getOperator() + "\" is unknown")
                    + " (In, NotIn, Exists or DoesNotExist)");
        }
        List<String> values = requirement.getValues() == null ? List.of() : requirement.getValues();
        if (values.contains(null)) {
            throw new InvalidSpecException(path + ".values: a value is null");
        }
        switch (operator) {
            case IN, NOT_IN -> {
                if (values.isEmpty()) {
                    throw new InvalidSpecException(path + ".values: operator " + operator.apiName()
                            + " needs at least one value");
                }
            }
            case EXISTS, DOES_NOT_EXIST -> {
                if (!values.isEmpty()) {
                    throw new InvalidSpecException(path + ".values: operator " + operator.apiName()
                            + " takes no values, got " + values);
                }
            }
            default -> throw new IllegalStateException(operator.toString());
        }
        List<String> interned = new ArrayList<>(values.size());
        values.forEach(value -> interned.add(CanonicalValues.intern(value)));
        return new LabelSelectorRequirement(CanonicalValues.intern(key), operator, interned);
    }

    /** {@code matchLabelKeys} or {@code mismatchLabelKeys}: non-empty keys, and only beside a label selector. */
    private static List<String> labelKeys(List<String> keys, String path, LabelSelector selector)
            throws InvalidSpecException {
        if (keys == null || keys.isEmpty()) {
            return List.of();
        }
        if (selector == null) {
            throw new InvalidSpecException(path + ": may not be set when labelSelector is not");
        }
        for (String key : keys) {
            if (key == null || key.isEmpty()) {
                throw new InvalidSpecException(path + ": a key is " + (key == null ? "null" : "empty"));
            }
        }
        return keys;
    }

    /** {@code selector} and, for each key the pod has a label for, {@code key <operator> (the pod's value)}. */
    private static LabelSelector merged(LabelSelector selector, List<String> keys, LabelSelectorOperator operator,
                                        Map<String, String> podLabels) {
        List<LabelSelectorRequirement> added = new ArrayList<>(0);
        for (String key : keys) {
            String value = podLabels.get(key);
            if (value != null) { // keys the pod lacks are ignored
                LabelSelectorRequirement requirement = new LabelSelectorRequirement(CanonicalValues.intern(key),
                        operator, List.of(CanonicalValues.intern(value)));
                // The API server (1.33+) already merged them at creation: add nothing twice.
                if (!selector.matchExpressions().contains(requirement) && !added.contains(requirement)) {
                    added.add(requirement);
                }
            }
        }
        if (added.isEmpty()) {
            return selector;
        }
        List<LabelSelectorRequirement> expressions = new ArrayList<>(selector.matchExpressions());
        expressions.addAll(added);
        return new LabelSelector(selector.matchLabels(), expressions);
    }
}
