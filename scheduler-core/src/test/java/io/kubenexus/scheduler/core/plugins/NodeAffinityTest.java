package io.kubenexus.scheduler.core.plugins;

import static io.kubenexus.scheduler.core.model.NodeSelectorOperator.DOES_NOT_EXIST;
import static io.kubenexus.scheduler.core.model.NodeSelectorOperator.EXISTS;
import static io.kubenexus.scheduler.core.model.NodeSelectorOperator.GT;
import static io.kubenexus.scheduler.core.model.NodeSelectorOperator.IN;
import static io.kubenexus.scheduler.core.model.NodeSelectorOperator.LT;
import static io.kubenexus.scheduler.core.model.NodeSelectorOperator.NOT_IN;
import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.nameIn;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static io.kubenexus.scheduler.core.testing.PodFixture.req;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.framework.ClusterEventType;
import io.kubenexus.scheduler.core.framework.FilterDiagnosis;
import io.kubenexus.scheduler.core.framework.PodContext;
import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.NodeSelectorRequirement;
import io.kubenexus.scheduler.core.model.NodeSelectorTerm;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.plugins.ClusterUnderTest.FilterOutcome;
import io.kubenexus.scheduler.core.testing.PodFixture;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NodeAffinityTest {
    private static final String REASON = "node(s) didn't match Pod's node affinity/selector";

    /** gpu-count is an integer on n1 and n2, not one on n3, absent on n4. */
    private static final List<NodeInfo> NODES = List.of(
            node("n1").label("zone", "a").label("gpu-count", "4").label("tier", "gold").build(),
            node("n2").label("zone", "b").label("gpu-count", "8").build(),
            node("n3").label("zone", "c").label("gpu-count", "many").build(),
            node("n4").build());

    private final NodeAffinity plugin = new NodeAffinity();

    private static Arguments rejecting(String name, PodFixture pod, Set<String> survivors) {
        int rejected = NODES.size() - survivors.size();
        return Arguments.of(name, pod, survivors, rejected == 0 ? Map.of() : Map.of(REASON, rejected));
    }

    private static NodeSelectorTerm fields(NodeSelectorRequirement... requirements) {
        return new NodeSelectorTerm(List.of(), List.of(requirements));
    }

    static Stream<Arguments> filterCases() {
        return Stream.of(
                rejecting("no selector and no affinity", pod("p"), Set.of("n1", "n2", "n3", "n4")),
                rejecting("nodeSelector", pod("p").nodeSelector("zone", "a"), Set.of("n1")),
                rejecting("nodeSelector keys are ANDed",
                        pod("p").nodeSelector("zone", "b").nodeSelector("tier", "gold"),
                        Set.of()),
                rejecting("nodeSelector on a label no node has", pod("p").nodeSelector("rack", "r1"), Set.of()),
                rejecting("In: any of the values",
                        pod("p").requiredTerm(req("zone", IN, "a", "b")), Set.of("n1", "n2")),
                rejecting("NotIn matches nodes without the label",
                        pod("p").requiredTerm(req("zone", NOT_IN, "a", "c")), Set.of("n2", "n4")),
                rejecting("Exists", pod("p").requiredTerm(req("tier", EXISTS)), Set.of("n1")),
                rejecting("DoesNotExist", pod("p").requiredTerm(req("zone", DOES_NOT_EXIST)), Set.of("n4")),
                rejecting("Gt: strictly greater, non-integer values never match",
                        pod("p").requiredTerm(req("gpu-count", GT, "4")), Set.of("n2")),
                rejecting("Lt: strictly less", pod("p").requiredTerm(req("gpu-count", LT, "8")), Set.of("n1")),
                rejecting("Lt never matches a missing label or a non-integer",
                        pod("p").requiredTerm(req("gpu-count", LT, "1000")), Set.of("n1", "n2")),
                rejecting("Gt with a negative bound", pod("p").requiredTerm(req("gpu-count", GT, "-1")),
                        Set.of("n1", "n2")),
                rejecting("Gt with a value that is no integer: its term matches nothing",
                        pod("p").requiredTerm(req("gpu-count", GT, "abc")), Set.of()),
                rejecting("Lt with a value that is no integer, beside a requirement every node meets",
                        pod("p").requiredTerm(req("gpu-count", LT, "4.5"), req("zone", DOES_NOT_EXIST)), Set.of()),
                rejecting("a Gt term with a value that is no integer, ORed: the other terms still count",
                        pod("p").requiredTerm(req("gpu-count", GT, "abc")).requiredTerm(req("zone", IN, "b", "c")),
                        Set.of("n2", "n3")),
                rejecting("requirements of a term are ANDed",
                        pod("p").requiredTerm(req("zone", IN, "a", "b"), req("gpu-count", GT, "4")), Set.of("n2")),
                rejecting("terms are ORed",
                        pod("p").requiredTerm(req("zone", IN, "a")).requiredTerm(req("gpu-count", GT, "4")),
                        Set.of("n1", "n2")),
                rejecting("an empty term matches nothing",
                        pod("p").requiredTerm(new NodeSelectorTerm(List.of(), List.of())), Set.of()),
                rejecting("an empty term ORed with a matching one",
                        pod("p").requiredTerm(new NodeSelectorTerm(List.of(), List.of()))
                                .requiredTerm(req("zone", IN, "c")), Set.of("n3")),
                rejecting("matchFields metadata.name In", pod("p").requiredTerm(fields(nameIn("n2", "n4"))),
                        Set.of("n2", "n4")),
                rejecting("matchFields metadata.name In an unknown node", pod("p").requiredTerm(fields(nameIn("n9"))),
                        Set.of()),
                rejecting("metadata.name in matchExpressions is a label key, which no node has",
                        pod("p").requiredTerm(nameIn("n2")), Set.of()),
                rejecting("matchFields metadata.name NotIn",
                        pod("p").requiredTerm(new NodeSelectorTerm(List.of(),
                                List.of(req(NodeSelectorTerm.FIELD_NODE_NAME, NOT_IN, "n1")))),
                        Set.of("n2", "n3", "n4")),
                rejecting("matchFields and matchExpressions of a term are ANDed",
                        pod("p").requiredTerm(new NodeSelectorTerm(List.of(req("zone", IN, "a", "b")),
                                List.of(req(NodeSelectorTerm.FIELD_NODE_NAME, IN, "n2")))),
                        Set.of("n2")),
                rejecting("matchFields on a field other than metadata.name matches nothing",
                        pod("p").requiredTerm(new NodeSelectorTerm(List.of(),
                                List.of(req("metadata.uid", IN, "n1")))), Set.of()),
                rejecting("nodeSelector AND required affinity: both hold",
                        pod("p").nodeSelector("tier", "gold").requiredTerm(req("zone", IN, "a", "b")), Set.of("n1")),
                rejecting("nodeSelector AND required affinity: disjoint",
                        pod("p").nodeSelector("zone", "a").requiredTerm(req("zone", IN, "b")), Set.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filterCases")
    void filter(String name, PodFixture pod, Set<String> survivors, Map<String, Integer> reasons) {
        FilterOutcome outcome = ClusterUnderTest.of(NODES).filter(plugin, pod.build());

        assertThat(outcome.survivors()).containsExactlyInAnyOrderElementsOf(survivors);
        assertThat(outcome.reasons()).isEqualTo(reasons);
    }

    /** Label values are read as Go's strconv.ParseInt(value, 10, 64) reads them. */
    static Stream<Arguments> integerLabelCases() {
        return Stream.of(
                Arguments.of("plain integer", "5", true),
                Arguments.of("leading zeros", "007", true),
                Arguments.of("explicit plus sign", "+5", true),
                Arguments.of("negative above the bound", "-3", true),
                Arguments.of("negative below the bound", "-11", false),
                Arguments.of("largest long", "9223372036854775807", true),
                Arguments.of("out of long range", "9223372036854775808", false),
                Arguments.of("exponent notation", "1e3", false),
                Arguments.of("underscores", "1_000", false),
                Arguments.of("decimal point", "2.5", false),
                Arguments.of("sign only", "-", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("integerLabelCases")
    void gtReadsLabelValuesAsIntegers(String name, String labelValue, boolean matches) {
        ClusterUnderTest cluster = ClusterUnderTest.of(List.of(node("n1").label("v", labelValue).build()));

        FilterOutcome outcome = cluster.filter(plugin, pod("p").requiredTerm(req("v", GT, "-10")).build());

        assertThat(outcome.survivors()).isEqualTo(matches ? Set.of("n1") : Set.of());
    }

    @Test
    void messageAndEvents() {
        FilterOutcome outcome = ClusterUnderTest.of(NODES).filter(plugin, pod("p").nodeSelector("zone", "x").build());

        assertThat(outcome.message())
                .isEqualTo("0/4 nodes are available: 4 node(s) didn't match Pod's node affinity/selector.");
        assertThat(outcome.diagnosis().eventsThatMayHelp())
                .containsExactlyInAnyOrder(ClusterEventType.NODE_LABELS_CHANGED, ClusterEventType.NODE_ADDED);
    }

    @Test
    void onlyCandidatesAreCounted() {
        FilterOutcome outcome = ClusterUnderTest.of(NODES)
                .filterAmong(plugin, pod("p").nodeSelector("zone", "a").build(), List.of("n1", "n2"));

        assertThat(outcome.survivors()).containsExactly("n1");
        assertThat(outcome.reasons()).isEqualTo(Map.of(REASON, 1));
    }

    @Test
    void filteringTwiceInOneCycleGivesTheSameAnswer() {
        ClusterUnderTest cluster = ClusterUnderTest.of(NODES);
        PodContext context = cluster.state().podContext(pod("p").requiredTerm(req("zone", IN, "a", "b")).build());
        BitSet first = (BitSet) cluster.state().liveNodes().clone();
        BitSet second = (BitSet) cluster.state().liveNodes().clone();
        second.clear(cluster.state().nodeIndex("n1"));

        plugin.filter(context, cluster.state(), first, new FilterDiagnosis());
        plugin.filter(context, cluster.state(), second, new FilterDiagnosis());

        assertThat(first.cardinality()).isEqualTo(2);
        assertThat(second.stream().mapToObj(i -> cluster.state().node(i).name())).containsExactly("n2");
    }

    @Test
    void theNextCycleSeesLabelChanges() {
        ClusterUnderTest cluster = ClusterUnderTest.of(NODES);
        PodInfo pod = pod("p").nodeSelector("zone", "a").build();
        assertThat(cluster.filter(plugin, pod).survivors()).containsExactly("n1");

        cluster.state().upsertNode(node("n2").label("zone", "a").build());

        assertThat(cluster.filter(plugin, pod).survivors()).containsExactly("n1", "n2");
    }

    // ---------------------------------------------------------------- scoring

    static Stream<Arguments> scoreCases() {
        return Stream.of(
                Arguments.of("weights summed per node, best node scores 100: raw 100, 20, 0",
                        pod("p").preferred(80, req("zone", IN, "a")).preferred(20, req("disk", IN, "ssd")),
                        Map.of("n1", 100L, "n2", 20L, "n3", 0L)),
                Arguments.of("normalized against the best raw score: raw 40, 30, 0",
                        pod("p").preferred(10, req("zone", IN, "a")).preferred(30, req("disk", EXISTS)),
                        Map.of("n1", 100L, "n2", 75L, "n3", 0L)),
                Arguments.of("a term's requirements are ANDed",
                        pod("p").preferred(50, req("zone", IN, "b"), req("disk", IN, "ssd")),
                        Map.of("n1", 0L, "n2", 100L, "n3", 0L)),
                Arguments.of("no preferred terms: all zero", pod("p"), Map.of("n1", 0L, "n2", 0L, "n3", 0L)),
                Arguments.of("preferences nobody matches: all zero",
                        pod("p").preferred(50, req("zone", IN, "z")), Map.of("n1", 0L, "n2", 0L, "n3", 0L)),
                Arguments.of("an empty preferred term matches nothing",
                        pod("p").preferred(50), Map.of("n1", 0L, "n2", 0L, "n3", 0L)),
                Arguments.of("preferences do not filter: the required part is the filter's business",
                        pod("p").nodeSelector("zone", "a").preferred(50, req("zone", IN, "c")),
                        Map.of("n1", 0L, "n2", 0L, "n3", 100L)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scoreCases")
    void score(String name, PodFixture pod, Map<String, Long> expected) {
        ClusterUnderTest cluster = ClusterUnderTest.of(List.of(
                node("n1").label("zone", "a").label("disk", "ssd").build(),
                node("n2").label("zone", "b").label("disk", "ssd").build(),
                node("n3").label("zone", "c").build()));

        assertThat(cluster.scores(plugin, pod.build())).isEqualTo(expected);
    }

    @Test
    void rawScoreIsTheSumOfMatchedWeights() {
        ClusterUnderTest cluster = ClusterUnderTest.of(List.of(
                node("n1").label("zone", "a").label("disk", "ssd").build(), node("n2").build()));
        PodInfo pod = pod("p").preferred(7, req("zone", IN, "a")).preferred(5, req("disk", IN, "ssd")).build();

        assertThat(cluster.rawScores(plugin, pod)).isEqualTo(Map.of("n1", 12L, "n2", 0L));
    }
}
