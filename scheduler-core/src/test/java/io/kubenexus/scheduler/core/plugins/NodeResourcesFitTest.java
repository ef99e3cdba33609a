package io.kubenexus.scheduler.core.plugins;

import static io.kubenexus.scheduler.core.config.ScoringStrategy.LEAST_ALLOCATED;
import static io.kubenexus.scheduler.core.config.ScoringStrategy.MOST_ALLOCATED;
import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubenexus.scheduler.core.config.ScoringStrategy;
import io.kubenexus.scheduler.core.framework.ClusterEventType;
import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodPhase;
import io.kubenexus.scheduler.core.plugins.ClusterUnderTest.FilterOutcome;
import io.kubenexus.scheduler.core.testing.NodeFixture;
import io.kubenexus.scheduler.core.testing.PodFixture;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NodeResourcesFitTest {
    private static final Map<String, Integer> CPU_AND_MEMORY = Map.of("cpu", 1, "memory", 1);
    private static final long GI = 1024L * 1024 * 1024;

    private final NodeResourcesFit fit = new NodeResourcesFit(LEAST_ALLOCATED, CPU_AND_MEMORY);

    static Stream<Arguments> filterCases() {
        return Stream.of(
                Arguments.of("fits on every node",
                        List.of(node("n1"), node("n2")), List.of(),
                        pod("p").cpu(1).memoryGi(1),
                        Set.of("n1", "n2"), Map.of()),
                Arguments.of("insufficient cpu on a small node",
                        List.of(node("n1").cpu(1), node("n2").cpu(4)), List.of(),
                        pod("p").cpu(2),
                        Set.of("n2"), Map.of("Insufficient cpu", 1)),
                Arguments.of("exact fit passes, one milli more fails",
                        List.of(node("n1").cpu(2), node("n2").cpu(2)),
                        List.of(pod("a").cpuMilli(1000).boundTo("n1"), pod("b").cpuMilli(1001).boundTo("n2")),
                        pod("p").cpu(1),
                        Set.of("n1"), Map.of("Insufficient cpu", 1)),
                Arguments.of("bound pods use up memory",
                        List.of(node("n1").memoryGi(8), node("n2").memoryGi(8)),
                        List.of(pod("a").memoryGi(6).boundTo("n1")),
                        pod("p").memoryGi(4),
                        Set.of("n2"), Map.of("Insufficient memory", 1)),
                Arguments.of("a node short of cpu and memory counts under both",
                        List.of(node("n1").cpu(1).memoryGi(1), node("n2").cpu(1), node("n3")), List.of(),
                        pod("p").cpu(2).memoryGi(4),
                        Set.of("n3"), Map.of("Insufficient cpu", 2, "Insufficient memory", 1)),
                Arguments.of("extended resource nvidia.com/gpu",
                        List.of(node("n1").gpus(4), node("n2").gpus(8), node("n3")),
                        List.of(pod("a").gpu(3).boundTo("n1")),
                        pod("p").gpu(2),
                        Set.of("n2"), Map.of("Insufficient nvidia.com/gpu", 2)),
                Arguments.of("a resource no node has",
                        List.of(node("n1"), node("n2").gpus(8)), List.of(),
                        pod("p").cpu(1).request("example.com/fpga", 1),
                        Set.of(), Map.of("Insufficient example.com/fpga", 2)),
                Arguments.of("pods count limit",
                        List.of(node("n1").pods(1), node("n2").pods(2)),
                        List.of(pod("a").boundTo("n1"), pod("b").boundTo("n2")),
                        pod("p"),
                        Set.of("n2"), Map.of("Too many pods", 1)),
                Arguments.of("a pod without requests fits a node with no cpu left",
                        List.of(node("n1").cpu(1)), List.of(pod("a").cpu(1).boundTo("n1")),
                        pod("p"),
                        Set.of("n1"), Map.of()),
                Arguments.of("finished pods free their resources",
                        List.of(node("n1").cpu(1)),
                        List.of(pod("a").cpu(1).boundTo("n1").phase(PodPhase.SUCCEEDED)),
                        pod("p").cpu(1),
                        Set.of("n1"), Map.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filterCases")
    void filter(String name, List<NodeFixture> nodes,
                List<PodFixture> bound,
                PodFixture pod,
                Set<String> survivors, Map<String, Integer> reasons) {
        ClusterUnderTest cluster = ClusterUnderTest.of(
                nodes.stream().map(NodeFixture::build).toList(), bound.stream().map(PodFixture::build).toList());

        FilterOutcome outcome = cluster.filter(fit, pod.build());

        assertThat(outcome.survivors()).containsExactlyInAnyOrderElementsOf(survivors);
        assertThat(outcome.reasons()).isEqualTo(reasons);
    }

    /**
     * kube-scheduler checks only the resources a pod requests. A node over-committed in cpu (its
     * allocatable shrank under running pods, or another scheduler over-packed it) has a negative
     * free amount; a context that names cpu with a zero amount (a request source that keeps zeros)
     * must still fit there.
     */
    @Test
    void aResourceRequestedAtZeroIsNotCheckedEvenWhereTheNodeIsOverCommittedInIt() {
        ClusterUnderTest cluster = ClusterUnderTest.of(List.of(node("n1").cpu(2).memoryGi(16).build()),
                List.of(pod("running").cpu(3).boundTo("n1").build()));
        io.kubenexus.scheduler.core.state.ClusterState state = cluster.state();
        PodInfo pod = pod("p").memoryGi(1).build();
        io.kubenexus.scheduler.core.framework.PodContext zeroCpu = new io.kubenexus.scheduler.core.framework.PodContext(
                pod, new int[] {io.kubenexus.scheduler.core.state.ResourceColumns.PODS,
                        io.kubenexus.scheduler.core.state.ResourceColumns.CPU,
                        io.kubenexus.scheduler.core.state.ResourceColumns.MEMORY},
                new long[] {1, 0, GI}, 100, GI);
        java.util.BitSet candidates = new java.util.BitSet();
        candidates.or(state.liveNodes());
        io.kubenexus.scheduler.core.framework.FilterDiagnosis diagnosis = new io.kubenexus.scheduler.core.framework.FilterDiagnosis();

        fit.filter(zeroCpu, state, candidates, diagnosis);

        assertThat(candidates.cardinality()).as(diagnosis.message(1)).isEqualTo(1);
    }

    @Test
    void messageCountsANodeUnderEveryResourceItLacks() {
        ClusterUnderTest cluster = ClusterUnderTest.of(List.of(
                node("n1").cpu(1).memoryGi(1).build(), node("n2").cpu(1).build()));

        FilterOutcome outcome = cluster.filter(fit, pod("p").cpu(2).memoryGi(4).build());

        assertThat(outcome.message()).isEqualTo("0/2 nodes are available: 1 Insufficient memory, 2 Insufficient cpu.");
        assertThat(outcome.diagnosis().eventsThatMayHelp()).containsExactlyInAnyOrder(
                ClusterEventType.ASSIGNED_POD_REMOVED, ClusterEventType.NODE_ALLOCATABLE_CHANGED,
                ClusterEventType.NODE_ADDED);
    }

    @Test
    void onlyCandidatesAreCheckedAndCounted() {
        ClusterUnderTest cluster = ClusterUnderTest.of(List.of(
                node("n1").cpu(1).build(), node("n2").cpu(1).build(), node("n3").build()));

        FilterOutcome outcome = cluster.filterAmong(fit, pod("p").cpu(2).build(), List.of("n2", "n3"));

        assertThat(outcome.survivors()).containsExactly("n3");
        assertThat(outcome.reasons()).isEqualTo(Map.of("Insufficient cpu", 1));
    }

    @Test
    void scratchCountsDoNotLeakIntoTheNextCycle() {
        ClusterUnderTest cluster = ClusterUnderTest.of(List.of(node("n1").cpu(1).build(), node("n2").build()));

        cluster.filter(fit, pod("p").cpu(2).build());
        FilterOutcome second = cluster.filter(fit, pod("q").cpu(2).build());

        assertThat(second.reasons()).isEqualTo(Map.of("Insufficient cpu", 1));
    }

    // ---------------------------------------------------------------- scoring

    /**
     * n1 is cpu-heavy (2 cores, 1Gi used), n2 memory-heavy (0.5 cores, 10Gi used), both 4 cores and
     * 16Gi; the pod asks 1 core and 2Gi. Per resource (Least/Most): n1 cpu 25/75, memory 81/18;
     * n2 cpu 62/37, memory 25/75.
     */
    static Stream<Arguments> scoreCases() {
        List<NodeInfo> nodes = List.of(node("n1").build(), node("n2").build());
        List<PodInfo> bound = List.of(pod("a").cpu(2).memoryGi(1).boundTo("n1").build(),
                pod("b").cpu(0.5).memoryGi(10).boundTo("n2").build());
        PodInfo pod = pod("p").cpu(1).memoryGi(2).build();
        return Stream.of(
                Arguments.of("least allocated, equal weights: (25+81)/2, (62+25)/2",
                        LEAST_ALLOCATED, CPU_AND_MEMORY, nodes, bound, pod, Map.of("n1", 53L, "n2", 43L)),
                Arguments.of("most allocated, equal weights: (75+18)/2, (37+75)/2",
                        MOST_ALLOCATED, CPU_AND_MEMORY, nodes, bound, pod, Map.of("n1", 46L, "n2", 56L)),
                Arguments.of("least allocated, cpu weighted 3: (3*25+81)/4, (3*62+25)/4",
                        LEAST_ALLOCATED, Map.of("cpu", 3, "memory", 1), nodes, bound, pod,
                        Map.of("n1", 39L, "n2", 52L)),
                Arguments.of("most allocated, cpu weighted 3: (3*75+18)/4, (3*37+75)/4",
                        MOST_ALLOCATED, Map.of("cpu", 3, "memory", 1), nodes, bound, pod, Map.of("n1", 60L, "n2", 46L)),
                Arguments.of("least allocated, empty nodes: 75 each",
                        LEAST_ALLOCATED, CPU_AND_MEMORY, nodes, List.of(), pod("p").cpu(1).memoryGi(4).build(),
                        Map.of("n1", 75L, "n2", 75L)),
                Arguments.of("pod without requests is scored with 100m and 200Mi",
                        LEAST_ALLOCATED, CPU_AND_MEMORY, List.of(node("n1").build()), List.of(), pod("p").build(),
                        Map.of("n1", (97L + 98L) / 2)),
                Arguments.of("most allocated, pod without requests",
                        MOST_ALLOCATED, CPU_AND_MEMORY, List.of(node("n1").build()), List.of(), pod("p").build(),
                        Map.of("n1", (2L + 1L) / 2)),
                Arguments.of("over-committed by non-zero defaults: least scores 0",
                        LEAST_ALLOCATED, Map.of("cpu", 1), List.of(node("n1").cpu(0.1).build()),
                        List.of(pod("a").boundTo("n1").build()), pod("p").build(), Map.of("n1", 0L)),
                Arguments.of("over-committed by non-zero defaults: most caps at 100",
                        MOST_ALLOCATED, Map.of("cpu", 1), List.of(node("n1").cpu(0.1).build()),
                        List.of(pod("a").boundTo("n1").build()), pod("p").build(), Map.of("n1", 100L)),
                Arguments.of("gpu weight does not make gpu nodes look empty to a cpu pod (most allocated)",
                        MOST_ALLOCATED, Map.of("cpu", 1, "memory", 1, "nvidia.com/gpu", 1),
                        List.of(node("n1").gpus(8).build(), node("n2").build()), List.of(),
                        pod("p").cpu(1).memoryGi(4).build(), Map.of("n1", 25L, "n2", 25L)),
                Arguments.of("gpu pod: (72+73+25)/3 beside a 4-gpu pod without cpu requests, 75 on an empty node",
                        LEAST_ALLOCATED, Map.of("cpu", 1, "memory", 1, "nvidia.com/gpu", 1),
                        List.of(node("n1").gpus(8).build(), node("n2").gpus(8).build()),
                        List.of(pod("a").gpu(4).boundTo("n1").build()), pod("p").cpu(1).memoryGi(4).gpu(2).build(),
                        Map.of("n1", 56L, "n2", 75L)),
                Arguments.of("a node without the resource skips it",
                        LEAST_ALLOCATED, Map.of("cpu", 1, "nvidia.com/gpu", 1),
                        List.of(node("n1").build(), node("n2").gpus(2).build()), List.of(),
                        pod("p").cpu(1).gpu(1).build(), Map.of("n1", 75L, "n2", (75L + 50L) / 2)),
                Arguments.of("a weighted resource no one has mentioned is skipped",
                        LEAST_ALLOCATED, Map.of("cpu", 1, "example.com/unseen", 5), List.of(node("n1").build()),
                        List.of(), pod("p").cpu(1).build(), Map.of("n1", 75L)),
                Arguments.of("ephemeral-storage is scored though the pod does not request it",
                        LEAST_ALLOCATED, Map.of("ephemeral-storage", 1),
                        List.of(node("n1").allocatable("ephemeral-storage", 100 * GI).build(), node("n2").build()),
                        List.of(pod("a").request("ephemeral-storage", 50 * GI).boundTo("n1").build()),
                        pod("p").build(), Map.of("n1", 50L, "n2", 0L)),
                Arguments.of("the pods count is not scored",
                        MOST_ALLOCATED, Map.of("pods", 1), List.of(node("n1").pods(2).build()),
                        List.of(pod("a").boundTo("n1").build()), pod("p").build(), Map.of("n1", 0L)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scoreCases")
    void score(String name, ScoringStrategy strategy, Map<String, Integer> weights, List<NodeInfo> nodes,
               List<PodInfo> bound, PodInfo pod, Map<String, Long> expected) {
        ClusterUnderTest cluster = ClusterUnderTest.of(nodes, bound);

        Map<String, Long> scores = cluster.scores(new NodeResourcesFit(strategy, weights), pod);

        assertThat(scores).isEqualTo(expected);
    }

    @Test
    void leastAllocatedSpreadsAndMostAllocatedPacks() {
        ClusterUnderTest cluster = ClusterUnderTest.of(
                List.of(node("busy").build(), node("idle").build()),
                List.of(pod("a").cpu(3).memoryGi(12).boundTo("busy").build()));
        PodInfo pod = pod("p").cpu(0.5).memoryGi(1).build();

        Map<String, Long> least = cluster.scores(new NodeResourcesFit(LEAST_ALLOCATED, CPU_AND_MEMORY), pod);
        Map<String, Long> most = cluster.scores(new NodeResourcesFit(MOST_ALLOCATED, CPU_AND_MEMORY), pod);

        assertThat(least.get("idle")).isGreaterThan(least.get("busy"));
        assertThat(most.get("busy")).isGreaterThan(most.get("idle"));
    }

    @Test
    void rejectsWeightsBelowOne() {
        assertThatThrownBy(() -> new NodeResourcesFit(LEAST_ALLOCATED, Map.of("cpu", 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("scoring.resourceWeights.cpu");
    }
}
