package io.kubenexus.scheduler.core.loop;

import static io.kubenexus.scheduler.core.testing.InterPodFixture.hard;
import static io.kubenexus.scheduler.core.testing.InterPodFixture.interPod;
import static io.kubenexus.scheduler.core.testing.InterPodFixture.labels;
import static io.kubenexus.scheduler.core.testing.InterPodFixture.soft;
import static io.kubenexus.scheduler.core.testing.InterPodFixture.term;
import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static io.kubenexus.scheduler.core.testing.PodFixture.req;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.config.ScoringStrategy;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.model.NodeSelectorOperator;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.TaintEffect;
import io.kubenexus.scheduler.core.model.Toleration;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.state.ClusterState;
import io.kubenexus.scheduler.core.testing.NodeFixture;
import io.kubenexus.scheduler.core.testing.OneByOne;
import io.kubenexus.scheduler.core.testing.PodFixture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link SchedulingAlgorithm#scheduleCopies} must give exactly the decisions of one
 * {@link SchedulingAlgorithm#schedule} per copy with each assumed before the next: same nodes,
 * scores, feasible counts and messages. Checked on twin random clusters (one per way), for
 * templates that fill nodes, use host ports, mind PreferNoSchedule taints or prefer labels (the
 * paths that score everything again), fit only a few nodes, or do not fit at all, and for inter-pod
 * constraints: their own (full decisions) and bound pods' (plain copies stay node by node).
 */
class ScheduleCopiesTest {

    static Stream<Arguments> templates() {
        return Stream.of(
                Arguments.of("executors filling nodes", (Consumer<PodFixture>) pod -> pod.cpu(4).memoryGi(16)),
                Arguments.of("host port: one per node", (Consumer<PodFixture>) pod -> pod.cpu(1).hostPort(7077)),
                Arguments.of("tolerating the spot taint", (Consumer<PodFixture>) pod -> pod.cpu(2).memoryGi(8)
                        .toleration(Toleration.exists("spot", TaintEffect.PREFER_NO_SCHEDULE))),
                Arguments.of("preferring a zone", (Consumer<PodFixture>) pod -> pod.cpu(3).memoryGi(4)
                        .preferred(40, req("zone", NodeSelectorOperator.IN, "z1"))),
                Arguments.of("two preferences: the best nodes fill first, then the normalization changes",
                        (Consumer<PodFixture>) pod -> pod.cpu(4).memoryGi(8)
                                .preferred(40, req("zone", NodeSelectorOperator.IN, "z1"))
                                .preferred(30, req("disk", NodeSelectorOperator.IN, "ssd"))),
                Arguments.of("one zone only", (Consumer<PodFixture>) pod -> pod.cpu(6).memoryGi(24)
                        .nodeSelector("zone", "z2")),
                Arguments.of("fits a few nodes", (Consumer<PodFixture>) pod -> pod.cpu(40).memoryGi(8)),
                Arguments.of("fits nowhere", (Consumer<PodFixture>) pod -> pod.cpu(500)),
                Arguments.of("anti-affinity to its own kind per zone: three fit", (Consumer<PodFixture>) pod -> pod
                        .cpu(1).label("app", "x")
                        .interPod(interPod().antiAffinity(term(labels("app", "x"), "zone")).build())),
                Arguments.of("spread over zones, DoNotSchedule", (Consumer<PodFixture>) pod -> pod.cpu(1)
                        .label("app", "x").interPod(interPod().spread(hard(1, "zone", labels("app", "x"))).build())),
                Arguments.of("spread over zones, ScheduleAnyway", (Consumer<PodFixture>) pod -> pod.cpu(1)
                        .label("app", "x").interPod(interPod().spread(soft(1, "zone", labels("app", "x"))).build())),
                Arguments.of("kept away by bound pods' anti-affinity (no terms of its own)",
                        (Consumer<PodFixture>) pod -> pod.cpu(2).label("role", "noisy")),
                Arguments.of("preferring the zone of bound db pods", (Consumer<PodFixture>) pod -> pod.cpu(2)
                        .interPod(interPod().preferredAffinity(50, term(labels("app", "db"), "zone")).build())),
                Arguments.of("no requests", (Consumer<PodFixture>) pod -> { }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("templates")
    void copiesGetTheDecisionsOfOneByOne(String name, Consumer<PodFixture> template) {
        for (ScoringStrategy strategy : ScoringStrategy.values()) {
            for (long seed = 1; seed <= 6; seed++) {
                boolean preferTaints = seed % 2 == 0;
                SchedulerSettings settings = SchedulerSettings.defaults()
                        .withScoring(strategy, Map.of("cpu", 1, "memory", 1));
                List<PodInfo> copies = new ArrayList<>();
                for (int i = 0; i < 120; i++) {
                    PodFixture pod = pod("exec-" + i).uid("uid-" + seed + "-" + i);
                    template.accept(pod);
                    copies.add(pod.build());
                }

                ClusterState oneByOneState = randomCluster(seed, preferTaints);
                List<Decision> expected = OneByOne.decide(
                        new SchedulingAlgorithm(SchedulingProfile.defaults(settings), 100), oneByOneState, copies);

                ClusterState copiesState = randomCluster(seed, preferTaints);
                SchedulingAlgorithm together = new SchedulingAlgorithm(SchedulingProfile.defaults(settings), 100);
                List<Decision> actual = together.scheduleCopies(copies, copiesState,
                        (copy, placed) -> copiesState.assume(copy.withNodeName(placed.nodeName())));

                assertThat(actual).as("%s, seed %d, prefer taints %s", strategy, seed, preferTaints)
                        .containsExactlyElementsOf(expected);
            }
        }
    }

    /**
     * With free GPUs the GPU fragmentation score looks across nodes (and learns from each copy), so
     * every copy gets a full decision; the result must still be one-by-one's, for GPU and cpu copies.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("gpuTemplates")
    void copiesInAClusterWithFreeGpusGetTheDecisionsOfOneByOne(String name, Consumer<PodFixture> template) {
        for (long seed = 1; seed <= 4; seed++) {
            SchedulerSettings settings = SchedulerSettings.defaults();
            List<PodInfo> copies = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                PodFixture pod = pod("worker-" + i).uid("uid-" + seed + "-" + i);
                template.accept(pod);
                copies.add(pod.build());
            }
            ClusterState oneByOneState = randomCluster(seed, false, true);
            List<Decision> expected = OneByOne.decide(
                    new SchedulingAlgorithm(SchedulingProfile.defaults(settings), 100), oneByOneState, copies);
            ClusterState copiesState = randomCluster(seed, false, true);
            List<Decision> actual = new SchedulingAlgorithm(SchedulingProfile.defaults(settings), 100)
                    .scheduleCopies(copies, copiesState,
                            (copy, placed) -> copiesState.assume(copy.withNodeName(placed.nodeName())));

            assertThat(actual).as("seed %d", seed).containsExactlyElementsOf(expected);
            assertThat(expected).anyMatch(Decision.Placed.class::isInstance);
        }
    }

    static Stream<Arguments> gpuTemplates() {
        return Stream.of(
                Arguments.of("one-GPU workers", (Consumer<PodFixture>) pod -> pod.gpu(1).cpu(2).memoryGi(8)),
                Arguments.of("workers of one GPU model", (Consumer<PodFixture>) pod -> pod.gpu(1).cpu(1)
                        .nodeSelector("nvidia.com/gpu.product", "m1")),
                Arguments.of("cpu executors beside GPUs", (Consumer<PodFixture>) pod -> pod.cpu(3).memoryGi(4)));
    }

    @Test
    void samplingDecidesEachCopyInFull() {
        SchedulerSettings settings = SchedulerSettings.defaults().withPercentageOfNodesToScore(10);
        List<PodInfo> copies = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            copies.add(pod("exec-" + i).cpu(4).memoryGi(16).build());
        }
        ClusterState expectedState = randomCluster(3, false);
        List<Decision> expected = OneByOne.decide(
                new SchedulingAlgorithm(SchedulingProfile.defaults(settings), 10), expectedState, copies);
        assertThat(expected).allMatch(Decision.Placed.class::isInstance);
        ClusterState state = randomCluster(3, false);

        List<Decision> actual = new SchedulingAlgorithm(SchedulingProfile.defaults(settings), 10)
                .scheduleCopies(copies, state, (copy, placed) -> state.assume(copy.withNodeName(placed.nodeName())));

        assertThat(actual).containsExactlyElementsOf(expected);
    }

    @Test
    void copiesAreAlikeInWhatPluginsReadOnly() {
        PodInfo a = pod("a").uid("1").cpu(2).label("spark-exec-id", "1").priority(5).build();
        PodInfo b = pod("b").uid("2").cpu(2).label("spark-exec-id", "2").priority(7).build();

        assertThat(a.schedulesLike(b)).isTrue();
        assertThat(a.schedulesLike(pod("c").cpu(3).build())).isFalse();
        assertThat(a.schedulesLike(pod("d").cpu(2).nodeSelector("zone", "z1").build())).isFalse();
        assertThat(a.schedulesLike(pod("e").cpu(2).hostPort(80).build())).isFalse();
        assertThat(a.schedulesLike(pod("f").cpu(2).annotation("numa.scheduling.kubenexus.io/policy", "single-numa")
                .build())).isFalse();
    }

    /** 60 nodes of mixed sizes in three zones, some tainted PreferNoSchedule, a few removed, some busy. */
    private static ClusterState randomCluster(long seed, boolean preferTaints) {
        return randomCluster(seed, preferTaints, false);
    }

    private static ClusterState randomCluster(long seed, boolean preferTaints, boolean gpus) {
        SplittableRandom random = new SplittableRandom(seed);
        ClusterState state = new ClusterState();
        for (int n = 0; n < 60; n++) {
            NodeFixture node = node("n" + n).cpu(4 * random.nextInt(1, 17)).memoryGi(16 * random.nextInt(1, 17))
                    .label("zone", "z" + random.nextInt(3)).label("disk", random.nextBoolean() ? "ssd" : "hdd");
            if (gpus && n % 3 == 0) {
                node.gpus(1L << random.nextInt(4)).label("nvidia.com/gpu.product", "m" + random.nextInt(3));
            }
            if (preferTaints && random.nextInt(4) == 0) {
                node.taint("spot", "true", TaintEffect.PREFER_NO_SCHEDULE);
            }
            if (preferTaints && random.nextInt(6) == 0) {
                node.taint("maintenance", "soon", TaintEffect.PREFER_NO_SCHEDULE);
            }
            state.upsertNode(node.build());
        }
        for (int n = 3; n < 60; n += 11) {
            state.removeNode("n" + n);
        }
        for (int i = 0; i < 150; i++) {
            state.upsertPod(pod("bound-" + i).cpuMilli(random.nextLong(100, 12_000))
                    .memoryMi(random.nextLong(64, 48_000)).boundTo("n" + random.nextInt(60)).build());
        }
        // Pods with terms: one keeps "noisy" pods out of its zone; with preferTaints, one more prefers
        // them away from its disk type (then noisy copies score across nodes: full decisions).
        state.upsertPod(pod("db-0").cpuMilli(100).label("app", "db").boundTo("n" + random.nextInt(60))
                .interPod(interPod().antiAffinity(term(labels("role", "noisy"), "zone")).build()).build());
        if (!preferTaints) {
            return state;
        }
        state.upsertPod(pod("db-1").cpuMilli(100).label("app", "db").boundTo("n" + random.nextInt(60))
                .interPod(interPod().preferredAntiAffinity(10, term(labels("role", "noisy"), "disk")).build()).build());
        return state;
    }
}
