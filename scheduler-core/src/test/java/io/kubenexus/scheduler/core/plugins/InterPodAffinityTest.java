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
    private static final Map<String, String> SECURITY_S1 = Map.of("security", "S1");
    private static final Map<String, String> SECURITY_S2 = Map.of("security", "S2");

    private static final Map<String, String> SCAN = Map.of("service", "securityscan"); // upstream's podLabel
    private static final String OK = "";

    /** Node names with the filter's verdict on each: {@link #OK} or the reason. */
    private static Map<String, String> verdicts(String... nodeThenVerdict) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < nodeThenVerdict.length; i += 2) {
            out.put(nodeThenVerdict[i], nodeThenVerdict[i + 1]);
        }
        return out;
    }

    record FilterCase(String name, List<NodeInfo> nodes, List<PodInfo> pods, PodInfo pod, Map<String, String> verdicts) {
        @Override
        public String toString() {
            return name;
        }

        Set<String> fit() {
            Set<String> fit = new java.util.TreeSet<>();
            verdicts.forEach((node, verdict) -> {
                if (verdict.isEmpty()) {
                    fit.add(node);
                }
            });
            return fit;
        }

        Map<String, Integer> reasons() {
            Map<String, Integer> reasons = new java.util.HashMap<>();
            verdicts.values().stream().filter(v -> !v.isEmpty()).forEach(v -> reasons.merge(v, 1, Integer::sum));
            return reasons;
        }
    }

    /** kube-scheduler's TestRequiredAffinitySingleNode: node1 {region: r1, zone: z11}. */
    private static FilterCase single(String name, List<PodInfo> pods, PodInfo pod, String verdict) {
        return new FilterCase(name, List.of(n("node1", "region", "r1", "zone", "z11")), pods, pod,
                verdicts("node1", verdict));
    }

    /** Upstream's {@code pod}: service=securityscan on node1. */
    private static List<PodInfo> scanOnNode1() {
        return List.of(podOn("p", "node1", SCAN));
    }

    static Stream<FilterCase> requiredAffinitySingleNode() {
        return Stream.of(
                single("A pod that has no required pod affinity scheduling rules can schedule onto a node with no existing pods",
                        List.of(), toPlace("default", NONE, interPod()), OK),
                single("satisfies with requiredDuringSchedulingIgnoredDuringExecution in PodAffinity using In operator that matches the existing pod",
                        scanOnNode1(), toPlace("default", SECURITY_S1, interPod().affinity(term(expressions(in("service", "securityscan", "value2")), "region"))),
                        OK),
                single("satisfies the pod with requiredDuringSchedulingIgnoredDuringExecution in PodAffinity using not in operator in labelSelector that matches the existing pod",
                        scanOnNode1(), toPlace("default", SECURITY_S1, interPod().affinity(term(expressions(notIn("service", "securityscan3", "value3")), "region"))),
                        OK),
                single("Does not satisfy the PodAffinity with labelSelector because of diff Namespace",
                        List.of(podOn("p", "node1", "ns", SCAN, interPod())),
                        toPlace("default", SECURITY_S1, interPod().affinity(termIn(expressions(in("service", "securityscan", "value2")), "", "DiffNameSpace"))),
                        REASON_AFFINITY),
                single("Doesn't satisfy the PodAffinity because of unmatching labelSelector with the existing pod",
                        scanOnNode1(), toPlace("default", SCAN, interPod().affinity(term(expressions(in("service", "antivirusscan", "value2")), ""))),
                        REASON_AFFINITY),
                single("satisfies the PodAffinity with different label Operators in multiple RequiredDuringSchedulingIgnoredDuringExecution ",
                        scanOnNode1(), toPlace("default", SECURITY_S1, interPod().affinity(
                                term(expressions(exists("service"), doesNotExist("wrongkey")), "region"),
                                term(expressions(in("service", "securityscan"), notIn("service", "WrongValue")), "region"))),
                        OK),
                single("The labelSelector requirements(items of matchExpressions) are ANDed, the pod cannot schedule onto the node because one of the matchExpression item don't match.",
                        scanOnNode1(), toPlace("default", SECURITY_S1, interPod().affinity(
                                term(expressions(exists("service"), doesNotExist("wrongkey")), "region"),
                                term(expressions(in("service", "securityscan2"), notIn("service", "WrongValue")), "region"))),
                        REASON_AFFINITY),
                single("satisfies the PodAffinity and PodAntiAffinity with the existing pod",
                        scanOnNode1(), toPlace("default", SECURITY_S1, interPod()
                                .affinity(term(expressions(in("service", "securityscan", "value2")), "region"))
                                .antiAffinity(term(expressions(in("service", "antivirusscan", "value2")), "node"))),
                        OK),
                single("satisfies the PodAffinity and PodAntiAffinity and PodAntiAffinity symmetry with the existing pod",
                        List.of(podOn("p", "node1", SCAN, interPod().antiAffinity(term(expressions(in("service", "antivirusscan", "value2")), "node")))),
                        toPlace("default", SECURITY_S1, interPod()
                                .affinity(term(expressions(in("service", "securityscan", "value2")), "region"))
                                .antiAffinity(term(expressions(in("service", "antivirusscan", "value2")), "node"))),
                        OK),
                single("satisfies the PodAffinity but doesn't satisfy the PodAntiAffinity with the existing pod",
                        scanOnNode1(), toPlace("default", SECURITY_S1, interPod()
                                .affinity(term(expressions(in("service", "securityscan", "value2")), "region"))
                                .antiAffinity(term(expressions(in("service", "securityscan", "value2")), "zone"))),
                        REASON_ANTI_AFFINITY),
                single("satisfies the PodAffinity and PodAntiAffinity but doesn't satisfy PodAntiAffinity symmetry with the existing pod",
                        List.of(podOn("p", "node1", SCAN, interPod().antiAffinity(term(expressions(in("service", "securityscan", "value2")), "zone")))),
                        toPlace("default", SCAN, interPod()
                                .affinity(term(expressions(in("service", "securityscan", "value2")), "region"))
                                .antiAffinity(term(expressions(in("service", "antivirusscan", "value2")), "node"))),
                        REASON_EXISTING_ANTI_AFFINITY),
                single("pod matches its own Label in PodAffinity and that matches the existing pod Labels",
                        List.of(podOn("p", "node2", SCAN)),
                        toPlace("default", SCAN, interPod().affinity(term(expressions(notIn("service", "securityscan", "value2")), "region"))),
                        REASON_AFFINITY),
                single("verify that PodAntiAffinity from existing pod is respected when pod has no AntiAffinity constraints. doesn't satisfy PodAntiAffinity symmetry with the existing pod",
                        List.of(podOn("p", "node1", SCAN, interPod().antiAffinity(term(expressions(in("service", "securityscan", "value2")), "zone")))),
                        toPlace("default", SCAN, interPod()),
                        REASON_EXISTING_ANTI_AFFINITY),
                single("verify that PodAntiAffinity from existing pod is respected when pod has no AntiAffinity constraints. satisfy PodAntiAffinity symmetry with the existing pod",
                        List.of(podOn("p", "node1", SCAN, interPod().antiAffinity(term(expressions(notIn("service", "securityscan", "value2")), "zone")))),
                        toPlace("default", SCAN, interPod()),
                        OK),
                single("satisfies the PodAntiAffinity with existing pod but doesn't satisfy PodAntiAffinity symmetry with incoming pod",
                        List.of(podOn("p", "node1", SECURITY_S1, interPod().antiAffinity(term(expressions(exists("security")), "zone")))),
                        toPlace("default", SCAN, interPod().antiAffinity(term(expressions(exists("service")), "region"),
                                term(expressions(exists("security")), "region"))),
                        REASON_ANTI_AFFINITY),
                single("PodAntiAffinity symmetry check a1: incoming pod and existing pod partially match each other on AffinityTerms",
                        List.of(podOn("p", "node1", SECURITY_S1, interPod().antiAffinity(term(expressions(exists("security")), "zone")))),
                        toPlace("default", SCAN, interPod().antiAffinity(term(expressions(exists("service")), "zone"),
                                term(expressions(exists("security")), "zone"))),
                        REASON_ANTI_AFFINITY),
                single("PodAntiAffinity symmetry check a2: incoming pod and existing pod partially match each other on AffinityTerms",
                        List.of(podOn("p", "node1", SCAN, interPod().antiAffinity(term(expressions(exists("service")), "zone"),
                                term(expressions(exists("security")), "zone")))),
                        toPlace("default", SECURITY_S1, interPod().antiAffinity(term(expressions(exists("security")), "zone"))),
                        REASON_EXISTING_ANTI_AFFINITY),
                single("PodAntiAffinity symmetry check b1: incoming pod and existing pod partially match each other on AffinityTerms",
                        List.of(podOn("p", "node1", Map.of("def", "", "xyz", ""), interPod().antiAffinity(
                                term(expressions(exists("abc")), "zone"), term(expressions(exists("def")), "zone")))),
                        toPlace("default", Map.of("abc", "", "xyz", ""), interPod().antiAffinity(
                                term(expressions(exists("abc")), "zone"), term(expressions(exists("def")), "zone"))),
                        REASON_ANTI_AFFINITY),
                single("PodAntiAffinity symmetry check b2: incoming pod and existing pod partially match each other on AffinityTerms",
                        List.of(podOn("p", "node1", Map.of("abc", "", "xyz", ""), interPod().antiAffinity(
                                term(expressions(exists("abc")), "zone"), term(expressions(exists("def")), "zone")))),
                        toPlace("default", Map.of("def", "", "xyz", ""), interPod().antiAffinity(
                                term(expressions(exists("abc")), "zone"), term(expressions(exists("def")), "zone"))),
                        REASON_ANTI_AFFINITY),
                single("affinity with NamespaceSelector",
                        List.of(podOn("p", "node1", "subteam1.team1", SCAN, interPod())),
                        toPlace("default", SECURITY_S1, interPod().affinity(termSelectingNamespaces(
                                expressions(in("service", "securityscan", "value2")), "region", expressions(in("team", "team1"))))),
                        OK),
                single("affinity with non-matching NamespaceSelector",
                        List.of(podOn("p", "node1", "subteam1.team2", SCAN, interPod())),
                        toPlace("default", SECURITY_S1, interPod().affinity(termSelectingNamespaces(
                                expressions(in("service", "securityscan", "value2")), "region", expressions(in("team", "team1"))))),
                        REASON_AFFINITY),
                single("anti-affinity with matching NamespaceSelector",
                        List.of(podOn("p", "node1", "subteam2.team1", SCAN, interPod())),
                        toPlace("subteam1.team1", SECURITY_S1, interPod().antiAffinity(termSelectingNamespaces(
                                expressions(in("service", "securityscan", "value2")), "zone", expressions(in("team", "team1"))))),
                        REASON_ANTI_AFFINITY),
                single("anti-affinity with matching all NamespaceSelector",
                        List.of(podOn("p", "node1", "subteam2.team1", SCAN, interPod())),
                        toPlace("subteam1.team1", SECURITY_S1, interPod().antiAffinity(termSelectingNamespaces(
                                expressions(in("service", "securityscan", "value2")), "zone", labels()))),
                        REASON_ANTI_AFFINITY),
                single("anti-affinity with non-matching NamespaceSelector",
                        List.of(podOn("p", "node1", "subteam1.team2", SCAN, interPod())),
                        toPlace("subteam1.team1", SECURITY_S1, interPod().antiAffinity(termSelectingNamespaces(
                                expressions(in("service", "securityscan", "value2")), "zone", expressions(in("team", "team1"))))),
                        OK),
                // Beyond upstream's table: terms without a selector (the API's "no selector").
                single("anti-affinity term without a selector selects no pod", scanOnNode1(),
                        toPlace("default", SECURITY_S1, interPod().antiAffinity(
                                new io.kubenexus.scheduler.core.model.PodAffinityTerm(null, Set.of(), null, "zone"))),
                        OK),
                single("affinity term without a selector is never satisfied", scanOnNode1(),
                        toPlace("default", SECURITY_S1, interPod().affinity(
                                new io.kubenexus.scheduler.core.model.PodAffinityTerm(null, Set.of(), null, "zone"))),
                        REASON_AFFINITY));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"requiredAffinitySingleNode", "requiredAffinityMultipleNodes"})
    void filters(FilterCase c) {
        ClusterUnderTest cluster = ClusterUnderTest.of(c.nodes(), List.of());
        NAMESPACES.forEach(cluster.state()::upsertNamespace);
        c.pods().forEach(cluster.state()::upsertPod);
        FilterOutcome outcome = cluster.filter(new InterPodAffinity(1), c.pod());

        assertThat(outcome.survivors()).isEqualTo(c.fit());
        assertThat(outcome.reasons()).isEqualTo(c.reasons());
    }

    private static List<NodeInfo> regions() {
        return List.of(n("nodeA", "region", "r1", "zone", "z11"), n("nodeB", "region", "r1", "zone", "z12"),
                n("nodeC", "region", "r2", "zone", "z21"));
    }

    private static FilterCase multi(String name, List<NodeInfo> nodes, List<PodInfo> pods, PodInfo pod,
                                    Map<String, String> verdicts) {
        return new FilterCase(name, nodes, pods, pod, verdicts);
    }

    /** nodeA {region: r1, zone: z1}, nodeB {region: r1, zone: zoneOfB}, with hostnames. */
    private static List<NodeInfo> abNodes(String zoneOfB) {
        return List.of(n("nodeA", "region", "r1", "zone", "z1", "hostname", "nodeA"),
                n("nodeB", "region", "r1", "zone", zoneOfB, "hostname", "nodeB"));
    }

    private static List<NodeInfo> chinaChinaIndia() {
        return List.of(n("nodeA", "region", "China"), n("nodeB", "region", "China", "az", "az1"), n("nodeC", "region", "India"));
    }

    static Stream<FilterCase> requiredAffinityMultipleNodes() {
        return Stream.of(
                multi("A pod can be scheduled onto all the nodes that have the same topology key & label value with one of them has an existing pod that matches the affinity rules",
                        List.of(n("node1", "region", "China"), n("node2", "region", "China", "az", "az1"), n("node3", "region", "India")),
                        List.of(podOn("p1", "node1", Map.of("foo", "bar"))),
                        toPlace("default", NONE, interPod().affinity(term(expressions(in("foo", "bar")), "region"))),
                        verdicts("node1", OK, "node2", OK, "node3", REASON_AFFINITY)),
                multi("The affinity rule is to schedule all of the pods of this collection to the same zone. The first pod of the collection "
                                + "should not be blocked from being scheduled onto any node, even there's no existing pod that matches the rule anywhere.",
                        List.of(n("nodeA", "zone", "az1", "hostname", "h1"), n("nodeB", "zone", "az2", "hostname", "h2")),
                        List.of(podOn("p1", "nodeA", Map.of("foo", "bar"))),
                        toPlace("default", Map.of("foo", "bar", "service", "securityscan"), interPod().affinity(
                                term(expressions(in("foo", "bar")), "zone"), term(expressions(in("service", "securityscan")), "zone"))),
                        verdicts("nodeA", OK, "nodeB", OK)),
                multi("The first pod of the collection can only be scheduled on nodes labelled with the requested topology keys",
                        List.of(n("nodeA", "zoneLabel", "az1", "hostname", "h1"), n("nodeB", "zoneLabel", "az2", "hostname", "h2")),
                        List.of(podOn("p1", "nodeA", Map.of("foo", "bar"))),
                        toPlace("default", Map.of("foo", "bar", "service", "securityscan"), interPod().affinity(
                                term(expressions(in("foo", "bar")), "zone"), term(expressions(in("service", "securityscan")), "zone"))),
                        verdicts("nodeA", REASON_AFFINITY, "nodeB", REASON_AFFINITY)),
                multi("NodeA and nodeB have same topologyKey and label value. NodeA has an existing pod that matches the inter pod affinity rule. The pod can not be scheduled onto nodeA and nodeB.",
                        List.of(n("nodeA", "region", "r1", "hostname", "nodeA"), n("nodeB", "region", "r1", "hostname", "nodeB")),
                        List.of(podOn("p1", "nodeA", Map.of("foo", "abc"))),
                        toPlace("default", NONE, interPod().antiAffinity(term(expressions(in("foo", "abc")), "region"))),
                        verdicts("nodeA", REASON_ANTI_AFFINITY, "nodeB", REASON_ANTI_AFFINITY)),
                multi("This test ensures that anti-affinity matches a pod when any term of the anti-affinity rule matches a pod.",
                        abNodes("z2"), List.of(podOn("p1", "nodeA", Map.of("foo", "abc", "service", "securityscan"))),
                        toPlace("default", NONE, interPod().antiAffinity(term(expressions(in("foo", "abc")), "region"),
                                term(expressions(in("service", "securityscan")), "zone"))),
                        verdicts("nodeA", REASON_ANTI_AFFINITY, "nodeB", REASON_ANTI_AFFINITY)),
                multi("NodeA and nodeB have same topologyKey and label value. NodeA has an existing pod that matches the inter pod affinity rule. The pod can not be scheduled onto nodeA and nodeB but can be scheduled onto nodeC",
                        chinaChinaIndia(), List.of(podOn("p1", "nodeA", Map.of("foo", "abc"))),
                        toPlace("default", NONE, interPod().antiAffinity(term(expressions(in("foo", "abc")), "region"))),
                        verdicts("nodeA", REASON_ANTI_AFFINITY, "nodeB", REASON_ANTI_AFFINITY, "nodeC", OK)),
                multi("NodeA and nodeB have same topologyKey and label value. NodeA has an existing pod that matches the inter pod affinity rule. The pod can not be scheduled onto nodeA, nodeB, but can be scheduled onto nodeC (NodeC has an existing pod that match the inter pod affinity rule but in different namespace)",
                        chinaChinaIndia(),
                        List.of(podOn("p1", "nodeA", "NS1", Map.of("foo", "bar"), interPod()),
                                podOn("p2", "nodeC", "NS2", NONE, interPod().antiAffinity(term(expressions(in("foo", "123")), "region")))),
                        toPlace("NS1", Map.of("foo", "123"), interPod().antiAffinity(term(expressions(in("foo", "bar")), "region"))),
                        verdicts("nodeA", REASON_ANTI_AFFINITY, "nodeB", REASON_ANTI_AFFINITY, "nodeC", OK)),
                multi("Test existing pod's anti-affinity: if an existing pod has a term with invalid topologyKey, labelSelector of the term is firstly checked, and then topologyKey of the term is also checked",
                        abNodes("z1"), List.of(podOn("p1", "nodeA", NONE, interPod().antiAffinity(term(expressions(exists("foo")), "invalid-node-label")))),
                        toPlace("default", Map.of("foo", ""), interPod()),
                        verdicts("nodeA", OK, "nodeB", OK)),
                multi("Test incoming pod's anti-affinity: even if labelSelector matches, we still check if topologyKey matches",
                        abNodes("z1"), List.of(podOn("p1", "nodeA", Map.of("foo", ""))),
                        toPlace("default", NONE, interPod().antiAffinity(term(expressions(exists("foo")), "invalid-node-label"))),
                        verdicts("nodeA", OK, "nodeB", OK)),
                multi("Test existing pod's anti-affinity: incoming pod wouldn't considered as a fit as it violates each existingPod's terms on all nodes",
                        abNodes("z2"),
                        List.of(podOn("p1", "nodeA", NONE, interPod().antiAffinity(term(expressions(exists("foo")), "zone"))),
                                podOn("p2", "nodeA", NONE, interPod().antiAffinity(term(expressions(exists("bar")), "region")))),
                        toPlace("default", Map.of("foo", "", "bar", ""), interPod()),
                        verdicts("nodeA", REASON_EXISTING_ANTI_AFFINITY, "nodeB", REASON_EXISTING_ANTI_AFFINITY)),
                multi("Test incoming pod's anti-affinity: incoming pod wouldn't considered as a fit as it at least violates one anti-affinity rule of existingPod",
                        abNodes("z2"), List.of(podOn("p1", "nodeA", Map.of("foo", "")), podOn("p2", "nodeB", Map.of("bar", ""))),
                        toPlace("default", NONE, interPod().antiAffinity(term(expressions(exists("foo")), "zone"),
                                term(expressions(exists("bar")), "region"))),
                        verdicts("nodeA", REASON_ANTI_AFFINITY, "nodeB", REASON_ANTI_AFFINITY)),
                multi("Test existing pod's anti-affinity: only when labelSelector and topologyKey both match, it's counted as a single term match - case when one term has invalid topologyKey",
                        abNodes("z2"), List.of(podOn("p1", "nodeA", NONE, interPod()
                                .antiAffinity(term(expressions(exists("foo")), "invalid-node-label"), term(expressions(exists("bar")), "zone")))),
                        toPlace("default", Map.of("foo", "", "bar", ""), interPod()),
                        verdicts("nodeA", REASON_EXISTING_ANTI_AFFINITY, "nodeB", OK)),
                multi("Test incoming pod's anti-affinity: only when labelSelector and topologyKey both match, it's counted as a single term match - case when one term has invalid topologyKey",
                        abNodes("z2"), List.of(podOn("podA", "nodeA", Map.of("foo", "", "bar", ""))),
                        toPlace("default", NONE, interPod().antiAffinity(term(expressions(exists("foo")), "invalid-node-label"),
                                term(expressions(exists("bar")), "zone"))),
                        verdicts("nodeA", REASON_ANTI_AFFINITY, "nodeB", OK)),
                multi("Test existing pod's anti-affinity: only when labelSelector and topologyKey both match, it's counted as a single term match - case when all terms have valid topologyKey",
                        abNodes("z2"), List.of(podOn("p1", "nodeA", NONE, interPod()
                                .antiAffinity(term(expressions(exists("foo")), "region"), term(expressions(exists("bar")), "zone")))),
                        toPlace("default", Map.of("foo", "", "bar", ""), interPod()),
                        verdicts("nodeA", REASON_EXISTING_ANTI_AFFINITY, "nodeB", REASON_EXISTING_ANTI_AFFINITY)),
                multi("Test incoming pod's anti-affinity: only when labelSelector and topologyKey both match, it's counted as a single term match - case when all terms have valid topologyKey",
                        abNodes("z2"), List.of(podOn("p1", "nodeA", Map.of("foo", "", "bar", ""))),
                        toPlace("default", NONE, interPod().antiAffinity(term(expressions(exists("foo")), "region"),
                                term(expressions(exists("bar")), "zone"))),
                        verdicts("nodeA", REASON_ANTI_AFFINITY, "nodeB", REASON_ANTI_AFFINITY)),
                multi("Test existing pod's anti-affinity: existingPod on nodeA and nodeB has at least one anti-affinity term matches incoming pod, so incoming pod can only be scheduled to nodeC",
                        List.of(n("nodeA", "region", "r1", "zone", "z1"), n("nodeB", "region", "r1", "zone", "z2"), n("nodeC", "region", "r1", "zone", "z3")),
                        List.of(podOn("p1", "nodeA", NONE, interPod().antiAffinity(term(expressions(exists("foo")), "zone"),
                                        term(expressions(exists("labelA")), "zone"))),
                                podOn("p2", "nodeB", NONE, interPod().antiAffinity(term(expressions(exists("bar")), "zone"),
                                        term(expressions(exists("labelB")), "zone")))),
                        toPlace("default", Map.of("foo", "", "bar", ""), interPod()),
                        verdicts("nodeA", REASON_EXISTING_ANTI_AFFINITY, "nodeB", REASON_EXISTING_ANTI_AFFINITY, "nodeC", OK)),
                multi("Test incoming pod's affinity: firstly check if all affinityTerms match, and then check if all topologyKeys match",
                        abNodes("z1"), List.of(podOn("pod1", "nodeA", Map.of("foo", "", "bar", ""))),
                        toPlace("default", NONE, interPod().affinity(term(expressions(exists("foo")), "region"),
                                term(expressions(exists("bar")), "zone"))),
                        verdicts("nodeA", OK, "nodeB", OK)),
                multi("Test incoming pod's affinity: firstly check if all affinityTerms match, and then check if all topologyKeys match, and the match logic should be satisfied on the same pod",
                        abNodes("z2"), List.of(podOn("pod1", "nodeA", Map.of("foo", "")), podOn("pod2", "nodeB", Map.of("bar", ""))),
                        toPlace("default", NONE, interPod().affinity(term(expressions(exists("foo")), "region"),
                                term(expressions(exists("bar")), "zone"))),
                        verdicts("nodeA", REASON_AFFINITY, "nodeB", REASON_AFFINITY)),
                // Beyond upstream's table.
                multi("self affinity: once a matching pod runs, only its domain fits",
                        regions(), List.of(podOn("e", "nodeC", Map.of("app", "web"))),
                        toPlace("default", Map.of("app", "web"), interPod().affinity(term(labels("app", "web"), "region"))),
                        verdicts("nodeA", REASON_AFFINITY, "nodeB", REASON_AFFINITY, "nodeC", OK)),
                multi("existing pods' anti-affinity on two keys",
                        regions(), List.of(podOn("e1", "nodeA", NONE, interPod()
                                .antiAffinity(term(expressions(exists("foo")), "zone"), term(expressions(exists("bar")), "region")))),
                        toPlace("default", Map.of("bar", ""), interPod()),
                        verdicts("nodeA", REASON_EXISTING_ANTI_AFFINITY, "nodeB", REASON_EXISTING_ANTI_AFFINITY, "nodeC", OK)),
                multi("incoming pod's anti-affinity with an empty namespace selector counts every namespace",
                        regions(), List.of(podOn("e1", "nodeA", "ns2", Map.of("foo", ""), interPod())),
                        toPlace("default", NONE, interPod().antiAffinity(termSelectingNamespaces(expressions(exists("foo")), "region", labels()))),
                        verdicts("nodeA", REASON_ANTI_AFFINITY, "nodeB", REASON_ANTI_AFFINITY, "nodeC", OK)));
    }

    @Test
    void namespaceSelectorFollowsNamespaceLabels() {
        ClusterUnderTest cluster = ClusterUnderTest.of(regions(),
                List.of(pod("e1").namespace("team-a").boundTo("nodeA").label("app", "db").build()));
        PodInfo web = toPlace("default", Map.of(), interPod().affinity(
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

    private static NodeInfo n(String name, String... labels) {
        var fixture = node(name);
        for (int i = 0; i < labels.length; i += 2) {
            fixture.label(labels[i], labels[i + 1]);
        }
        return fixture.build();
    }

    private static PodInfo podOn(String name, String node, String namespace, Map<String, String> labels,
                                 InterPodFixture terms) {
        var fixture = pod(name).namespace(namespace).boundTo(node).interPod(terms.build());
        labels.forEach(fixture::label);
        return fixture.build();
    }

    private static PodInfo podOn(String name, String node, Map<String, String> labels) {
        return podOn(name, node, "default", labels, interPod());
    }

    private static PodInfo podOn(String name, String node, Map<String, String> labels, InterPodFixture terms) {
        return podOn(name, node, "default", labels, terms);
    }

    private static PodInfo toPlace(String namespace, Map<String, String> labels, InterPodFixture terms) {
        var fixture = pod("incoming").namespace(namespace).interPod(terms.build());
        labels.forEach(fixture::label);
        return fixture.build();
    }

    private static final Map<String, Map<String, String>> NAMESPACES = Map.of(
            "subteam1.team1", Map.of("team", "team1"), "subteam2.team1", Map.of("team", "team1"),
            "subteam1.team2", Map.of("team", "team2"), "subteam2.team2", Map.of("team", "team2"));

    // The terms of kube-scheduler's scoring_test.go, by its names.
    private static InterPodFixture stayWithS1InRegion() {
        return interPod().preferredAffinity(5, term(expressions(in("security", "S1")), "region"));
    }

    private static InterPodFixture stayWithS2InRegion() {
        return interPod().preferredAffinity(6, term(expressions(in("security", "S2")), "region"));
    }

    private static InterPodFixture affinity3() {
        return interPod()
                .preferredAffinity(8, term(expressions(notIn("security", "S1"), in("security", "S2")), "region"))
                .preferredAffinity(2, term(expressions(exists("security"), doesNotExist("wrongkey")), "region"));
    }

    private static InterPodFixture hardAffinity() {
        return interPod().affinity(term(expressions(in("security", "S1", "value2")), "region"),
                term(expressions(exists("security"), doesNotExist("wrongkey")), "region"));
    }

    private static InterPodFixture awayFromS1InAz() {
        return interPod().preferredAntiAffinity(5, term(expressions(in("security", "S1")), "az"));
    }

    private static InterPodFixture awayFromS2InAz() {
        return interPod().preferredAntiAffinity(5, term(expressions(in("security", "S2")), "az"));
    }

    private static InterPodFixture stayWithS1InRegionAwayFromS2InAz() {
        return interPod().preferredAffinity(8, term(expressions(in("security", "S1")), "region"))
                .preferredAntiAffinity(5, term(expressions(in("security", "S2")), "az"));
    }

    private static io.kubenexus.scheduler.core.model.PodAffinityTerm s1InTeam1OrSubteam22() {
        return new io.kubenexus.scheduler.core.model.PodAffinityTerm(expressions(in("security", "S1")),
                Set.of("subteam2.team2"), expressions(in("team", "team1")), "region");
    }

    private static InterPodFixture affinityNamespaceSelector() {
        return interPod().preferredAffinity(5, s1InTeam1OrSubteam22());
    }

    private static InterPodFixture antiAffinityNamespaceSelector() {
        return interPod().preferredAntiAffinity(5, s1InTeam1OrSubteam22());
    }

    private static InterPodFixture hardPodAffinity() {
        return interPod().affinity(new io.kubenexus.scheduler.core.model.PodAffinityTerm(
                expressions(in("service", "S1")), Set.of("default", "subteam2.team2"), expressions(in("team", "team1")),
                "region"));
    }

    private static final Map<String, String> NONE = Map.of();
    private static final Map<String, String> SERVICE_S1 = Map.of("service", "S1");

    private static List<NodeInfo> chinaIndiaAz1() {
        return List.of(n("node1", "region", "China"), n("node2", "region", "India"), n("node3", "az", "az1"));
    }

    private static Map<String, Long> expect(long... scores) {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < scores.length; i++) {
            out.put("node" + (i + 1), scores[i]);
        }
        return out;
    }

    static Stream<ScoreCase> preferredAffinity() {
        return Stream.of(
                new ScoreCase("all nodes are same priority as Affinity is nil", 1, chinaIndiaAz1(), List.of(),
                        toPlace("default", SECURITY_S1, interPod()), expect(0, 0, 0)),
                new ScoreCase("Affinity: pod that matches topology key & pods in nodes will get high score comparing to others"
                        + "which doesn't match either pods in nodes or in topology key", 1, chinaIndiaAz1(),
                        List.of(podOn("p1", "node1", SECURITY_S1), podOn("p2", "node2", SECURITY_S2), podOn("p3", "node3", SECURITY_S1)),
                        toPlace("default", SECURITY_S1, stayWithS1InRegion()), expect(100, 0, 0)),
                new ScoreCase("All the nodes that have the same topology key & label value with one of them has an existing pod that match the affinity rules, have the same score",
                        1, List.of(n("node1", "region", "China"), n("node2", "region", "China", "az", "az1"), n("node3", "region", "India")),
                        List.of(podOn("p1", "node1", SECURITY_S1)),
                        toPlace("default", NONE, stayWithS1InRegion()), expect(100, 100, 0)),
                new ScoreCase("Affinity: nodes in one region has more matching pods comparing to other region, so the region which has more matches will get high score",
                        1, List.of(n("node1", "region", "China"), n("node2", "region", "India"), n("node3", "region", "China"),
                                n("node4", "region", "China"), n("node5", "region", "India")),
                        List.of(podOn("p1", "node1", SECURITY_S2), podOn("p2", "node1", SECURITY_S2), podOn("p3", "node2", SECURITY_S2),
                                podOn("p4", "node3", SECURITY_S2), podOn("p5", "node4", SECURITY_S2), podOn("p6", "node5", SECURITY_S2)),
                        toPlace("default", SECURITY_S1, stayWithS2InRegion()), expect(100, 0, 100, 100, 0)),
                new ScoreCase("Affinity: different Label operators and values for pod affinity scheduling preference, including some match failures ",
                        1, chinaIndiaAz1(),
                        List.of(podOn("p1", "node1", SECURITY_S1), podOn("p2", "node2", SECURITY_S2), podOn("p3", "node3", SECURITY_S1)),
                        toPlace("default", SECURITY_S1, affinity3()), expect(20, 100, 0)),
                new ScoreCase("Affinity symmetry: considered only the preferredDuringSchedulingIgnoredDuringExecution in pod affinity symmetry",
                        1, chinaIndiaAz1(),
                        List.of(podOn("p1", "node1", SECURITY_S1, stayWithS1InRegion()), podOn("p2", "node2", SECURITY_S2, stayWithS2InRegion())),
                        toPlace("default", SECURITY_S2, interPod()), expect(0, 100, 0)),
                new ScoreCase("Affinity symmetry with namespace selector", 1, chinaIndiaAz1(),
                        List.of(podOn("p1", "node1", SECURITY_S1, affinityNamespaceSelector()), podOn("p2", "node2", SECURITY_S2, stayWithS2InRegion())),
                        toPlace("subteam1.team1", SECURITY_S1, interPod()), expect(100, 0, 0)),
                new ScoreCase("AntiAffinity symmetry with namespace selector", 1, chinaIndiaAz1(),
                        List.of(podOn("p1", "node1", SECURITY_S1, antiAffinityNamespaceSelector()), podOn("p2", "node2", SECURITY_S2, stayWithS2InRegion())),
                        toPlace("subteam1.team1", SECURITY_S1, interPod()), expect(0, 100, 100)),
                new ScoreCase("Affinity symmetry: considered RequiredDuringSchedulingIgnoredDuringExecution in pod affinity symmetry",
                        1, chinaIndiaAz1(),
                        List.of(podOn("p1", "node1", SECURITY_S1, hardAffinity()), podOn("p2", "node2", SECURITY_S2, hardAffinity())),
                        toPlace("default", SECURITY_S1, interPod()), expect(100, 100, 0)),
                new ScoreCase("Anti Affinity: pod that does not match existing pods in node will get high score ",
                        1, List.of(n("node1", "az", "az1"), n("node2", "region", "China")),
                        List.of(podOn("p1", "node1", SECURITY_S1), podOn("p2", "node2", SECURITY_S2)),
                        toPlace("default", SECURITY_S1, awayFromS1InAz()), expect(0, 100)),
                new ScoreCase("Anti Affinity: pod that does not match topology key & match the pods in nodes will get higher score comparing to others ",
                        1, List.of(n("node1", "az", "az1"), n("node2", "region", "China")),
                        List.of(podOn("p1", "node1", SECURITY_S1), podOn("p2", "node2", SECURITY_S1)),
                        toPlace("default", SECURITY_S1, awayFromS1InAz()), expect(0, 100)),
                new ScoreCase("Anti Affinity: one node has more matching pods comparing to other node, so the node which has more unmatches will get high score",
                        1, List.of(n("node1", "az", "az1"), n("node2", "region", "India")),
                        List.of(podOn("p1", "node1", SECURITY_S1), podOn("p2", "node1", SECURITY_S1), podOn("p3", "node2", SECURITY_S2)),
                        toPlace("default", SECURITY_S1, awayFromS1InAz()), expect(0, 100)),
                new ScoreCase("Anti Affinity symmetry: the existing pods in node which has anti affinity match will get high score",
                        1, List.of(n("node1", "az", "az1"), n("node2", "az", "az2")),
                        List.of(podOn("p1", "node1", SECURITY_S1, awayFromS2InAz()), podOn("p2", "node2", SECURITY_S2, awayFromS1InAz())),
                        toPlace("default", SECURITY_S2, interPod()), expect(0, 100)),
                new ScoreCase("Affinity and Anti Affinity: considered only preferredDuringSchedulingIgnoredDuringExecution in both pod affinity & anti affinity",
                        1, List.of(n("node1", "region", "China"), n("node2", "az", "az1")),
                        List.of(podOn("p1", "node1", SECURITY_S1), podOn("p2", "node2", SECURITY_S1)),
                        toPlace("default", SECURITY_S1, stayWithS1InRegionAwayFromS2InAz()), expect(100, 0)),
                new ScoreCase("Affinity and Anti Affinity: considering both affinity and anti-affinity, the pod to schedule and existing pods have the same labels",
                        1, List.of(n("node1", "region", "China", "az", "az1"), n("node2", "region", "India"), n("node3", "region", "China"),
                                n("node4", "region", "China"), n("node5", "region", "India")),
                        List.of(podOn("p1", "node1", SECURITY_S1), podOn("p2", "node1", SECURITY_S1), podOn("p3", "node2", SECURITY_S1),
                                podOn("p4", "node3", SECURITY_S1), podOn("p5", "node3", SECURITY_S1), podOn("p6", "node4", SECURITY_S1),
                                podOn("p7", "node5", SECURITY_S1)),
                        toPlace("default", SECURITY_S1, stayWithS1InRegionAwayFromS2InAz()), expect(100, 0, 100, 100, 0)),
                new ScoreCase("Affinity and Anti Affinity and symmetry: considered only preferredDuringSchedulingIgnoredDuringExecution in both pod affinity & anti affinity & symmetry",
                        1, List.of(n("node1", "region", "China"), n("node2", "az", "az1"), n("node3", "region", "India"), n("node4", "az", "az2")),
                        List.of(podOn("p1", "node1", SECURITY_S1), podOn("p2", "node2", SECURITY_S2),
                                podOn("p3", "node3", NONE, stayWithS1InRegionAwayFromS2InAz()), podOn("p4", "node4", NONE, awayFromS1InAz())),
                        toPlace("default", SECURITY_S1, stayWithS1InRegionAwayFromS2InAz()), expect(100, 0, 100, 0)),
                new ScoreCase("Avoid panic when partial nodes in a topology don't have pods with affinity",
                        1, List.of(n("node1", "region", "China"), n("node2", "region", "China")),
                        List.of(podOn("p1", "node1", SECURITY_S1), podOn("p2", "node2", NONE, stayWithS1InRegionAwayFromS2InAz())),
                        toPlace("default", SECURITY_S1, interPod()), expect(0, 0)),
                new ScoreCase("Affinity with pods matching NamespaceSelector",
                        1, List.of(n("node1", "region", "China"), n("node2", "region", "India")),
                        List.of(podOn("p1", "node1", "subteam1.team1", SECURITY_S1, interPod()), podOn("p2", "node1", "subteam1.team1", SECURITY_S1, interPod()),
                                podOn("p3", "node1", "subteam1.team2", SECURITY_S1, interPod()), podOn("p4", "node2", "subteam2.team1", SECURITY_S1, interPod())),
                        toPlace("subteam1.team1", SECURITY_S1, affinityNamespaceSelector()), expect(100, 0)),
                new ScoreCase("Affinity with pods matching both NamespaceSelector and Namespaces fields",
                        1, List.of(n("node1", "region", "China"), n("node2", "region", "India")),
                        List.of(podOn("p1", "node1", "subteam1.team1", SECURITY_S1, interPod()), podOn("p2", "node1", "subteam1.team1", SECURITY_S1, interPod()),
                                podOn("p3", "node1", "subteam2.team2", SECURITY_S1, interPod()), podOn("p4", "node2", "subteam2.team1", SECURITY_S1, interPod())),
                        toPlace("subteam1.team1", SECURITY_S1, affinityNamespaceSelector()), expect(100, 0)),
                new ScoreCase("Affinity with pods matching NamespaceSelector (anti-affinity)",
                        1, List.of(n("node1", "region", "China"), n("node2", "region", "India")),
                        List.of(podOn("p1", "node1", "subteam1.team1", SECURITY_S1, interPod()), podOn("p2", "node1", "subteam1.team1", SECURITY_S1, interPod()),
                                podOn("p3", "node1", "subteam1.team2", SECURITY_S1, interPod()), podOn("p4", "node2", "subteam2.team1", SECURITY_S1, interPod())),
                        toPlace("subteam1.team1", SECURITY_S1, antiAffinityNamespaceSelector()), expect(0, 100)),
                new ScoreCase("Affinity with pods matching both NamespaceSelector and Namespaces fields (anti-affinity)",
                        1, List.of(n("node1", "region", "China"), n("node2", "region", "India")),
                        List.of(podOn("p1", "node1", "subteam1.team1", SECURITY_S1, interPod()), podOn("p2", "node1", "subteam1.team1", SECURITY_S1, interPod()),
                                podOn("p3", "node1", "subteam2.team2", SECURITY_S1, interPod()), podOn("p4", "node2", "subteam2.team1", SECURITY_S1, interPod())),
                        toPlace("subteam1.team1", SECURITY_S1, antiAffinityNamespaceSelector()), expect(0, 100)),
                new ScoreCase("Do not ignore preferred terms of existing pods",
                        1, List.of(n("node1", "region", "China"), n("node2", "region", "India")),
                        List.of(podOn("p1", "node1", SECURITY_S1, stayWithS1InRegionAwayFromS2InAz()), podOn("p2", "node2", SECURITY_S2, stayWithS2InRegion())),
                        toPlace("default", SECURITY_S2, interPod()), expect(0, 100)),
                // TestPreferredAffinityWithHardPodAffinitySymmetricWeight
                new ScoreCase("with default weight", 1, chinaIndiaAz1(),
                        List.of(podOn("p1", "node1", NONE, hardPodAffinity()), podOn("p2", "node2", NONE, hardPodAffinity())),
                        toPlace("default", SERVICE_S1, interPod()), expect(100, 100, 0)),
                new ScoreCase("with zero weight", 0, chinaIndiaAz1(),
                        List.of(podOn("p1", "node1", NONE, hardPodAffinity()), podOn("p2", "node2", NONE, hardPodAffinity())),
                        toPlace("default", SERVICE_S1, interPod()), expect(0, 0, 0)),
                new ScoreCase("with no matching namespace", 1, chinaIndiaAz1(),
                        List.of(podOn("p1", "node1", NONE, hardPodAffinity()), podOn("p2", "node2", NONE, hardPodAffinity())),
                        toPlace("subteam1.team2", SERVICE_S1, interPod()), expect(0, 0, 0)),
                new ScoreCase("with matching NamespaceSelector", 1, chinaIndiaAz1(),
                        List.of(podOn("p1", "node1", NONE, hardPodAffinity()), podOn("p2", "node2", NONE, hardPodAffinity())),
                        toPlace("subteam1.team1", SERVICE_S1, interPod()), expect(100, 100, 0)),
                new ScoreCase("with matching Namespaces", 1, chinaIndiaAz1(),
                        List.of(podOn("p1", "node1", NONE, hardPodAffinity()), podOn("p2", "node2", NONE, hardPodAffinity())),
                        toPlace("subteam2.team2", SERVICE_S1, interPod()), expect(100, 100, 0)),
                // Beyond upstream's tables: a term naming another namespace, a negative min.
                new ScoreCase("a term naming another namespace counts only that namespace's pods", 1,
                        List.of(n("node1", "region", "China"), n("node2", "region", "India")),
                        List.of(podOn("p1", "node1", SECURITY_S1), podOn("p2", "node2", "ns2", SECURITY_S1, interPod())),
                        toPlace("default", NONE, interPod().preferredAffinity(5, termIn(expressions(in("security", "S1")), "region", "ns2"))),
                        expect(0, 100)),
                new ScoreCase("scores below zero are normalized from the minimum", 1, chinaIndiaAz1(),
                        List.of(podOn("p1", "node1", SECURITY_S1), podOn("p2", "node2", SECURITY_S2),
                                podOn("p3", "node3", NONE, interPod().preferredAffinity(7, term(expressions(in("security", "S1")), "az")))),
                        // raw: node1 5, node2 -5, node3 7
                        toPlace("default", SECURITY_S1, interPod()
                                .preferredAffinity(5, term(expressions(in("security", "S1")), "region"))
                                .preferredAntiAffinity(5, term(expressions(in("security", "S2")), "region"))),
                        expect(83, 0, 100)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("preferredAffinity")
    void scores(ScoreCase c) {
        ClusterUnderTest cluster = ClusterUnderTest.of(c.nodes(), List.of());
        NAMESPACES.forEach(cluster.state()::upsertNamespace);
        c.pods().forEach(cluster.state()::upsertPod);
        InterPodAffinity plugin = new InterPodAffinity(c.hardPodAffinityWeight());

        long uniform = plugin.uniformScore(cluster.state().podContext(c.pod()), cluster.state());
        Map<String, Long> scores = uniform == InterPodAffinity.SCORE_EACH_NODE
                ? new java.util.LinkedHashMap<>(cluster.scores(plugin, c.pod())) : uniformly(c.nodes(), uniform);

        assertThat(scores).isEqualTo(c.expected());
    }

    private static Map<String, Long> uniformly(List<NodeInfo> nodes, long score) {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        nodes.forEach(n -> out.put(n.name(), score));
        return out;
    }

    @Test
    void podsWithoutTermsInAClusterWithoutTermsScoreUniformly() {
        ClusterUnderTest cluster = ClusterUnderTest.of(chinaIndiaAz1(),
                List.of(podOn("p1", "node1", SECURITY_S1), podOn("p2", "node2", SECURITY_S2)));
        PodInfo plain = toPlace("default", SECURITY_S1, interPod());
        InterPodAffinity plugin = new InterPodAffinity(1);

        assertThat(plugin.uniformScore(cluster.state().podContext(plain), cluster.state())).isZero();
    }
}
