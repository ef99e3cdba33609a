package io.kubenexus.scheduler.kube.translate;

import static io.kubenexus.scheduler.kube.testing.PodObjects.affinityTerm;
import static io.kubenexus.scheduler.kube.testing.PodObjects.pod;
import static io.kubenexus.scheduler.kube.testing.PodObjects.selectorExpr;
import static io.kubenexus.scheduler.kube.testing.PodObjects.spreadConstraint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubenexus.scheduler.core.model.InterPodConstraints;
import io.kubenexus.scheduler.core.model.LabelSelector;
import io.kubenexus.scheduler.core.model.LabelSelectorOperator;
import io.kubenexus.scheduler.core.model.LabelSelectorRequirement;
import io.kubenexus.scheduler.core.model.NodeInclusionPolicy;
import io.kubenexus.scheduler.core.model.PodAffinityTerm;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.TopologySpreadConstraint;
import io.kubenexus.scheduler.core.model.WeightedPodAffinityTerm;
import io.kubenexus.scheduler.kube.testing.PodObjects;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code spec.affinity.podAffinity}, {@code podAntiAffinity} and {@code spec.topologySpreadConstraints}
 * as the scheduler reads them: every field, the label-key merges, and every validation error the API
 * server would have raised, each naming its field.
 */
class InterPodConstraintsTranslationTest {
    private static final String HOST = "kubernetes.io/hostname";
    private static final String ZONE = "topology.kubernetes.io/zone";
    private static final LabelSelector APP_WEB = selector(Map.of("app", "web"));

    private final PodTranslator translator = new PodTranslator();

    // ------------------------------------------------------------------ valid pods, every field

    static Stream<Arguments> validCases() {
        return Stream.of(
                arguments("no constraints", pod("p"), InterPodConstraints.NONE),
                arguments("required affinity in the pod's own namespace",
                        pod("p").requiredPodAffinity(affinityTerm(HOST, "web").build()),
                        constraints().requiredAffinity(term(APP_WEB, Set.of(), null, HOST))),
                arguments("preferred affinity with its weight",
                        pod("p").preferredPodAffinity(30, affinityTerm(ZONE, "web").build()),
                        constraints().preferredAffinity(30, term(APP_WEB, Set.of(), null, ZONE))),
                arguments("required anti-affinity naming namespaces and choosing all by an empty selector",
                        pod("p").requiredPodAntiAffinity(affinityTerm(HOST, "web").withNamespaces("a", "b")
                                .withNewNamespaceSelector().endNamespaceSelector().build()),
                        constraints().requiredAnti(term(APP_WEB, Set.of("a", "b"), LabelSelector.EVERYTHING, HOST))),
                arguments("preferred anti-affinity with a namespace selector on labels",
                        pod("p").preferredPodAntiAffinity(100, affinityTerm(HOST, "web").withNewNamespaceSelector()
                                .addToMatchLabels("team", "data").endNamespaceSelector().build()),
                        constraints().preferredAnti(100, term(APP_WEB, Set.of(), selector(Map.of("team", "data")),
                                HOST))),
                arguments("a term without labelSelector selects no pod (null)",
                        pod("p").requiredPodAffinity(affinityTerm(HOST, "web").withLabelSelector(null).build()),
                        constraints().requiredAffinity(term(null, Set.of(), null, HOST))),
                arguments("an empty labelSelector selects every pod",
                        pod("p").requiredPodAntiAffinity(affinityTerm(HOST, "web")
                                .withLabelSelector(new LabelSelectorBuilder().build()).build()),
                        constraints().requiredAnti(term(LabelSelector.EVERYTHING, Set.of(), null, HOST))),
                arguments("every selector operator",
                        pod("p").requiredPodAffinity(affinityTerm(HOST, "web").editLabelSelector()
                                .addToMatchExpressions(selectorExpr("tier", "In", "a", "b"))
                                .addToMatchExpressions(selectorExpr("canary", "NotIn", "true"))
                                .addToMatchExpressions(selectorExpr("owner", "Exists"))
                                .addToMatchExpressions(selectorExpr("legacy", "DoesNotExist")).endLabelSelector()
                                .build()),
                        constraints().requiredAffinity(term(selector(Map.of("app", "web"),
                                requirement("tier", LabelSelectorOperator.IN, "a", "b"),
                                requirement("canary", LabelSelectorOperator.NOT_IN, "true"),
                                requirement("owner", LabelSelectorOperator.EXISTS),
                                requirement("legacy", LabelSelectorOperator.DOES_NOT_EXIST)), Set.of(), null, HOST))),
                arguments("matchLabelKeys become key In (the pod's value)",
                        pod("p").label("pod-template-hash", "abc").requiredPodAntiAffinity(affinityTerm(HOST, "web")
                                .withMatchLabelKeys("pod-template-hash").build()),
                        constraints().requiredAnti(term(selector(Map.of("app", "web"),
                                requirement("pod-template-hash", LabelSelectorOperator.IN, "abc")), Set.of(), null,
                                HOST))),
                arguments("mismatchLabelKeys become key NotIn (the pod's value)",
                        pod("p").label("tenant", "t1").requiredPodAntiAffinity(affinityTerm(HOST, "web")
                                .withMismatchLabelKeys("tenant").build()),
                        constraints().requiredAnti(term(selector(Map.of("app", "web"),
                                requirement("tenant", LabelSelectorOperator.NOT_IN, "t1")), Set.of(), null, HOST))),
                arguments("label keys the pod lacks are ignored",
                        pod("p").requiredPodAffinity(affinityTerm(HOST, "web").withMatchLabelKeys("pod-template-hash")
                                .withMismatchLabelKeys("tenant").build()),
                        constraints().requiredAffinity(term(APP_WEB, Set.of(), null, HOST))),
                arguments("a key the API server merged already is not added twice",
                        pod("p").label("pod-template-hash", "abc").requiredPodAntiAffinity(affinityTerm(HOST, "web")
                                .editLabelSelector().addToMatchExpressions(selectorExpr("pod-template-hash", "In", "abc"))
                                .endLabelSelector().withMatchLabelKeys("pod-template-hash").build()),
                        constraints().requiredAnti(term(selector(Map.of("app", "web"),
                                requirement("pod-template-hash", LabelSelectorOperator.IN, "abc")), Set.of(), null,
                                HOST))),
                arguments("a DoNotSchedule spread with the API's default policies",
                        pod("p").topologySpread(spreadConstraint(1, ZONE, "DoNotSchedule", "web").build()),
                        constraints().spread(new TopologySpreadConstraint(1, ZONE, true, APP_WEB, null,
                                NodeInclusionPolicy.HONOR, NodeInclusionPolicy.IGNORE))),
                arguments("a DoNotSchedule spread with minDomains and both policies set",
                        pod("p").topologySpread(spreadConstraint(2, ZONE, "DoNotSchedule", "web").withMinDomains(3)
                                .withNodeAffinityPolicy("Ignore").withNodeTaintsPolicy("Honor").build()),
                        constraints().spread(new TopologySpreadConstraint(2, ZONE, true, APP_WEB, 3,
                                NodeInclusionPolicy.IGNORE, NodeInclusionPolicy.HONOR))),
                arguments("a ScheduleAnyway spread",
                        pod("p").topologySpread(spreadConstraint(5, HOST, "ScheduleAnyway", "web").build()),
                        constraints().spread(new TopologySpreadConstraint(5, HOST, false, APP_WEB, null, null, null))),
                arguments("a spread without labelSelector counts no pod (null)",
                        pod("p").topologySpread(spreadConstraint(1, ZONE, "DoNotSchedule", "web").withLabelSelector(null)
                                .build()),
                        constraints().spread(new TopologySpreadConstraint(1, ZONE, true, null, null, null, null))),
                arguments("spread matchLabelKeys become key In (the pod's value); keys the pod lacks are ignored",
                        pod("p").label("pod-template-hash", "abc").topologySpread(spreadConstraint(1, ZONE,
                                "DoNotSchedule", "web").withMatchLabelKeys("pod-template-hash", "absent").build()),
                        constraints().spread(new TopologySpreadConstraint(1, ZONE, true, selector(Map.of("app", "web"),
                                requirement("pod-template-hash", LabelSelectorOperator.IN, "abc")), null, null, null))),
                arguments("one spread per whenUnsatisfiable on the same key",
                        pod("p").topologySpread(spreadConstraint(1, ZONE, "DoNotSchedule", "web").build())
                                .topologySpread(spreadConstraint(1, ZONE, "ScheduleAnyway", "web").build()),
                        constraints().spread(new TopologySpreadConstraint(1, ZONE, true, APP_WEB, null, null, null))
                                .spread(new TopologySpreadConstraint(1, ZONE, false, APP_WEB, null, null, null))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validCases")
    void readsEveryField(String name, PodObjects pod, Object expected) {
        InterPodConstraints wanted = expected instanceof Expected builder ? builder.build() : (InterPodConstraints) expected;
        assertThat(valid(pod.container("main").build()).interPod()).isEqualTo(wanted);
    }

    // ------------------------------------------------------------------ invalid pods, every error

    static Stream<Arguments> invalidCases() {
        String required = "spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0]";
        String anti = "spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0]";
        String preferred = "spec.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0]";
        String preferredAnti = "spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0]";
        String spread = "spec.topologySpreadConstraints[0]";
        return Stream.of(
                arguments("empty topologyKey", pod("p").requiredPodAffinity(affinityTerm("", "web").build()),
                        required + ".topologyKey: must not be empty"),
                arguments("missing topologyKey", pod("p").requiredPodAntiAffinity(affinityTerm(null, "web").build()),
                        anti + ".topologyKey: must not be empty"),
                arguments("weight 0", pod("p").preferredPodAffinity(0, affinityTerm(HOST, "web").build()),
                        preferred + ".weight: 0 is outside 1..100"),
                arguments("weight 101", pod("p").preferredPodAntiAffinity(101, affinityTerm(HOST, "web").build()),
                        preferredAnti + ".weight: 101 is outside 1..100"),
                arguments("weight missing", pod("p").preferredPodAffinity(null, affinityTerm(HOST, "web").build()),
                        preferred + ".weight: null is outside 1..100"),
                arguments("preferred term without podAffinityTerm", pod("p").preferredPodAffinity(10, null),
                        preferred + ".podAffinityTerm: missing"),
                arguments("null required term", pod("p").requiredPodAntiAffinity(null), anti + ": an entry is null"),
                arguments("null preferred term", pod("p").withNullPreferredAntiAffinityTerm(),
                        preferredAnti + ": an entry is null"),
                arguments("a matchLabels value that is null",
                        pod("p").requiredPodAffinity(withNullMatchLabel(affinityTerm(HOST, "web").build(), "tier")),
                        required + ".labelSelector.matchLabels[tier]: the value is null"),
                arguments("a matchLabels key that is empty",
                        pod("p").requiredPodAffinity(affinityTerm(HOST, "web").editLabelSelector()
                                .addToMatchLabels("", "x").endLabelSelector().build()),
                        required + ".labelSelector.matchLabels: a key is empty"),
                arguments("unknown operator \"Equals\"",
                        pod("p").requiredPodAntiAffinity(affinityTerm(HOST, "web").editLabelSelector()
                                .addToMatchExpressions(selectorExpr("app", "Equals", "web")).endLabelSelector().build()),
                        anti + ".labelSelector.matchExpressions[0].operator: \"Equals\" is unknown"
                                + " (In, NotIn, Exists or DoesNotExist)"),
                arguments("operators are case-sensitive",
                        pod("p").requiredPodAffinity(affinityTerm(HOST, "web").editLabelSelector()
                                .addToMatchExpressions(selectorExpr("app", "in", "web")).endLabelSelector().build()),
                        required + ".labelSelector.matchExpressions[0].operator: \"in\" is unknown"
                                + " (In, NotIn, Exists or DoesNotExist)"),
                arguments("missing operator",
                        pod("p").requiredPodAffinity(affinityTerm(HOST, "web").editLabelSelector()
                                .addToMatchExpressions(selectorExpr("app", null, "web")).endLabelSelector().build()),
                        required + ".labelSelector.matchExpressions[0].operator: missing"
                                + " (In, NotIn, Exists or DoesNotExist)"),
                arguments("In without values",
                        pod("p").requiredPodAffinity(affinityTerm(HOST, "web").editLabelSelector()
                                .addToMatchExpressions(selectorExpr("tier", "In")).endLabelSelector().build()),
                        required + ".labelSelector.matchExpressions[0].values: operator In needs at least one value"),
                arguments("NotIn without values",
                        pod("p").requiredPodAffinity(affinityTerm(HOST, "web").editLabelSelector()
                                .addToMatchExpressions(selectorExpr("tier", "NotIn")).endLabelSelector().build()),
                        required + ".labelSelector.matchExpressions[0].values: operator NotIn needs at least one value"),
                arguments("Exists with values",
                        pod("p").requiredPodAffinity(affinityTerm(HOST, "web").editLabelSelector()
                                .addToMatchExpressions(selectorExpr("tier", "Exists", "x")).endLabelSelector().build()),
                        required + ".labelSelector.matchExpressions[0].values: operator Exists takes no values, got [x]"),
                arguments("DoesNotExist with values",
                        pod("p").requiredPodAffinity(affinityTerm(HOST, "web").editLabelSelector()
                                .addToMatchExpressions(selectorExpr("tier", "DoesNotExist", "x")).endLabelSelector()
                                .build()),
                        required + ".labelSelector.matchExpressions[0].values: operator DoesNotExist takes no values,"
                                + " got [x]"),
                arguments("a null value",
                        pod("p").requiredPodAffinity(affinityTerm(HOST, "web").editLabelSelector()
                                .addToMatchExpressions(selectorExpr("tier", "In", "a", null)).endLabelSelector().build()),
                        required + ".labelSelector.matchExpressions[0].values: a value is null"),
                arguments("an expression without key",
                        pod("p").requiredPodAffinity(affinityTerm(HOST, "web").editLabelSelector()
                                .addToMatchExpressions(selectorExpr("", "Exists")).endLabelSelector().build()),
                        required + ".labelSelector.matchExpressions[0].key: must not be empty"),
                arguments("a null expression",
                        pod("p").requiredPodAffinity(withNullExpression(affinityTerm(HOST, "web").build())),
                        required + ".labelSelector.matchExpressions[0]: an entry is null"),
                arguments("a bad namespace selector",
                        pod("p").requiredPodAffinity(affinityTerm(HOST, "web").withNewNamespaceSelector()
                                .addToMatchExpressions(selectorExpr("team", "Equals", "data")).endNamespaceSelector()
                                .build()),
                        required + ".namespaceSelector.matchExpressions[0].operator: \"Equals\" is unknown"
                                + " (In, NotIn, Exists or DoesNotExist)"),
                arguments("a null namespace",
                        pod("p").requiredPodAffinity(affinityTerm(HOST, "web").withNamespaces(nullList()).build()),
                        required + ".namespaces: an entry is null"),
                arguments("matchLabelKeys without labelSelector",
                        pod("p").requiredPodAffinity(affinityTerm(HOST, "web").withLabelSelector(null)
                                .withMatchLabelKeys("pod-template-hash").build()),
                        required + ".matchLabelKeys: may not be set when labelSelector is not"),
                arguments("mismatchLabelKeys without labelSelector",
                        pod("p").requiredPodAntiAffinity(affinityTerm(HOST, "web").withLabelSelector(null)
                                .withMismatchLabelKeys("tenant").build()),
                        anti + ".mismatchLabelKeys: may not be set when labelSelector is not"),
                arguments("an empty matchLabelKeys key",
                        pod("p").requiredPodAffinity(affinityTerm(HOST, "web").withMatchLabelKeys("").build()),
                        required + ".matchLabelKeys: a key is empty"),
                arguments("a key in both matchLabelKeys and mismatchLabelKeys",
                        pod("p").requiredPodAntiAffinity(affinityTerm(HOST, "web").withMatchLabelKeys("tenant")
                                .withMismatchLabelKeys("tenant").build()),
                        anti + ".mismatchLabelKeys: \"tenant\" is also in matchLabelKeys; a key may be in only one of them"),
                arguments("maxSkew 0", pod("p").topologySpread(spreadConstraint(0, ZONE, "DoNotSchedule", "web").build()),
                        spread + ".maxSkew: must be at least 1, not 0"),
                arguments("maxSkew missing", pod("p").topologySpread(spreadConstraint(1, ZONE, "DoNotSchedule", "web")
                                .withMaxSkew(null).build()),
                        spread + ".maxSkew: must be at least 1, not null"),
                arguments("spread without topologyKey",
                        pod("p").topologySpread(spreadConstraint(1, "", "DoNotSchedule", "web").build()),
                        spread + ".topologyKey: must not be empty"),
                arguments("unknown whenUnsatisfiable",
                        pod("p").topologySpread(spreadConstraint(1, ZONE, "DoNotScheduleAnyway", "web").build()),
                        spread + ".whenUnsatisfiable: \"DoNotScheduleAnyway\" is unknown (DoNotSchedule or ScheduleAnyway)"),
                arguments("missing whenUnsatisfiable",
                        pod("p").topologySpread(spreadConstraint(1, ZONE, null, "web").build()),
                        spread + ".whenUnsatisfiable: missing (DoNotSchedule or ScheduleAnyway)"),
                arguments("minDomains 0",
                        pod("p").topologySpread(spreadConstraint(1, ZONE, "DoNotSchedule", "web").withMinDomains(0)
                                .build()),
                        spread + ".minDomains: must be at least 1, not 0"),
                arguments("minDomains with ScheduleAnyway",
                        pod("p").topologySpread(spreadConstraint(1, ZONE, "ScheduleAnyway", "web").withMinDomains(2)
                                .build()),
                        spread + ".minDomains: may only be set with whenUnsatisfiable DoNotSchedule, not ScheduleAnyway"),
                arguments("unknown nodeAffinityPolicy",
                        pod("p").topologySpread(spreadConstraint(1, ZONE, "DoNotSchedule", "web")
                                .withNodeAffinityPolicy("honor").build()),
                        spread + ".nodeAffinityPolicy: \"honor\" is unknown (Honor or Ignore)"),
                arguments("unknown nodeTaintsPolicy",
                        pod("p").topologySpread(spreadConstraint(1, ZONE, "DoNotSchedule", "web")
                                .withNodeTaintsPolicy("Always").build()),
                        spread + ".nodeTaintsPolicy: \"Always\" is unknown (Honor or Ignore)"),
                arguments("a bad spread selector",
                        pod("p").topologySpread(spreadConstraint(1, ZONE, "DoNotSchedule", "web").editLabelSelector()
                                .addToMatchExpressions(selectorExpr("tier", "Exists", "x")).endLabelSelector().build()),
                        spread + ".labelSelector.matchExpressions[0].values: operator Exists takes no values, got [x]"),
                arguments("spread matchLabelKeys without labelSelector",
                        pod("p").topologySpread(spreadConstraint(1, ZONE, "DoNotSchedule", "web").withLabelSelector(null)
                                .withMatchLabelKeys("pod-template-hash").build()),
                        spread + ".matchLabelKeys: may not be set when labelSelector is not"),
                arguments("two spreads with the same key and whenUnsatisfiable",
                        pod("p").topologySpread(spreadConstraint(1, ZONE, "DoNotSchedule", "web").build())
                                .topologySpread(spreadConstraint(2, ZONE, "DoNotSchedule", "db").build()),
                        "spec.topologySpreadConstraints[1]: duplicate of an earlier constraint with topologyKey \""
                                + ZONE + "\" and whenUnsatisfiable DoNotSchedule"),
                arguments("a null spread", pod("p").topologySpread((io.fabric8.kubernetes.api.model.TopologySpreadConstraint) null),
                        spread + ": an entry is null"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidCases")
    void reportsEveryInvalidFieldByName(String name, PodObjects pod, String message) {
        assertThat(translator.translate(pod.container("main").build())).isEqualTo(Translation.invalid(message));
    }

    /** A pod nobody may schedule is still charged where it runs, with the labels others' terms match. */
    @Test
    void anInvalidTermLeavesThePodCountedWithItsLabels() {
        Pod running = pod("p").label("app", "web").nodeName("node-1").phase("Running")
                .requiredPodAntiAffinity(affinityTerm("", "web").build()).container("main").cpu("1").build();

        PodInfo accounted = translator.accounting(running);

        assertThat(accounted.nodeName()).isEqualTo("node-1");
        assertThat(accounted.labels()).containsEntry("app", "web");
        assertThat(accounted.requests().get("cpu")).isEqualTo(1000);
    }

    // ------------------------------------------------------------------ sharing

    /** Replicas of one template hold one copy of their terms (the scheduler keeps every pod of the cluster). */
    @Test
    void replicasOfOneTemplateShareTheirConstraints() {
        java.util.function.IntFunction<Pod> replica = i -> pod("web-" + i).label("app", "web")
                .label("pod-template-hash", "abc").requiredPodAntiAffinity(affinityTerm(HOST, "web")
                        .withMatchLabelKeys("pod-template-hash").build())
                .topologySpread(spreadConstraint(1, ZONE, "DoNotSchedule", "web").build()).container("main").build();

        PodInfo first = valid(replica.apply(1));
        PodInfo second = valid(replica.apply(2));

        assertThat(second.interPod()).isEqualTo(first.interPod()).isSameAs(first.interPod());
        assertThat(valid(pod("plain").container("main").build()).interPod()).isSameAs(InterPodConstraints.NONE);
    }

    // ------------------------------------------------------------------ helpers

    private PodInfo valid(Pod pod) {
        Translation<PodInfo> translation = translator.translate(pod);
        assertThat(translation.errorOrNull()).as("translation error").isNull();
        return translation.orElseThrow();
    }

    /** fabric8's builders turn a null entry into an empty one; the JSON {@code [null]} gives a null. */
    private static io.fabric8.kubernetes.api.model.PodAffinityTerm withNullExpression(
            io.fabric8.kubernetes.api.model.PodAffinityTerm term) {
        term.getLabelSelector().setMatchExpressions(new ArrayList<>(Arrays.asList(
                (io.fabric8.kubernetes.api.model.LabelSelectorRequirement) null)));
        return term;
    }

    /** fabric8's builders drop a null label value; the JSON {@code {"tier": null}} keeps it. */
    private static io.fabric8.kubernetes.api.model.PodAffinityTerm withNullMatchLabel(
            io.fabric8.kubernetes.api.model.PodAffinityTerm term, String key) {
        Map<String, String> labels = new java.util.HashMap<>(term.getLabelSelector().getMatchLabels());
        labels.put(key, null);
        term.getLabelSelector().setMatchLabels(labels);
        return term;
    }

    private static List<String> nullList() {
        return new ArrayList<>(Arrays.asList("ok", null));
    }

    private static LabelSelector selector(Map<String, String> labels, LabelSelectorRequirement... expressions) {
        return new LabelSelector(labels, List.of(expressions));
    }

    private static LabelSelectorRequirement requirement(String key, LabelSelectorOperator operator, String... values) {
        return new LabelSelectorRequirement(key, operator, List.of(values));
    }

    private static PodAffinityTerm term(LabelSelector selector, Set<String> namespaces, LabelSelector namespaceSelector,
                                        String topologyKey) {
        return new PodAffinityTerm(selector, namespaces, namespaceSelector, topologyKey);
    }

    private static Expected constraints() {
        return new Expected();
    }

    /** The constraints a case expects, built up list by list. */
    private static final class Expected {
        private final List<PodAffinityTerm> requiredAffinity = new ArrayList<>();
        private final List<WeightedPodAffinityTerm> preferredAffinity = new ArrayList<>();
        private final List<PodAffinityTerm> requiredAnti = new ArrayList<>();
        private final List<WeightedPodAffinityTerm> preferredAnti = new ArrayList<>();
        private final List<TopologySpreadConstraint> spread = new ArrayList<>();

        Expected requiredAffinity(PodAffinityTerm term) {
            requiredAffinity.add(term);
            return this;
        }

        Expected preferredAffinity(int weight, PodAffinityTerm term) {
            preferredAffinity.add(new WeightedPodAffinityTerm(weight, term));
            return this;
        }

        Expected requiredAnti(PodAffinityTerm term) {
            requiredAnti.add(term);
            return this;
        }

        Expected preferredAnti(int weight, PodAffinityTerm term) {
            preferredAnti.add(new WeightedPodAffinityTerm(weight, term));
            return this;
        }

        Expected spread(TopologySpreadConstraint constraint) {
            spread.add(constraint);
            return this;
        }

        InterPodConstraints build() {
            return new InterPodConstraints(requiredAffinity, preferredAffinity, requiredAnti, preferredAnti, spread);
        }

        @Override
        public String toString() {
            return build().toString();
        }
    }
}
