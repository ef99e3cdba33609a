package io.kubenexus.scheduler.core.plugins;

import static io.kubenexus.scheduler.core.plugins.InterPodAffinity.REASON_AFFINITY;
import static io.kubenexus.scheduler.core.plugins.InterPodAffinity.REASON_ANTI_AFFINITY;
import static io.kubenexus.scheduler.core.plugins.InterPodAffinity.REASON_EXISTING_ANTI_AFFINITY;
import static io.kubenexus.scheduler.core.testing.InterPodFixture.doesNotExist;
import static io.kubenexus.scheduler.core.testing.InterPodFixture.exists;
import static io.kubenexus.scheduler.core.testing.InterPodFixture.expressions;
import static io.kubenexus.scheduler.core.testing.InterPodFixture.in;
import static io.kubenexus.scheduler.core.testing.InterPodFixture.interPod;
import static io.kubenexus.scheduler.core.testing.InterPodFixture.labels;
import static io.kubenexus.scheduler.core.testing.InterPodFixture.notIn;
import static io.kubenexus.scheduler.core.testing.InterPodFixture.term;
import static io.kubenexus.scheduler.core.testing.InterPodFixture.termIn;
import static io.kubenexus.scheduler.core.testing.InterPodFixture.termSelectingNamespaces;
import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.plugins.ClusterUnderTest.FilterOutcome;
import io.kubenexus.scheduler.core.testing.InterPodFixture;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * kube-scheduler's InterPodAffinity semantics, case by case: the cases of its filtering_test.go and
 * scoring_test.go (named as upstream names them), expressed with our fixtures.
 */
class InterPodAffinityTest {
    private static final Map<String, String> SECURITY_SCAN = Map.of("service", "securityscan");
    private static final Map<String, String> SECURITY_S1 = Map.of("security", "S1");
    private static final Map<String, String> SECURITY_S2 = Map.of("security", "S2");

    private static NodeInfo machine1() {
        return node("machine1").label("region", "r1").label("zone", "z11").build();
    }

    private static PodInfo existing(String name, String node, Map<String, String> labels) {
        return existing(name, node, labels, InterPodFixture.interPod());
    }

    private static PodInfo existing(String name, String node, Map<String, String> labels, InterPodFixture terms) {
        var fixture = pod(name).boundTo(node).interPod(terms.build());
        labels.forEach(fixture::label);
        return fixture.build();
    }

    private static PodInfo incoming(Map<String, String> labels, InterPodFixture terms) {
        var fixture = pod("incoming").interPod(terms.build());
        labels.forEach(fixture::label);
        return fixture.build();
    }

    record FilterCase(String name, List<NodeInfo> nodes, List<PodInfo> pods, PodInfo pod, Set<String> fit,
                      Map<String, Integer> reasons) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static FilterCase single(String name, List<PodInfo> pods, PodInfo pod, String reason) {
        return new FilterCase(name, List.of(machine1()), pods, pod, reason == null ? Set.of("machine1") : Set.of(),
                reason == null ? Map.of() : Map.of(reason, 1));
    }

    static Stream<FilterCase> requiredAffinitySingleNode() {
        return Stream.of(
                single("A pod that has no required pod affinity scheduling rules can schedule onto a node with no existing pods",
                        List.of(), incoming(Map.of(), interPod()), null),
                single("satisfies with requiredDuringSchedulingIgnoredDuringExecution in PodAffinity using In operator that matches the existing pod",
                        List.of(existing("e", "machine1", SECURITY_SCAN)),
                        incoming(SECURITY_S1, interPod().affinity(term(expressions(in("service", "securityscan", "value2")), "region"))),
                        null),
                single("satisfies the pod with requiredDuringSchedulingIgnoredDuringExecution in PodAffinity using not in operator in labelSelector that matches the existing pod",
                        List.of(existing("e", "machine1", SECURITY_SCAN)),
                        incoming(SECURITY_S1, interPod().affinity(term(expressions(notIn("service", "securityscan3", "value3")), "region"))),
                        null),
                single("Does not satisfy the PodAffinity with labelSelector because of diff Namespace",
                        List.of(existing("e", "machine1", SECURITY_SCAN)),
                        incoming(SECURITY_S1, interPod().affinity(termIn(expressions(in("service", "securityscan", "value2")), "region", "DiffNameSpace"))),
                        REASON_AFFINITY),
                single("Doesn't satisfy the PodAffinity because of unmatching labelSelector with the existing pod",
                        List.of(existing("e", "machine1", SECURITY_SCAN)),
                        incoming(SECURITY_S1, interPod().affinity(term(expressions(in("service", "antivirusscan", "value2")), "region"))),
                        REASON_AFFINITY),
                single("satisfies the PodAffinity with different label Operators in multiple RequiredDuringSchedulingIgnoredDuringExecution",
                        List.of(existing("e", "machine1", SECURITY_SCAN)),
                        incoming(SECURITY_S1, interPod().affinity(
                                term(expressions(exists("service"), doesNotExist("wrongkey")), "region"),
                                term(expressions(in("service", "securityscan"), notIn("service", "WrongValue")), "region"))),
                        null),
                single("The labelSelector requirements(items of matchExpressions) are ANDed, the pod cannot schedule onto the node because one of the matchExpression item don't match.",
                        List.of(existing("e", "machine1", SECURITY_SCAN)),
                        incoming(SECURITY_S1, interPod().affinity(
                                term(expressions(exists("service"), doesNotExist("wrongkey")), "region"),
                                term(expressions(in("service", "securityscan2"), notIn("service", "WrongValue")), "region"))),
                        REASON_AFFINITY),
                single("satisfies the PodAffinity and PodAntiAffinity with the existing pod",
                        List.of(existing("e", "machine1", SECURITY_SCAN)),
                        incoming(SECURITY_S1, interPod()
                                .affinity(term(expressions(in("service", "securityscan", "value2")), "region"))
                                .antiAffinity(term(expressions(in("service", "antivirusscan", "value2")), "node"))),
                        null),
                single("satisfies the PodAffinity and PodAntiAffinity and PodAntiAffinity symmetry with the existing pod",
                        List.of(existing("e", "machine1", SECURITY_SCAN, interPod()
                                .antiAffinity(term(expressions(in("service", "antivirusscan", "value2")), "node")))),
                        incoming(SECURITY_S1, interPod()
                                .affinity(term(expressions(in("service", "securityscan", "value2")), "region"))
                                .antiAffinity(term(expressions(in("service", "antivirusscan", "value2")), "node"))),
                        null),
                single("satisfies the PodAffinity but doesn't satisfy the PodAntiAffinity with the existing pod",
                        List.of(existing("e", "machine1", SECURITY_SCAN)),
                        incoming(SECURITY_S1, interPod()
                                .affinity(term(expressions(in("service", "securityscan", "value2")), "region"))
                                .antiAffinity(term(expressions(in("service", "securityscan", "value2")), "zone"))),
                        REASON_ANTI_AFFINITY),
                single("satisfies the PodAffinity and PodAntiAffinity but doesn't satisfy PodAntiAffinity symmetry with the existing pod",
                        List.of(existing("e", "machine1", SECURITY_SCAN, interPod()
                                .antiAffinity(term(expressions(in("security", "S1")), "zone")))),
                        incoming(SECURITY_S1, interPod()
                                .affinity(term(expressions(in("service", "securityscan", "value2")), "region"))
                                .antiAffinity(term(expressions(in("service", "antivirusscan", "value2")), "zone"))),
                        REASON_EXISTING_ANTI_AFFINITY),
                single("pod matches its own Label in PodAffinity and that matches the existing pod Labels",
                        List.of(existing("e", "machine2", SECURITY_SCAN)),
                        incoming(SECURITY_SCAN, interPod().affinity(term(expressions(notIn("service", "securityscan", "value2")), "region"))),
                        REASON_AFFINITY),
                single("verify that PodAntiAffinity from existing pod is respected when pod has no AntiAffinity constraints. doesn't satisfy PodAntiAffinity symmetry with the existing pod",
                        List.of(existing("e", "machine1", SECURITY_SCAN, interPod()
                                .antiAffinity(term(expressions(in("service", "securityscan", "value2")), "zone")))),
                        incoming(SECURITY_SCAN, interPod()),
                        REASON_EXISTING_ANTI_AFFINITY),
                single("verify that PodAntiAffinity from existing pod is respected when pod has no AntiAffinity constraints. satisfy PodAntiAffinity symmetry with the existing pod",
                        List.of(existing("e", "machine1", SECURITY_SCAN, interPod()
                                .antiAffinity(term(expressions(notIn("service", "securityscan", "value2")), "zone")))),
                        incoming(SECURITY_SCAN, interPod()),
                        null),
                single("satisfies the PodAntiAffinity with existing pod but doesn't satisfy PodAntiAffinity symmetry with incoming pod",
                        List.of(existing("e", "machine1", SECURITY_SCAN, interPod()
                                .antiAffinity(term(expressions(exists("service")), "zone"))
                                .antiAffinity(term(expressions(exists("security")), "region")))),
                        incoming(SECURITY_S1, interPod().antiAffinity(term(expressions(exists("service2")), "zone"))),
                        REASON_EXISTING_ANTI_AFFINITY),
                single("PodAntiAffinity symmetry check a1: incoming pod and existing pod partially match each other on AffinityTerms",
                        List.of(existing("e", "machine1", Map.of("bar", ""), interPod()
                                .antiAffinity(term(expressions(exists("foo")), "zone")))),
                        incoming(Map.of("foo", ""), interPod().antiAffinity(term(expressions(exists("bar")), "zone"))),
                        REASON_ANTI_AFFINITY),
                single("PodAntiAffinity symmetry check a2: incoming pod and existing pod partially match each other on AffinityTerms",
                        List.of(existing("e", "machine1", Map.of("bar", ""), interPod()
                                .antiAffinity(term(expressions(exists("foo")), "zone")))),
                        incoming(Map.of("foo", ""), interPod().antiAffinity(term(expressions(exists("nothing")), "zone"))),
                        REASON_EXISTING_ANTI_AFFINITY),
                single("PodAntiAffinity symmetry check b1: incoming pod and existing pod match each other on AffinityTerms",
                        List.of(existing("e", "machine1", Map.of("foo", "", "bar", ""), interPod()
                                .antiAffinity(term(expressions(exists("foo")), "zone"))
                                .antiAffinity(term(expressions(exists("bar")), "zone")))),
                        incoming(Map.of("foo", "", "bar", ""), interPod()
                                .antiAffinity(term(expressions(exists("foo")), "zone"))
                                .antiAffinity(term(expressions(exists("bar")), "zone"))),
                        REASON_ANTI_AFFINITY),
                single("anti-affinity term without a selector selects no pod",
                        List.of(existing("e", "machine1", SECURITY_SCAN)),
                        incoming(SECURITY_S1, interPod().antiAffinity(
                                new io.kubenexus.scheduler.core.model.PodAffinityTerm(null, Set.of(), null, "zone"))),
                        null),
                single("affinity term without a selector is never satisfied",
                        List.of(existing("e", "machine1", SECURITY_SCAN)),
                        incoming(SECURITY_S1, interPod().affinity(
                                new io.kubenexus.scheduler.core.model.PodAffinityTerm(null, Set.of(), null, "zone"))),
                        REASON_AFFINITY));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"requiredAffinitySingleNode", "requiredAffinityMultipleNodes"})
    void filters(FilterCase c) {
        ClusterUnderTest cluster = ClusterUnderTest.of(c.nodes(), c.pods());
        FilterOutcome outcome = cluster.filter(new InterPodAffinity(1), c.pod());

        assertThat(outcome.survivors()).isEqualTo(c.fit());
        assertThat(outcome.reasons()).isEqualTo(c.reasons());
    }

    private static List<NodeInfo> regions() {
        return List.of(
                node("nodeA").label("region", "r1").label("zone", "z11").label("hostname", "nodeA").build(),
                node("nodeB").label("region", "r1").label("zone", "z12").label("hostname", "nodeB").build(),
                node("nodeC").label("region", "r2").label("zone", "z21").label("hostname", "nodeC").build());
    }

    private static FilterCase multi(String name, List<NodeInfo> nodes, List<PodInfo> pods, PodInfo pod,
                                    Set<String> fit, Map<String, Integer> reasons) {
        return new FilterCase(name, nodes, pods, pod, fit, reasons);
    }

    static Stream<FilterCase> requiredAffinityMultipleNodes() {
        return Stream.of(
                multi("A pod can be scheduled onto all the nodes that have the same topology key & label value with one of them has an existing pod that matches the affinity rules",
                        regions(), List.of(existing("e", "nodeA", Map.of("foo", "bar"))),
                        incoming(Map.of(), interPod().affinity(term(expressions(in("foo", "bar", "value2")), "region"))),
                        Set.of("nodeA", "nodeB"), Map.of(REASON_AFFINITY, 1)),
                multi("All nodes are of the same topology key & label value, and one of them has an existing pod that matches the affinity rules",
                        List.of(node("nodeA").label("zone", "az1").build(), node("nodeB").label("zone", "az1").build()),
                        List.of(existing("e", "nodeA", Map.of("foo", "bar"))),
                        incoming(Map.of(), interPod().affinity(term(labels("foo", "bar"), "zone"))),
                        Set.of("nodeA", "nodeB"), Map.of()),
                multi("The first pod of the collection can only be scheduled on nodes labelled with the requested topology keys",
                        List.of(node("nodeA").label("region", "r1").label("zone", "z1").build(),
                                node("nodeB").label("region", "r1").build(),
                                node("nodeC").label("zone", "z1").build()),
                        List.of(),
                        incoming(Map.of("foo", "bar"), interPod().affinity(
                                term(labels("foo", "bar"), "region"), term(labels("foo", "bar"), "zone"))),
                        Set.of("nodeA"), Map.of(REASON_AFFINITY, 2)),
                multi("self affinity: once a matching pod runs, only its domain fits",
                        regions(), List.of(existing("e", "nodeC", Map.of("app", "web"))),
                        incoming(Map.of("app", "web"), interPod().affinity(term(labels("app", "web"), "region"))),
                        Set.of("nodeC"), Map.of(REASON_AFFINITY, 2)),
                multi("existing pods count for required affinity only when they match every term",
                        regions(), List.of(existing("e1", "nodeA", Map.of("foo", "bar")),
                                existing("e2", "nodeA", Map.of("service", "s1"))),
                        incoming(Map.of(), interPod().affinity(
                                term(labels("foo", "bar"), "region"), term(labels("service", "s1"), "region"))),
                        Set.of(), Map.of(REASON_AFFINITY, 3)),
                multi("NodeA and nodeB have same topologyKey and label value. NodeA has an existing pod that matches the inter pod affinity rule. The pod can not be scheduled onto nodeA and nodeB.",
                        regions(), List.of(existing("e", "nodeA", Map.of("foo", "abc"))),
                        incoming(Map.of(), interPod().antiAffinity(term(expressions(in("foo", "abc")), "region"))),
                        Set.of("nodeC"), Map.of(REASON_ANTI_AFFINITY, 2)),
                multi("This test ensures that anti-affinity matches a pod when any term of the anti-affinity rule matches a pod.",
                        regions(), List.of(existing("e", "nodeA", Map.of("foo", "abc"))),
                        incoming(Map.of(), interPod().antiAffinity(
                                term(expressions(in("foo", "abc")), "region"),
                                term(expressions(in("service", "securityscan")), "zone"))),
                        Set.of("nodeC"), Map.of(REASON_ANTI_AFFINITY, 2)),
                multi("Test the situation when nodeA and nodeB have same topologyKey and label value but not the nodeC. NodeA has an existing pod that matches the inter pod affinity rule. The pod can not be scheduled onto nodeA, nodeB, but can be scheduled onto nodeC (nodeC has an existing pod that match the inter pod affinity rule but in different namespace)",
                        regions(), List.of(existing("e", "nodeA", Map.of("foo", "123")),
                                pod("other-ns").namespace("ns2").boundTo("nodeC").label("foo", "123").build()),
                        incoming(Map.of(), interPod().antiAffinity(term(expressions(in("foo", "123")), "region"))),
                        Set.of("nodeC"), Map.of(REASON_ANTI_AFFINITY, 2)),
                multi("Test existing pod's anti-affinity: incoming pod wouldn't considered as a fit as it violates each existingPod's terms on all nodes",
                        List.of(node("nodeA").label("zone", "z1").build(), node("nodeB").label("zone", "z2").build()),
                        List.of(existing("e1", "nodeA", Map.of(), interPod().antiAffinity(term(expressions(exists("foo")), "zone"))),
                                existing("e2", "nodeB", Map.of(), interPod().antiAffinity(term(expressions(exists("bar")), "zone")))),
                        incoming(Map.of("foo", "", "bar", ""), interPod()),
                        Set.of(), Map.of(REASON_EXISTING_ANTI_AFFINITY, 2)),
                multi("Test incoming pod's anti-affinity: incoming pod wouldn't considered as a fit as it at least violates one anti-affinity rule of existingPod",
                        List.of(node("nodeA").label("zone", "z1").build(), node("nodeB").label("zone", "z2").build()),
                        List.of(existing("e1", "nodeA", Map.of("foo", "")), existing("e2", "nodeB", Map.of("bar", ""))),
                        incoming(Map.of(), interPod().antiAffinity(term(expressions(exists("foo")), "zone"),
                                term(expressions(exists("bar")), "zone"))),
                        Set.of(), Map.of(REASON_ANTI_AFFINITY, 2)),
                multi("Test existing pod's anti-affinity: only when labelSelector and topologyKey both match, it's counted as a single term match - case when one term has invalid topologyKey",
                        List.of(node("nodeA").label("zone", "z1").build(), node("nodeB").label("zone", "z2").build()),
                        List.of(existing("e1", "nodeA", Map.of(), interPod()
                                .antiAffinity(term(expressions(exists("foo")), "invalid-node-label"))
                                .antiAffinity(term(expressions(exists("bar")), "zone")))),
                        incoming(Map.of("foo", ""), interPod()),
                        Set.of("nodeA", "nodeB"), Map.of()),
                multi("Test incoming pod's anti-affinity: only when labelSelector and topologyKey both match, it's counted as a single term match - case when one term has invalid topologyKey",
                        List.of(node("nodeA").label("zone", "z1").build(), node("nodeB").label("zone", "z2").build()),
                        List.of(existing("e1", "nodeA", Map.of("foo", ""))),
                        incoming(Map.of(), interPod().antiAffinity(term(expressions(exists("foo")), "invalid-node-label"),
                                term(expressions(exists("bar")), "zone"))),
                        Set.of("nodeA", "nodeB"), Map.of()),
                multi("Test existing pod's anti-affinity: both terms match on different topology keys",
                        List.of(node("nodeA").label("region", "r1").label("zone", "z1").build(),
                                node("nodeB").label("region", "r1").label("zone", "z2").build(),
                                node("nodeC").label("region", "r2").label("zone", "z3").build()),
                        List.of(existing("e1", "nodeA", Map.of(), interPod()
                                .antiAffinity(term(expressions(exists("foo")), "zone"))
                                .antiAffinity(term(expressions(exists("bar")), "region")))),
                        incoming(Map.of("bar", ""), interPod()),
                        Set.of("nodeC"), Map.of(REASON_EXISTING_ANTI_AFFINITY, 2)),
                multi("Test existing pod's anti-affinity with a namespace selector that does not select the incoming pod's namespace",
                        regions(),
                        List.of(existing("e1", "nodeA", Map.of(), interPod().antiAffinity(
                                termSelectingNamespaces(expressions(exists("foo")), "region", labels("team", "other"))))),
                        incoming(Map.of("foo", ""), interPod()),
                        Set.of("nodeA", "nodeB", "nodeC"), Map.of()),
                multi("Test incoming pod's anti-affinity with an empty namespace selector (all namespaces)",
                        regions(),
                        List.of(pod("e1").namespace("ns2").boundTo("nodeA").label("foo", "").build()),
                        incoming(Map.of(), interPod().antiAffinity(
                                termSelectingNamespaces(expressions(exists("foo")), "region", labels()))),
                        Set.of("nodeC"), Map.of(REASON_ANTI_AFFINITY, 2)));
    }

    @Test
    void namespaceSelectorFollowsNamespaceLabels() {
        ClusterUnderTest cluster = ClusterUnderTest.of(regions(),
                List.of(pod("e1").namespace("team-a").boundTo("nodeA").label("app", "db").build()));
        PodInfo web = incoming(Map.of(), interPod().affinity(
                termSelectingNamespaces(labels("app", "db"), "region", labels("team", "a"))));
        InterPodAffinity plugin = new InterPodAffinity(1);

        assertThat(cluster.filter(plugin, web).survivors()).isEmpty();

        cluster.state().upsertNamespace("team-a", Map.of("team", "a"));
        assertThat(cluster.filter(plugin, web).survivors()).containsExactlyInAnyOrder("nodeA", "nodeB");

        cluster.state().upsertNamespace("team-a", Map.of("team", "b"));
        assertThat(cluster.filter(plugin, web).survivors()).isEmpty();
    }

    @Test
    void evictionResolvesAntiAffinityButNotAffinity() {
        InterPodAffinity plugin = new InterPodAffinity(1);
        assertThat(plugin.evictionMayResolve(REASON_ANTI_AFFINITY)).isTrue();
        assertThat(plugin.evictionMayResolve(REASON_EXISTING_ANTI_AFFINITY)).isTrue();
        assertThat(plugin.evictionMayResolve(REASON_AFFINITY)).isFalse();
    }

    // ------------------------------------------------------------------ scoring

    record ScoreCase(String name, int hardPodAffinityWeight, List<NodeInfo> nodes, List<PodInfo> pods, PodInfo pod,
                     Map<String, Long> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static List<NodeInfo> countries() {
        return List.of(node("machine1").label("region", "China").build(),
                node("machine2").label("region", "India").build(),
                node("machine3").label("az", "az1").build());
    }

    private static List<PodInfo> s1s2s1() {
        return List.of(existing("p1", "machine1", SECURITY_S1), existing("p2", "machine2", SECURITY_S2),
                existing("p3", "machine3", SECURITY_S1));
    }

    static Stream<ScoreCase> preferredAffinity() {
        return Stream.of(
                new ScoreCase("all machines are same priority as Affinity is nil", 1, countries(), s1s2s1(),
                        incoming(SECURITY_S1, interPod()), Map.of("machine1", 0L, "machine2", 0L, "machine3", 0L)),
                new ScoreCase("Affinity: pod that matches topology key & pods in nodes will get high score comparing to others which doesn't match either pods in nodes or in topology key",
                        1, countries(), s1s2s1(),
                        incoming(SECURITY_S1, interPod().preferredAffinity(5, term(expressions(in("security", "S1")), "region"))),
                        Map.of("machine1", 100L, "machine2", 0L, "machine3", 0L)),
                new ScoreCase("Affinity: nodes in one region has more matching pods comparing to other region, so the region which has more matches will get high score",
                        1,
                        List.of(node("machine1").label("region", "China").build(),
                                node("machine2").label("region", "China").build(),
                                node("machine3").label("region", "India").build(),
                                node("machine4").label("region", "India").build(),
                                node("machine5").label("az", "az1").build()),
                        List.of(existing("p1", "machine1", SECURITY_S1), existing("p2", "machine2", SECURITY_S1),
                                existing("p3", "machine3", SECURITY_S1), existing("p4", "machine5", SECURITY_S1)),
                        incoming(Map.of(), interPod().preferredAffinity(6, term(expressions(in("security", "S1")), "region"))),
                        Map.of("machine1", 100L, "machine2", 100L, "machine3", 50L, "machine4", 50L, "machine5", 0L)),
                new ScoreCase("Anti Affinity: pod that does not match existing pods in node will get high score",
                        1, countries(), List.of(existing("p1", "machine1", SECURITY_S1), existing("p2", "machine2", SECURITY_S2)),
                        incoming(Map.of(), interPod().preferredAntiAffinity(5, term(expressions(in("security", "S1")), "region"))),
                        Map.of("machine1", 0L, "machine2", 100L, "machine3", 100L)),
                new ScoreCase("Affinity and Anti Affinity: considered only preferredDuringSchedulingIgnoredDuringExecution in both pod affinity & anti affinity",
                        1, countries(), List.of(existing("p1", "machine1", SECURITY_S1), existing("p2", "machine2", SECURITY_S2)),
                        incoming(Map.of(), interPod()
                                .preferredAffinity(5, term(expressions(in("security", "S1")), "region"))
                                .preferredAntiAffinity(5, term(expressions(in("security", "S2")), "region"))),
                        Map.of("machine1", 100L, "machine2", 0L, "machine3", 50L)),
                new ScoreCase("Affinity symmetry: considered only the preferredDuringSchedulingIgnoredDuringExecution in pod affinity symmetry",
                        1, countries(),
                        List.of(existing("p1", "machine1", Map.of(), interPod().preferredAffinity(5, term(expressions(in("security", "S1")), "region"))),
                                existing("p2", "machine2", Map.of(), interPod().preferredAffinity(5, term(expressions(in("security", "S2")), "region")))),
                        incoming(SECURITY_S1, interPod()),
                        Map.of("machine1", 100L, "machine2", 0L, "machine3", 0L)),
                new ScoreCase("Affinity symmetry: considered RequiredDuringSchedulingIgnoredDuringExecution in pod affinity symmetry",
                        1, countries(),
                        List.of(existing("p1", "machine1", Map.of(), interPod().affinity(term(expressions(in("security", "S1")), "region")))),
                        incoming(SECURITY_S1, interPod()),
                        Map.of("machine1", 100L, "machine2", 0L, "machine3", 0L)),
                new ScoreCase("Affinity symmetry with hardPodAffinityWeight 0: existing pods' required affinity does not score",
                        0, countries(),
                        List.of(existing("p1", "machine1", Map.of(), interPod().affinity(term(expressions(in("security", "S1")), "region")))),
                        incoming(SECURITY_S1, interPod()),
                        Map.of("machine1", 0L, "machine2", 0L, "machine3", 0L)),
                new ScoreCase("Anti Affinity symmetry: the existing pods in node which has anti affinity match will get high score",
                        1, countries(),
                        List.of(existing("p1", "machine1", Map.of(), interPod().preferredAntiAffinity(5, term(expressions(in("security", "S1")), "region"))),
                                existing("p2", "machine2", Map.of(), interPod().preferredAntiAffinity(5, term(expressions(in("security", "S2")), "region")))),
                        incoming(SECURITY_S1, interPod()),
                        Map.of("machine1", 0L, "machine2", 100L, "machine3", 100L)),
                new ScoreCase("Affinity and Anti Affinity and symmetry: considered preferred pod affinity and anti affinity and symmetry",
                        1, countries(),
                        List.of(existing("p1", "machine1", SECURITY_S1), existing("p2", "machine2", SECURITY_S2),
                                existing("p3", "machine3", Map.of(), interPod().preferredAffinity(7, term(expressions(in("security", "S1")), "az")))),
                        incoming(SECURITY_S1, interPod()
                                .preferredAffinity(5, term(expressions(in("security", "S1")), "region"))
                                .preferredAntiAffinity(5, term(expressions(in("security", "S2")), "region"))),
                        // raw: machine1 5, machine2 -5, machine3 7
                        Map.of("machine1", 83L, "machine2", 0L, "machine3", 100L)),
                new ScoreCase("Affinity: a term naming other namespaces does not count pods of the pod's own namespace",
                        1, countries(),
                        List.of(existing("p1", "machine1", SECURITY_S1),
                                pod("p2").namespace("ns2").boundTo("machine2").label("security", "S1").build()),
                        incoming(Map.of(), interPod().preferredAffinity(5, termIn(expressions(in("security", "S1")), "region", "ns2"))),
                        Map.of("machine1", 0L, "machine2", 100L, "machine3", 0L)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("preferredAffinity")
    void scores(ScoreCase c) {
        ClusterUnderTest cluster = ClusterUnderTest.of(c.nodes(), c.pods());
        InterPodAffinity plugin = new InterPodAffinity(c.hardPodAffinityWeight());

        long uniform = plugin.uniformScore(cluster.state().podContext(c.pod()), cluster.state());
        Map<String, Long> scores = uniform == InterPodAffinity.SCORE_EACH_NODE ? cluster.scores(plugin, c.pod())
                : uniformly(c.nodes(), uniform);

        assertThat(scores).isEqualTo(c.expected());
    }

    private static Map<String, Long> uniformly(List<NodeInfo> nodes, long score) {
        Map<String, Long> out = new java.util.HashMap<>();
        nodes.forEach(n -> out.put(n.name(), score));
        return out;
    }

    @Test
    void podsWithoutTermsInAClusterWithoutTermsScoreUniformly() {
        ClusterUnderTest cluster = ClusterUnderTest.of(countries(), s1s2s1());
        PodInfo plain = incoming(SECURITY_S1, interPod());
        InterPodAffinity plugin = new InterPodAffinity(1);

        assertThat(plugin.uniformScore(cluster.state().podContext(plain), cluster.state())).isZero();
    }
}
