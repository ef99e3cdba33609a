package io.kubenexus.scheduler.core.plugins;

import static io.kubenexus.scheduler.core.plugins.PodTopologySpread.REASON;
import static io.kubenexus.scheduler.core.plugins.PodTopologySpread.REASON_MISSING_LABEL;
import static io.kubenexus.scheduler.core.testing.InterPodFixture.exists;
import static io.kubenexus.scheduler.core.testing.InterPodFixture.expressions;
import static io.kubenexus.scheduler.core.testing.InterPodFixture.hard;
import static io.kubenexus.scheduler.core.testing.InterPodFixture.interPod;
import static io.kubenexus.scheduler.core.testing.InterPodFixture.soft;
import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.config.InterPodSettings;
import io.kubenexus.scheduler.core.framework.FilterPlugin;
import io.kubenexus.scheduler.core.model.LabelSelector;
import io.kubenexus.scheduler.core.model.NodeInclusionPolicy;
import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.TaintEffect;
import io.kubenexus.scheduler.core.model.TopologySpreadConstraint;
import io.kubenexus.scheduler.core.plugins.ClusterUnderTest.FilterOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * kube-scheduler's PodTopologySpread semantics, case by case: cases of its filtering_test.go and
 * scoring_test.go (named as upstream names them), expressed with our fixtures.
 */
class PodTopologySpreadTest {
    private static final LabelSelector FOO = expressions(exists("foo"));
    private static final String HOST = InterPodSettings.HOSTNAME;

    private static NodeInfo n(String name, String zone) {
        var fixture = node(name).label(HOST, name);
        if (zone != null) {
            fixture.label("zone", zone);
        }
        return fixture.build();
    }

    /** node-a, node-b in zone1; node-x, node-y in zone2. */
    private static List<NodeInfo> fourNodes() {
        return List.of(n("node-a", "zone1"), n("node-b", "zone1"), n("node-x", "zone2"), n("node-y", "zone2"));
    }

    /** {@code count} pods labelled foo on each node, e.g. {@code spread("node-a", 2, "node-b", 1)}. */
    private static List<PodInfo> spread(Object... nodeAndCount) {
        List<PodInfo> pods = new ArrayList<>();
        for (int i = 0; i < nodeAndCount.length; i += 2) {
            String node = (String) nodeAndCount[i];
            int count = (Integer) nodeAndCount[i + 1];
            for (int p = 0; p < count; p++) {
                pods.add(pod(node + "-p" + p).boundTo(node).label("foo", "").build());
            }
        }
        return pods;
    }

    private static PodInfo incoming(TopologySpreadConstraint... constraints) {
        return pod("incoming").label("foo", "").interPod(interPod().spread(constraints).build()).build();
    }

    record FilterCase(String name, List<NodeInfo> nodes, List<PodInfo> pods, PodInfo pod, Set<String> fit,
                      Map<String, Integer> reasons) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<FilterCase> filterCases() {
        return Stream.of(
                new FilterCase("no existing pods", fourNodes(), List.of(), incoming(hard(1, "zone", FOO)),
                        Set.of("node-a", "node-b", "node-x", "node-y"), Map.of()),
                new FilterCase("no existing pods, incoming pod doesn't match itself", fourNodes(), List.of(),
                        incoming(hard(1, "zone", expressions(exists("bar")))),
                        Set.of("node-a", "node-b", "node-x", "node-y"), Map.of()),
                new FilterCase("existing pods in a different namespace do not count", fourNodes(),
                        List.of(pod("p-a1").namespace("ns1").boundTo("node-a").label("foo", "").build(),
                                pod("p-a2").namespace("ns1").boundTo("node-a").label("foo", "").build(),
                                pod("p-b1").boundTo("node-b").label("foo", "").build()),
                        incoming(hard(1, "zone", FOO)),
                        Set.of("node-x", "node-y"), Map.of(REASON, 2)),
                new FilterCase("pods spread across zones as 3/3, all nodes fit", fourNodes(),
                        spread("node-a", 1, "node-b", 2, "node-x", 1, "node-y", 2), incoming(hard(1, "zone", FOO)),
                        Set.of("node-a", "node-b", "node-x", "node-y"), Map.of()),
                new FilterCase("pods spread across zones as 1/2 due to absence of label 'zone' on node-b",
                        List.of(n("node-a", "zone1"), n("node-b", null), n("node-x", "zone2"), n("node-y", "zone2")),
                        spread("node-a", 1, "node-b", 1, "node-x", 1, "node-y", 1), incoming(hard(1, "zone", FOO)),
                        Set.of("node-a"), Map.of(REASON_MISSING_LABEL, 1, REASON, 2)),
                new FilterCase("pod cannot be scheduled as all nodes don't have label 'rack'", fourNodes(), List.of(),
                        incoming(hard(1, "rack", FOO)), Set.of(), Map.of(REASON_MISSING_LABEL, 4)),
                new FilterCase("pods spread across nodes as 2/1/0/3, only node-x fits", fourNodes(),
                        spread("node-a", 2, "node-b", 1, "node-y", 3), incoming(hard(1, HOST, FOO)),
                        Set.of("node-x"), Map.of(REASON, 3)),
                new FilterCase("pods spread across nodes as 2/1/0/3, maxSkew is 2, node-b and node-x fit", fourNodes(),
                        spread("node-a", 2, "node-b", 1, "node-y", 3), incoming(hard(2, HOST, FOO)),
                        Set.of("node-b", "node-x"), Map.of(REASON, 2)),
                new FilterCase("pods spread across nodes as 2/1/0/3, but pod doesn't match itself", fourNodes(),
                        spread("node-a", 2, "node-b", 1, "node-y", 3),
                        pod("incoming").label("bar", "").interPod(interPod().spread(hard(1, HOST, FOO)).build()).build(),
                        Set.of("node-b", "node-x"), Map.of(REASON, 2)),
                new FilterCase("incoming pod has nodeAffinity, pods spread as 2/~1~/~0~/3, hence node-a fits", fourNodes(),
                        spread("node-a", 2, "node-b", 1, "node-y", 3),
                        withNodeAffinity(hard(1, HOST, FOO), "node-a", "node-y"),
                        Set.of("node-a"), Map.of(REASON, 1, NodeAffinity.REASON, 2)),
                new FilterCase("incoming pod has nodeAffinity, nodeAffinityPolicy Ignore counts every node", fourNodes(),
                        spread("node-a", 2, "node-b", 1, "node-y", 3),
                        withNodeAffinity(hard(1, HOST, FOO, null, NodeInclusionPolicy.IGNORE, null), "node-a", "node-y"),
                        Set.of(), Map.of(REASON, 2, NodeAffinity.REASON, 2)),
                new FilterCase("pods spread across zones as 2/2, minDomains 3: the global minimum is treated as 0",
                        fourNodes(), spread("node-a", 2, "node-x", 2), incoming(hard(2, "zone", FOO, 3, null, null)),
                        Set.of(), Map.of(REASON, 4)),
                new FilterCase("pods spread across zones as 2/2, minDomains 2 is met: skew counts as usual",
                        fourNodes(), spread("node-a", 2, "node-x", 2), incoming(hard(1, "zone", FOO, 2, null, null)),
                        Set.of("node-a", "node-b", "node-x", "node-y"), Map.of()),
                new FilterCase("pods spread across nodes as 1/1/1/0 with minDomains 5: only nodes with no pods fit maxSkew 1",
                        fourNodes(), spread("node-a", 1, "node-b", 1, "node-x", 1),
                        incoming(hard(1, HOST, FOO, 5, null, null)),
                        Set.of("node-y"), Map.of(REASON, 3)),
                new FilterCase("two Constraints on zone and node, spreads = [3/3, 2/1/0/3]", fourNodes(),
                        spread("node-a", 2, "node-b", 1, "node-y", 3),
                        incoming(hard(1, "zone", FOO), hard(1, HOST, FOO)),
                        Set.of("node-x"), Map.of(REASON, 3)),
                new FilterCase("two Constraints on zone and node, spreads = [3/4, 2/1/0/4]", fourNodes(),
                        spread("node-a", 2, "node-b", 1, "node-y", 4),
                        incoming(hard(1, "zone", FOO), hard(1, HOST, FOO)),
                        Set.of(), Map.of(REASON, 4)),
                new FilterCase("two Constraints on zone and node, 2 nodes don't have zone label",
                        List.of(n("node-a", "zone1"), n("node-b", "zone1"), n("node-x", null), n("node-y", null)),
                        spread("node-a", 2, "node-b", 1, "node-x", 0, "node-y", 3),
                        incoming(hard(1, "zone", FOO), hard(1, HOST, FOO)),
                        Set.of("node-b"), Map.of(REASON_MISSING_LABEL, 2, REASON, 1)),
                new FilterCase("terminating pods do not count", fourNodes(),
                        List.of(pod("t1").boundTo("node-a").label("foo", "").terminating().build(),
                                pod("t2").boundTo("node-a").label("foo", "").terminating().build()),
                        incoming(hard(1, HOST, FOO)),
                        Set.of("node-a", "node-b", "node-x", "node-y"), Map.of()),
                new FilterCase("NodeAffinityPolicy honored with labelSelectors", nodeSelectorNodes(), nodeSelectorPods(),
                        withNodeSelector(hard(1, "node", expressions(exists("bar")))),
                        Set.of("node-a", "node-b"), Map.of(NodeAffinity.REASON, 1)),
                new FilterCase("NodeAffinityPolicy ignored with labelSelectors", nodeSelectorNodes(), nodeSelectorPods(),
                        withNodeSelector(hard(1, "node", expressions(exists("bar")), null, NodeInclusionPolicy.IGNORE, null)),
                        Set.of("node-a"), Map.of(NodeAffinity.REASON, 1, REASON, 1)),
                new FilterCase("constraint without a selector counts no pod", fourNodes(),
                        spread("node-a", 3), incoming(hard(1, HOST, null)),
                        Set.of("node-a", "node-b", "node-x", "node-y"), Map.of()));
    }

    private static List<NodeInfo> nodeSelectorNodes() {
        return List.of(node("node-a").label("node", "node-a").label("foo", "").build(),
                node("node-b").label("node", "node-b").label("foo", "").build(),
                node("node-c").label("node", "node-c").label("bar", "").build());
    }

    private static List<PodInfo> nodeSelectorPods() {
        return List.of(pod("p-a").boundTo("node-a").label("bar", "").build(),
                pod("p-b").boundTo("node-b").label("bar", "").build(),
                pod("p-c").boundTo("node-b").label("bar", "").build(),
                pod("p-d").boundTo("node-c").build());
    }

    private static PodInfo withNodeSelector(TopologySpreadConstraint constraint) {
        return pod("p").label("foo", "").nodeSelector("foo", "").interPod(interPod().spread(constraint).build()).build();
    }

    private static PodInfo withNodeAffinity(TopologySpreadConstraint constraint, String... nodes) {
        return pod("incoming").label("foo", "").requiredTerm(
                io.kubenexus.scheduler.core.testing.PodFixture.req(HOST, io.kubenexus.scheduler.core.model.NodeSelectorOperator.IN, nodes))
                .interPod(interPod().spread(constraint).build()).build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filterCases")
    void filters(FilterCase c) {
        ClusterUnderTest cluster = ClusterUnderTest.of(c.nodes(), c.pods());
        List<FilterPlugin> filters = List.of(new NodeAffinity(), new PodTopologySpread(InterPodSettings.defaults()));
        FilterOutcome outcome = cluster.filter(filters, c.pod());

        assertThat(outcome.survivors()).isEqualTo(c.fit());
        assertThat(outcome.reasons()).isEqualTo(c.reasons());
    }

    @Test
    void nodeTaintsPolicyHonorLeavesUntoleratedNodesOutOfTheMinimum() {
        // node-b is tainted: with Honor its domain (0 pods) does not hold the minimum at 0.
        List<NodeInfo> nodes = List.of(n("node-a", "zone1"),
                node("node-b").label(HOST, "node-b").label("zone", "zone1").taint("dedicated", "x", TaintEffect.NO_SCHEDULE).build(),
                n("node-x", "zone2"));
        List<PodInfo> pods = spread("node-a", 1, "node-x", 1);
        PodTopologySpread plugin = new PodTopologySpread(InterPodSettings.defaults());

        FilterOutcome honor = ClusterUnderTest.of(nodes, pods).filterAmong(plugin,
                incoming(hard(1, HOST, FOO, null, null, NodeInclusionPolicy.HONOR)), List.of("node-a", "node-x"));
        FilterOutcome ignore = ClusterUnderTest.of(nodes, pods).filterAmong(plugin,
                incoming(hard(1, HOST, FOO)), List.of("node-a", "node-x"));

        assertThat(honor.survivors()).containsExactlyInAnyOrder("node-a", "node-x");
        assertThat(ignore.survivors()).isEmpty();
    }

    @Test
    void defaultConstraintsCountThePodsOfTheSameController() {
        InterPodSettings settings = new InterPodSettings(1, InterPodSettings.SpreadDefaulting.LIST,
                List.of(new TopologySpreadConstraint(1, HOST, true, null, null, null, null)));
        List<PodInfo> pods = List.of(pod("rs-1").boundTo("node-a").controllerUid("rs").build(),
                pod("other").boundTo("node-b").controllerUid("other-rs").build());
        ClusterUnderTest cluster = ClusterUnderTest.of(fourNodes(), pods);
        PodTopologySpread plugin = new PodTopologySpread(settings);

        assertThat(cluster.filter(plugin, pod("rs-2").controllerUid("rs").build()).survivors())
                .containsExactlyInAnyOrder("node-b", "node-x", "node-y");
        assertThat(cluster.filter(plugin, pod("loose").build()).survivors()).hasSize(4);
        assertThat(cluster.filter(plugin, pod("own").controllerUid("rs").label("foo", "")
                .interPod(interPod().spread(hard(5, HOST, FOO)).build()).build()).survivors()).hasSize(4);
    }

    @Test
    void evictionResolvesSkewButNotAMissingLabel() {
        PodTopologySpread plugin = new PodTopologySpread(InterPodSettings.defaults());
        assertThat(plugin.evictionMayResolve(REASON)).isTrue();
        assertThat(plugin.evictionMayResolve(REASON_MISSING_LABEL)).isFalse();
    }

    // ------------------------------------------------------------------ scoring

    /** A node with the given labels, key and value pairs. */
    private static NodeInfo labelled(String name, String... labels) {
        var fixture = node(name);
        for (int i = 0; i < labels.length; i += 2) {
            fixture.label(labels[i], labels[i + 1]);
        }
        return fixture.build();
    }

    private static NodeInfo host(String name) {
        return labelled(name, HOST, name);
    }

    private static NodeInfo zoneHost(String name, String zone) {
        return labelled(name, "zone", zone, HOST, name);
    }

    private static PodInfo labelledPod(String name, String node, String... keys) {
        var fixture = pod(name).boundTo(node);
        for (String key : keys) {
            fixture.label(key, "");
        }
        return fixture.build();
    }

    private static final LabelSelector BAR = expressions(exists("bar"));

    /**
     * kube-scheduler's TestPodTopologySpreadScore: {@code feasible} are scored, {@code failed} exist
     * (their pods count) but are not feasible.
     */
    record UpstreamScoreCase(String name, PodInfo pod, List<PodInfo> pods, List<NodeInfo> feasible,
                             List<NodeInfo> failed, Map<String, Long> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Map<String, Long> scored(Object... nodeAndScore) {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < nodeAndScore.length; i += 2) {
            out.put((String) nodeAndScore[i], ((Integer) nodeAndScore[i + 1]).longValue());
        }
        return out;
    }

    static Stream<UpstreamScoreCase> upstreamScoreCases() {
        PodInfo fooOnHost = incoming(soft(1, HOST, FOO));
        return Stream.of(
                new UpstreamScoreCase("one constraint on node, no existing pods", fooOnHost, List.of(),
                        List.of(host("node-a"), host("node-b")), List.of(), scored("node-a", 100, "node-b", 100)),
                new UpstreamScoreCase("one constraint on node, only one node is candidate", fooOnHost,
                        List.of(labelledPod("p-a1", "node-a", "foo"), labelledPod("p-a2", "node-a", "foo"),
                                labelledPod("p-b1", "node-b", "foo")),
                        List.of(host("node-a")), List.of(host("node-b")), scored("node-a", 100)),
                new UpstreamScoreCase("one constraint on node, all nodes have the same number of matching pods", fooOnHost,
                        List.of(labelledPod("p-a1", "node-a", "foo"), labelledPod("p-b1", "node-b", "foo")),
                        List.of(host("node-a"), host("node-b")), List.of(), scored("node-a", 100, "node-b", 100)),
                new UpstreamScoreCase("one constraint on node, all 4 nodes are candidates", fooOnHost, spread2103(),
                        List.of(host("node-a"), host("node-b"), host("node-c"), host("node-d")), List.of(),
                        scored("node-a", 20, "node-b", 60, "node-c", 100, "node-d", 0)),
                new UpstreamScoreCase("one constraint on node, all 4 nodes are candidates, maxSkew=2",
                        incoming(soft(2, HOST, FOO)), spread2103(),
                        List.of(host("node-a"), host("node-b"), host("node-c"), host("node-d")), List.of(),
                        scored("node-a", 33, "node-b", 66, "node-c", 100, "node-d", 16)),
                new UpstreamScoreCase("one constraint on node, all 4 nodes are candidates, maxSkew=3",
                        incoming(soft(3, HOST, FOO)), spread("node-a", 4, "node-b", 3, "node-c", 2, "node-d", 1),
                        List.of(host("node-a"), host("node-b"), host("node-c"), host("node-d")), List.of(),
                        scored("node-a", 44, "node-b", 66, "node-c", 77, "node-d", 100)),
                new UpstreamScoreCase("one constraint on node, 3 out of 4 nodes are candidates", fooOnHost,
                        spread("node-a", 4, "node-b", 2, "node-x", 1, "node-y", 3),
                        List.of(host("node-a"), host("node-b"), host("node-x")), List.of(host("node-y")),
                        scored("node-a", 33, "node-b", 83, "node-x", 100)),
                new UpstreamScoreCase("one constraint on node, 3 out of 4 nodes are candidates, one node doesn't match topology key",
                        fooOnHost, spread("node-a", 4, "node-b", 2, "node-x", 1, "node-y", 3),
                        List.of(host("node-a"), node("node-b").withoutLabel(HOST).label("n", "node-b").build(), host("node-x")), List.of(host("node-y")),
                        scored("node-a", 16, "node-b", 0, "node-x", 100)),
                new UpstreamScoreCase("one constraint on zone, 3 out of 4 nodes are candidates", incoming(soft(1, "zone", FOO)),
                        spread("node-a", 4, "node-b", 2, "node-x", 1, "node-y", 3),
                        List.of(zoneHost("node-a", "zone1"), zoneHost("node-b", "zone1"), zoneHost("node-x", "zone2")),
                        List.of(zoneHost("node-y", "zone2")),
                        scored("node-a", 75, "node-b", 75, "node-x", 100)),
                new UpstreamScoreCase("two Constraints on zone and node, 2 out of 4 nodes are candidates",
                        incoming(soft(1, "zone", FOO), soft(1, HOST, FOO)),
                        spread("node-a", 2, "node-b", 1, "node-x", 2, "node-y", 4),
                        List.of(zoneHost("node-a", "zone1"), zoneHost("node-x", "zone2")),
                        List.of(zoneHost("node-b", "zone1"), zoneHost("node-y", "zone2")),
                        scored("node-a", 100, "node-x", 63)),
                new UpstreamScoreCase("two Constraints on zone and node, with different labelSelectors",
                        fooBar(), List.of(labelledPod("p-a1", "node-a", "foo"), labelledPod("p-b1", "node-b", "foo", "bar"),
                                labelledPod("p-y1", "node-y", "foo"), labelledPod("p-y2", "node-y", "bar")),
                        fourZoneHosts(), List.of(),
                        scored("node-a", 60, "node-b", 20, "node-x", 100, "node-y", 60)),
                new UpstreamScoreCase("two Constraints on zone and node, with different labelSelectors, some nodes have 0 pods",
                        fooBar(), List.of(labelledPod("p-b1", "node-b", "bar"), labelledPod("p-x1", "node-x", "foo"),
                                labelledPod("p-y1", "node-y", "foo", "bar")),
                        fourZoneHosts(), List.of(),
                        scored("node-a", 100, "node-b", 60, "node-x", 40, "node-y", 0)));
    }

    private static List<PodInfo> spread2103() {
        return spread("node-a", 2, "node-b", 1, "node-d", 3);
    }

    private static PodInfo fooBar() {
        return pod("p").label("foo", "").label("bar", "")
                .interPod(interPod().spread(soft(1, "zone", FOO), soft(1, HOST, BAR)).build()).build();
    }

    private static List<NodeInfo> fourZoneHosts() {
        return List.of(zoneHost("node-a", "zone1"), zoneHost("node-b", "zone1"), zoneHost("node-x", "zone2"),
                zoneHost("node-y", "zone2"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("upstreamScoreCases")
    void scoresAsKubeScheduler(UpstreamScoreCase c) {
        List<NodeInfo> all = new ArrayList<>(c.feasible());
        all.addAll(c.failed());
        ClusterUnderTest cluster = ClusterUnderTest.of(all, c.pods());
        PodTopologySpread plugin = new PodTopologySpread(InterPodSettings.defaults());
        var context = cluster.state().podContext(c.pod());
        int[] nodes = c.feasible().stream().mapToInt(n -> cluster.state().nodeIndex(n.name())).sorted().toArray();
        long[] scores = new long[nodes.length];
        plugin.score(context, cluster.state(), nodes, nodes.length, scores);
        plugin.normalize(context, scores, nodes.length);

        Map<String, Long> byName = new java.util.LinkedHashMap<>();
        for (int i = 0; i < nodes.length; i++) {
            byName.put(cluster.state().node(nodes[i]).name(), scores[i]);
        }
        assertThat(byName).isEqualTo(c.expected());
    }


    record ScoreCase(String name, List<NodeInfo> nodes, List<PodInfo> pods, PodInfo pod, Map<String, Long> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<ScoreCase> scoreCases() {
        List<NodeInfo> ab = List.of(n("node-a", "zone1"), n("node-b", "zone1"));
        return Stream.of(
                new ScoreCase("one constraint on node, no existing pods", ab, List.of(),
                        incoming(soft(1, HOST, FOO)), Map.of("node-a", 100L, "node-b", 100L)),
                new ScoreCase("one constraint on node, all nodes have the same number of matching pods", ab,
                        spread("node-a", 1, "node-b", 1), incoming(soft(1, HOST, FOO)),
                        Map.of("node-a", 100L, "node-b", 100L)),
                // weight log(4+2)=1.79; raw a=round(3.58)=4, b=2, x=0, y=round(5.38)=5; 100*(5+0-raw)/5
                new ScoreCase("one constraint on node, all 4 nodes are candidates", fourNodes(),
                        spread("node-a", 2, "node-b", 1, "node-y", 3), incoming(soft(1, HOST, FOO)),
                        Map.of("node-a", 20L, "node-b", 60L, "node-x", 100L, "node-y", 0L)),
                // zone1 has 3, zone2 has 3: every node alike
                new ScoreCase("one constraint on zone, pods spread 3/3", fourNodes(),
                        spread("node-a", 2, "node-b", 1, "node-y", 3), incoming(soft(1, "zone", FOO)),
                        Map.of("node-a", 100L, "node-b", 100L, "node-x", 100L, "node-y", 100L)),
                // weight log(2+2)=1.386; zone1 3 -> round(4.16)=4, zone2 1 -> round(1.39)=1; 100*(4+1-raw)/4
                new ScoreCase("one constraint on zone, pods spread 3/1", fourNodes(),
                        spread("node-a", 2, "node-b", 1, "node-y", 1), incoming(soft(1, "zone", FOO)),
                        Map.of("node-a", 25L, "node-b", 25L, "node-x", 100L, "node-y", 100L)),
                // node-x lacks the zone label: ignored (0); zone1 2 pods vs zone2 (node-y) 0
                new ScoreCase("one constraint on zone, nodes lacking the label are ignored and score 0",
                        List.of(n("node-a", "zone1"), n("node-x", null), n("node-y", "zone2")),
                        spread("node-a", 2, "node-x", 5), incoming(soft(1, "zone", FOO)),
                        Map.of("node-a", 0L, "node-x", 0L, "node-y", 100L)),
                // maxSkew 3 adds 2 to every raw score: a=round(3.58+2)=6, b=round(1.79+2)=4, x=2, y=round(5.38+2)=7
                new ScoreCase("one constraint on node, maxSkew 3 waters down the differences", fourNodes(),
                        spread("node-a", 2, "node-b", 1, "node-y", 3), incoming(soft(3, HOST, FOO)),
                        Map.of("node-a", 42L, "node-b", 71L, "node-x", 100L, "node-y", 28L)),
                // zone: log(4)=1.386 x (3 | 3) -> both zones round(4.16); host: log(6)=1.79 x (2,1,0,3)
                // a: 4.16+3.58=7.74 -> 8; b: 4.16+1.79=5.95 -> 6; x: 4.16 -> 4; y: 4.16+5.38=9.54 -> 10
                new ScoreCase("two constraints on zone and node, spreads = [3/3, 2/1/0/3]", fourNodes(),
                        spread("node-a", 2, "node-b", 1, "node-y", 3),
                        incoming(soft(1, "zone", FOO), soft(1, HOST, FOO)),
                        Map.of("node-a", 60L, "node-b", 80L, "node-x", 100L, "node-y", 40L)),
                new ScoreCase("pod without soft constraints scores every node 0", fourNodes(),
                        spread("node-a", 2), incoming(hard(1, HOST, FOO)),
                        Map.of("node-a", 0L, "node-b", 0L, "node-x", 0L, "node-y", 0L)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scoreCases")
    void scores(ScoreCase c) {
        ClusterUnderTest cluster = ClusterUnderTest.of(c.nodes(), c.pods());
        PodTopologySpread plugin = new PodTopologySpread(InterPodSettings.defaults());

        long uniform = plugin.uniformScore(cluster.state().podContext(c.pod()), cluster.state());
        Map<String, Long> scores = cluster.scores(plugin, c.pod());
        if (uniform != PodTopologySpread.SCORE_EACH_NODE) {
            scores.replaceAll((node, score) -> uniform);
        }
        assertThat(scores).isEqualTo(c.expected());
    }
}
