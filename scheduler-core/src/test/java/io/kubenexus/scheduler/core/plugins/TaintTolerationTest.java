package io.kubenexus.scheduler.core.plugins;

import static io.kubenexus.scheduler.core.model.TaintEffect.NO_EXECUTE;
import static io.kubenexus.scheduler.core.model.TaintEffect.NO_SCHEDULE;
import static io.kubenexus.scheduler.core.model.TaintEffect.PREFER_NO_SCHEDULE;
import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.framework.ClusterEventType;
import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.Toleration;
import io.kubenexus.scheduler.core.plugins.ClusterUnderTest.FilterOutcome;
import io.kubenexus.scheduler.core.testing.PodFixture;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TaintTolerationTest {
    private static final String GPU = "node(s) had untolerated taint {gpu: true}";
    private static final String INFRA = "node(s) had untolerated taint {dedicated: infra}";

    /** gpu: NoSchedule, infra: NoExecute, spot: PreferNoSchedule, plain: untainted. */
    private static final List<NodeInfo> NODES = List.of(
            node("gpu").taint("gpu", "true", NO_SCHEDULE).build(),
            node("infra").taint("dedicated", "infra", NO_EXECUTE).build(),
            node("spot").taint("spot", "true", PREFER_NO_SCHEDULE).build(),
            node("plain").build());

    private final TaintToleration plugin = new TaintToleration();

    static Stream<Arguments> filterCases() {
        return Stream.of(
                Arguments.of("no tolerations: NoSchedule and NoExecute reject, PreferNoSchedule does not",
                        pod("p"), Set.of("spot", "plain"), Map.of(GPU, 1, INFRA, 1)),
                Arguments.of("Equal with matching value and effect",
                        pod("p").toleration(Toleration.equal("gpu", "true", NO_SCHEDULE)),
                        Set.of("gpu", "spot", "plain"), Map.of(INFRA, 1)),
                Arguments.of("Equal with the wrong value does not tolerate",
                        pod("p").toleration(Toleration.equal("gpu", "false", NO_SCHEDULE)),
                        Set.of("spot", "plain"), Map.of(GPU, 1, INFRA, 1)),
                Arguments.of("Equal with another effect does not tolerate",
                        pod("p").toleration(Toleration.equal("gpu", "true", NO_EXECUTE)),
                        Set.of("spot", "plain"), Map.of(GPU, 1, INFRA, 1)),
                Arguments.of("effect-less toleration tolerates every effect",
                        pod("p").toleration(new Toleration("gpu", Toleration.Operator.EQUAL, "true", null)),
                        Set.of("gpu", "spot", "plain"), Map.of(INFRA, 1)),
                Arguments.of("Exists on a key tolerates a NoExecute taint",
                        pod("p").toleration(Toleration.exists("dedicated", NO_EXECUTE)),
                        Set.of("infra", "spot", "plain"), Map.of(GPU, 1)),
                Arguments.of("empty-key Exists tolerates everything",
                        pod("p").toleratesAll(),
                        Set.of("gpu", "infra", "spot", "plain"), Map.of()),
                Arguments.of("empty-key Exists with an effect tolerates only that effect",
                        pod("p").toleration(Toleration.exists("", NO_SCHEDULE)),
                        Set.of("gpu", "spot", "plain"), Map.of(INFRA, 1)),
                Arguments.of("PreferNoSchedule toleration does not tolerate NoSchedule",
                        pod("p").toleration(Toleration.exists("gpu", PREFER_NO_SCHEDULE))
                                .toleration(Toleration.exists("dedicated", null)),
                        Set.of("infra", "spot", "plain"), Map.of(GPU, 1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filterCases")
    void filter(String name, PodFixture pod, Set<String> survivors, Map<String, Integer> reasons) {
        FilterOutcome outcome = ClusterUnderTest.of(NODES).filter(plugin, pod.build());

        assertThat(outcome.survivors()).containsExactlyInAnyOrderElementsOf(survivors);
        assertThat(outcome.reasons()).isEqualTo(reasons);
    }

    /**
     * "ba" lists b before a and is added first, so the snapshot's taint list is b, a; "ab" lists a
     * first. Each node is counted once, under the first untolerated taint of its own list.
     */
    static Stream<Arguments> severalTaintCases() {
        return Stream.of(
                Arguments.of("each node reported under the first taint in its own order",
                        pod("p"), Set.of("plain"),
                        Map.of("node(s) had untolerated taint {b: 2}", 1, "node(s) had untolerated taint {a: 1}", 2)),
                Arguments.of("a tolerated first taint passes the report to the next one",
                        pod("p").toleration(Toleration.exists("a", null)), Set.of("plain", "a-only"),
                        Map.of("node(s) had untolerated taint {b: 2}", 2)),
                Arguments.of("tolerating both",
                        pod("p").toleration(Toleration.exists("a", null)).toleration(Toleration.equal("b", "2", null)),
                        Set.of("plain", "a-only", "ab", "ba"), Map.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("severalTaintCases")
    void nodesWithSeveralUntoleratedTaints(String name, PodFixture pod, Set<String> survivors,
                                           Map<String, Integer> reasons) {
        ClusterUnderTest cluster = ClusterUnderTest.of(List.of(
                node("ba").taint("b", "2", NO_SCHEDULE).taint("a", "1", NO_EXECUTE).build(),
                node("ab").taint("a", "1", NO_EXECUTE).taint("b", "2", NO_SCHEDULE).build(),
                node("a-only").taint("a", "1", NO_EXECUTE).build(),
                node("plain").build()));

        FilterOutcome outcome = cluster.filter(plugin, pod.build());

        assertThat(outcome.survivors()).containsExactlyInAnyOrderElementsOf(survivors);
        assertThat(outcome.reasons()).isEqualTo(reasons);
    }

    @Test
    void messageAndEvents() {
        ClusterUnderTest cluster = ClusterUnderTest.of(List.of(
                node("n1").taint("gpu", "true", NO_SCHEDULE).build(),
                node("n2").taint("gpu", "true", NO_SCHEDULE).build(),
                node("n3").taint("dedicated", "infra", NO_EXECUTE).build()));

        FilterOutcome outcome = cluster.filter(plugin, pod("p").build());

        assertThat(outcome.message()).isEqualTo("0/3 nodes are available: 1 node(s) had untolerated taint "
                + "{dedicated: infra}, 2 node(s) had untolerated taint {gpu: true}.");
        assertThat(outcome.diagnosis().eventsThatMayHelp())
                .containsExactlyInAnyOrder(ClusterEventType.NODE_TAINTS_CHANGED, ClusterEventType.NODE_ADDED);
    }

    @Test
    void onlyCandidatesAreCounted() {
        FilterOutcome outcome = ClusterUnderTest.of(NODES)
                .filterAmong(plugin, pod("p").build(), List.of("infra", "plain"));

        assertThat(outcome.survivors()).containsExactly("plain");
        assertThat(outcome.reasons()).isEqualTo(Map.of(INFRA, 1));
    }

    // ---------------------------------------------------------------- scoring

    static Stream<Arguments> scoreCases() {
        return Stream.of(
                Arguments.of("no tolerations: raw 1, 3, 0 reversed against max 3 (100-33, 100-100, 100)",
                        pod("p"), Map.of("one", 67L, "three", 0L, "hard", 100L, "plain", 100L)),
                Arguments.of("a tolerated PreferNoSchedule taint does not count: raw 0, 2, 0",
                        pod("p").toleration(Toleration.exists("x", PREFER_NO_SCHEDULE)),
                        Map.of("one", 100L, "three", 0L, "hard", 100L, "plain", 100L)),
                Arguments.of("tolerating two of three: raw 0, 1, 0",
                        pod("p").toleration(Toleration.exists("x", null)).toleration(Toleration.equal("y", "1", null)),
                        Map.of("one", 100L, "three", 0L, "hard", 100L, "plain", 100L)),
                Arguments.of("a NoSchedule toleration does not tolerate PreferNoSchedule",
                        pod("p").toleration(Toleration.exists("x", NO_SCHEDULE)),
                        Map.of("one", 67L, "three", 0L, "hard", 100L, "plain", 100L)),
                Arguments.of("tolerating everything: all score the maximum",
                        pod("p").toleratesAll(),
                        Map.of("one", 100L, "three", 100L, "hard", 100L, "plain", 100L)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scoreCases")
    void score(String name, PodFixture pod, Map<String, Long> expected) {
        ClusterUnderTest cluster = ClusterUnderTest.of(List.of(
                node("one").taint("x", "1", PREFER_NO_SCHEDULE).build(),
                node("three").taint("x", "1", PREFER_NO_SCHEDULE).taint("y", "1", PREFER_NO_SCHEDULE)
                        .taint("z", "1", PREFER_NO_SCHEDULE).build(),
                node("hard").taint("x", "1", NO_SCHEDULE).build(),
                node("plain").build()));

        assertThat(cluster.scores(plugin, pod.build())).isEqualTo(expected);
    }

    @Test
    void rawScoreCountsUntoleratedPreferNoScheduleTaints() {
        ClusterUnderTest cluster = ClusterUnderTest.of(List.of(
                node("one").taint("x", "1", PREFER_NO_SCHEDULE).build(),
                node("two").taint("x", "1", PREFER_NO_SCHEDULE).taint("y", "1", PREFER_NO_SCHEDULE).build()));

        assertThat(cluster.rawScores(plugin, pod("p").build())).isEqualTo(Map.of("one", 1L, "two", 2L));
    }
}
