package io.kubenexus.scheduler.core.plugins;

import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.config.GpuFragmentationSettings;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.config.ScoringStrategy;
import io.kubenexus.scheduler.core.framework.ScorePlugin;
import io.kubenexus.scheduler.core.loop.Decision;
import io.kubenexus.scheduler.core.loop.SchedulingAlgorithm;
import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.state.ClusterState;
import io.kubenexus.scheduler.core.testing.NodeFixture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GpuFragmentationTest {
    private static final String MODEL = GpuFragmentationSettings.DEFAULT_MODEL_LABEL;

    private static SchedulingAlgorithm algorithm(int fragmentationWeight) {
        return algorithm(fragmentationWeight, SchedulerSettings.defaults().scoringStrategy());
    }

    private static SchedulingAlgorithm algorithm(int fragmentationWeight, ScoringStrategy strategy) {
        SchedulerSettings defaults = SchedulerSettings.defaults();
        SchedulerSettings settings = defaults.withScoring(strategy, defaults.resourceWeights())
                .withPluginWeights(Map.of(GpuFragmentation.NAME, fragmentationWeight));
        return new SchedulingAlgorithm(SchedulingProfile.defaults(settings), 100);
    }

    private static ClusterState cluster(List<NodeInfo> nodes, List<PodInfo> bound) {
        ClusterState state = new ClusterState();
        nodes.forEach(state::upsertNode);
        bound.forEach(state::upsertPod);
        return state;
    }

    private static String placed(Decision decision) {
        assertThat(decision).isInstanceOf(Decision.Placed.class);
        return ((Decision.Placed) decision).nodeName();
    }

    @Test
    void aOneGpuPodFillsAPartlyUsedNodeAndKeepsAnEmptyOneWhole() {
        ClusterState state = cluster(List.of(
                node("empty").cpu(96).memoryGi(384).gpus(8).label(MODEL, "G2").build(),
                node("used").cpu(96).memoryGi(384).gpus(8).label(MODEL, "G2").build()),
                List.of(pod("five").gpu(5).cpu(40).memoryGi(160).boundTo("used").build()));

        // Without the score, LeastAllocated spreads the pod onto the empty node; the score keeps it
        // whole under either strategy (the default packs).
        PodInfo p = pod("p").gpu(1).cpu(4).memoryGi(16).build();
        assertThat(placed(algorithm(0, ScoringStrategy.LEAST_ALLOCATED).schedule(p, state))).isEqualTo("empty");
        assertThat(placed(algorithm(30, ScoringStrategy.LEAST_ALLOCATED).schedule(p, state))).isEqualTo("used");
        assertThat(placed(algorithm(30).schedule(p, state))).isEqualTo("used");
    }

    @Test
    void aPodThatWouldLeaveFreeGpusWithoutCpuGoesElsewhere() {
        List<NodeInfo> nodes = List.of(
                node("short").cpu(64).memoryGi(256).gpus(4).build(),
                node("roomy").cpu(64).memoryGi(256).gpus(4).build());
        List<PodInfo> bound = List.of(pod("busy-1").cpu(52).memoryGi(8).boundTo("short").build(),
                pod("busy-2").cpu(40).memoryGi(8).boundTo("roomy").build());
        PodInfo pod = pod("p").gpu(1).cpu(6).memoryGi(8).build();
        GpuFragmentation plugin = new GpuFragmentation(GpuFragmentationSettings.defaults());
        ClusterUnderTest cluster = ClusterUnderTest.of(nodes, bound);
        // The expected workload: one-GPU pods of 8 cores.
        for (int i = 0; i < 20; i++) {
            plugin.preFilter(cluster.state().podContext(pod("seen-" + i).gpu(1).cpu(8).memoryGi(8).build()),
                    cluster.state());
        }

        Map<String, Long> raw = cluster.rawScores(plugin, pod);

        // "short" keeps 6 of 12 free cores: its 3 other GPUs become useless to 8-core pods. "roomy"
        // keeps 18: nothing is stranded. The packing tie-break alone would prefer the fuller "short".
        assertThat(Math.floorDiv(raw.get("short"), 1024)).isGreaterThan(2_000_000);
        assertThat(Math.floorDiv(raw.get("roomy"), 1024)).isLessThanOrEqualTo(0);
        SchedulingAlgorithm algorithm = algorithm(30);
        ClusterState state = cluster(nodes, bound);
        for (int i = 0; i < 20; i++) {
            algorithm.schedule(pod("seen-" + i).gpu(1).cpu(8).memoryGi(8).build(), state);
        }
        assertThat(placed(algorithm.schedule(pod, state))).isEqualTo("roomy");
    }

    @Test
    void anUnconstrainedPodLeavesAScarceModelToThePodsBoundToIt() {
        ClusterState state = cluster(List.of(
                node("t4").cpu(64).memoryGi(256).gpus(4).label(MODEL, "T4").build(),
                node("g2").cpu(64).memoryGi(256).gpus(4).label(MODEL, "G2").build()),
                List.of());
        SchedulingAlgorithm algorithm = algorithm(30);
        for (int i = 0; i < 20; i++) {
            PodInfo seen = i % 2 == 0 ? pod("t4-" + i).gpu(1).cpu(1).nodeSelector(MODEL, "T4").build()
                    : pod("any-" + i).gpu(1).cpu(1).build();
            algorithm.schedule(seen, state);
        }
        PodInfo unconstrained = pod("p").gpu(1).cpu(1).build();

        assertThat(placed(algorithm.schedule(unconstrained, state))).isEqualTo("g2");
    }

    @Test
    void aPodWithoutGpusPrefersANodeWithoutFreeGpusWhenItFragmentsNothing() {
        ClusterState state = cluster(List.of(
                node("cpu-only").cpu(16).memoryGi(64).build(),
                node("gpu").cpu(96).memoryGi(384).gpus(8).build()),
                List.of(pod("half").cpu(8).memoryGi(32).boundTo("cpu-only").build()));
        PodInfo web = pod("web").cpu(1).memoryGi(1).build();

        assertThat(placed(algorithm(0, ScoringStrategy.LEAST_ALLOCATED).schedule(web, state))).isEqualTo("gpu");
        assertThat(placed(algorithm(30, ScoringStrategy.LEAST_ALLOCATED).schedule(web, state))).isEqualTo("cpu-only");
        assertThat(placed(algorithm(30).schedule(web, state))).isEqualTo("cpu-only");
    }

    @Test
    void normalizedScoresSpanZeroToMaxAndAllAlikeScoreZero() {
        GpuFragmentation plugin = new GpuFragmentation(GpuFragmentationSettings.defaults());
        long[] raw = {-3_000_000L * 1024, 0, 5_000_000L * 1024 + 7};

        plugin.normalize(null, raw, 3);

        assertThat(raw[0]).isEqualTo(ScorePlugin.MAX_NODE_SCORE);
        assertThat(raw[2]).isBetween(0L, 10L);
        assertThat(raw[1]).isBetween(raw[2], raw[0]);
        long[] alike = {42, 42};
        plugin.normalize(null, alike, 2);
        assertThat(alike).containsExactly(0, 0);
    }

    @Test
    void inAClusterWithoutGpusEveryDecisionIsTheOneWithoutTheScore() {
        SplittableRandom random = new SplittableRandom(14);
        for (int round = 0; round < 20; round++) {
            List<NodeInfo> nodes = new ArrayList<>();
            int nodeCount = 2 + random.nextInt(30);
            for (int n = 0; n < nodeCount; n++) {
                NodeFixture fixture = node("n" + n).cpu(2 + random.nextInt(62)).memoryGi(4 + random.nextInt(252));
                if (random.nextInt(4) == 0) {
                    fixture.label("zone", "z" + random.nextInt(3));
                }
                nodes.add(fixture.build());
            }
            ClusterState with = cluster(nodes, List.of());
            ClusterState without = cluster(nodes, List.of());
            SchedulingAlgorithm scored = algorithm(30);
            SchedulingAlgorithm plain = algorithm(0);
            for (int p = 0; p < 60; p++) {
                PodInfo pod = pod("p" + round + "-" + p).cpuMilli(100 + random.nextInt(8000))
                        .memoryMi(64 + random.nextInt(16_000)).build();
                Decision a = scored.schedule(pod, with);
                Decision b = plain.schedule(pod, without);
                assertThat(a).as("round %d pod %d", round, p).isEqualTo(b);
                if (a instanceof Decision.Placed placed) {
                    with.upsertPod(pod.withNodeName(placed.nodeName()));
                    without.upsertPod(pod.withNodeName(placed.nodeName()));
                }
            }
        }
    }
}
