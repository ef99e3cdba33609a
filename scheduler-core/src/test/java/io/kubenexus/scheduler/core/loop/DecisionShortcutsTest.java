package io.kubenexus.scheduler.core.loop;

import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static io.kubenexus.scheduler.core.testing.PodFixture.req;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.config.ScoringStrategy;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.framework.PodContext;
import io.kubenexus.scheduler.core.framework.ScorePlugin;
import io.kubenexus.scheduler.core.model.NodeSelectorOperator;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.TaintEffect;
import io.kubenexus.scheduler.core.model.Toleration;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.plugins.WeightedScorePlugin;
import io.kubenexus.scheduler.core.state.ClusterSnapshot;
import io.kubenexus.scheduler.core.state.ClusterState;
import io.kubenexus.scheduler.core.testing.NodeFixture;
import io.kubenexus.scheduler.core.testing.PodFixture;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The decision takes shortcuts: score plugins that know every node scores the same are not run
 * per node, and feasible nodes are collected bit by bit when most nodes are feasible. Neither may
 * change a decision: this runs the same pods through the default profile and through one whose
 * score plugins hide their shortcut, on random clusters with taints, labels and removed nodes,
 * and expects the same node and the same total score every time.
 */
class DecisionShortcutsTest {

    @ParameterizedTest
    @EnumSource(ScoringStrategy.class)
    void shortcutsChangeNoDecision(ScoringStrategy strategy) {
        SchedulerSettings settings = SchedulerSettings.defaults().withScoring(strategy, Map.of("cpu", 1, "memory", 1));
        SplittableRandom random = new SplittableRandom(31 + strategy.ordinal());
        int decisions = 0;
        for (int round = 0; round < 15; round++) {
            ClusterState state = randomCluster(random, round % 3 == 0);
            SchedulingAlgorithm withShortcuts = new SchedulingAlgorithm(SchedulingProfile.defaults(settings), 100);
            SchedulingAlgorithm everyNode = new SchedulingAlgorithm(withoutShortcuts(SchedulingProfile.defaults(settings)),
                    100);
            for (int p = 0; p < 20; p++) {
                PodInfo pod = randomPod(random, "p" + round + "-" + p);
                Decision expected = everyNode.schedule(pod, state);
                Decision actual = withShortcuts.schedule(pod, state);
                if (expected instanceof Decision.Placed placed) {
                    assertThat(actual).as("pod %s", pod.key()).isInstanceOf(Decision.Placed.class);
                    Decision.Placed got = (Decision.Placed) actual;
                    assertThat(got.nodeName()).as("pod %s", pod.key()).isEqualTo(placed.nodeName());
                    assertThat(got.score()).as("pod %s", pod.key()).isEqualTo(placed.score());
                    assertThat(got.feasibleNodes()).isEqualTo(placed.feasibleNodes());
                    decisions++;
                } else {
                    assertThat(actual).isEqualTo(expected);
                }
            }
        }
        assertThat(decisions).as("placed decisions compared").isGreaterThan(200);
    }

    /** The same plugins and weights, each behind a wrapper that never claims a uniform score. */
    private static SchedulingProfile withoutShortcuts(SchedulingProfile profile) {
        return new SchedulingProfile(profile.preFilters(), profile.filters(), profile.scores().stream()
                .map(weighted -> new WeightedScorePlugin(new EveryNode(weighted.plugin()), weighted.weight()))
                .toList());
    }

    private record EveryNode(ScorePlugin plugin) implements ScorePlugin {
        @Override
        public String name() {
            return plugin.name();
        }

        @Override
        public void score(PodContext pod, ClusterSnapshot snapshot, int[] nodes, int count, long[] scores) {
            plugin.score(pod, snapshot, nodes, count, scores);
        }

        @Override
        public void normalize(PodContext pod, long[] scores, int count) {
            plugin.normalize(pod, scores, count);
        }
    }

    /** 150 nodes in three zones, some with a PreferNoSchedule taint (or none at all), some removed, some busy. */
    private static ClusterState randomCluster(SplittableRandom random, boolean withoutPreferTaints) {
        ClusterState state = new ClusterState();
        for (int n = 0; n < 150; n++) {
            NodeFixture node = node("n" + n).cpu(random.nextInt(2, 65)).memoryGi(random.nextInt(4, 257))
                    .label("zone", "z" + random.nextInt(3));
            if (!withoutPreferTaints && random.nextInt(4) == 0) {
                node.taint("spot", "true", TaintEffect.PREFER_NO_SCHEDULE);
            }
            if (!withoutPreferTaints && random.nextInt(7) == 0) {
                node.taint("maintenance", "soon", TaintEffect.PREFER_NO_SCHEDULE);
            }
            state.upsertNode(node.build());
        }
        for (int n = 0; n < 150; n += 1 + random.nextInt(10)) {
            state.removeNode("n" + n);
        }
        for (int i = 0; i < 400; i++) {
            state.upsertPod(pod("bound-" + i).cpuMilli(random.nextLong(100, 8000)).memoryMi(random.nextLong(64, 32_000))
                    .boundTo("n" + random.nextInt(150)).build());
        }
        return state;
    }

    private static PodInfo randomPod(SplittableRandom random, String name) {
        PodFixture pod = pod(name).cpuMilli(random.nextLong(100, 16_000)).memoryMi(random.nextLong(64, 64_000));
        switch (random.nextInt(4)) {
            case 0 -> pod.nodeSelector("zone", "z" + random.nextInt(3)); // about a third feasible
            case 1 -> pod.requiredTerm(req("zone", NodeSelectorOperator.IN, "z0")).preferred(30,
                    req("zone", NodeSelectorOperator.IN, "z0"));
            case 2 -> pod.preferred(1 + random.nextInt(100), req("zone", NodeSelectorOperator.IN, "z" + random.nextInt(3)));
            default -> { } // every node feasible unless full
        }
        if (random.nextBoolean()) {
            pod.toleration(Toleration.exists("spot", TaintEffect.PREFER_NO_SCHEDULE));
        }
        if (random.nextInt(3) == 0) {
            // A pod that only fits a few nodes: the feasible set is sparse.
            pod.cpuMilli(random.nextLong(40_000, 64_000));
        }
        return pod.build();
    }
}
