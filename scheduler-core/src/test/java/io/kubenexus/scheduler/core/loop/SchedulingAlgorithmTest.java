package io.kubenexus.scheduler.core.loop;

import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.config.ScoringStrategy;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.state.ClusterState;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SchedulingAlgorithmTest {

    private static ClusterState identicalNodes(int count) {
        ClusterState state = new ClusterState();
        for (int i = 0; i < count; i++) {
            state.upsertNode(node(String.format("n%03d", i)).cpu(8).memoryGi(32).build());
        }
        return state;
    }

    private static SchedulingAlgorithm algorithm(SchedulerSettings settings) {
        return new SchedulingAlgorithm(SchedulingProfile.defaults(settings), settings.percentageOfNodesToScore());
    }

    @Test
    void tiesAreBrokenTheSameWayEveryTimeForAPod() {
        PodInfo pod = pod("p").cpu(1).build();
        String first = ((Decision.Placed) algorithm(SchedulerSettings.defaults()).schedule(pod, identicalNodes(20)))
                .nodeName();
        for (int run = 0; run < 5; run++) {
            Decision again = algorithm(SchedulerSettings.defaults()).schedule(pod, identicalNodes(20));
            assertThat(((Decision.Placed) again).nodeName()).isEqualTo(first);
        }
    }

    @Test
    void tiesSpreadDifferentPodsOverEqualNodes() {
        ClusterState state = identicalNodes(20);
        SchedulingAlgorithm algorithm = algorithm(SchedulerSettings.defaults()
                .withScoring(ScoringStrategy.MOST_ALLOCATED, Map.of("cpu", 1)));
        Set<String> chosen = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            // Not assumed: every decision sees the same empty, equal nodes.
            chosen.add(((Decision.Placed) algorithm.schedule(pod("p" + i).cpu(1).build(), state)).nodeName());
        }
        assertThat(chosen).as("a fixed tie-break would always pick one node").hasSizeGreaterThan(5);
    }

    @Test
    void everyFeasibleNodeIsConsideredByDefault() {
        ClusterState state = identicalNodes(300);
        // One node is clearly best for a packing score: it is already half full.
        state.upsertPod(pod("resident").cpu(4).boundTo("n257").build());
        SchedulingAlgorithm algorithm = algorithm(SchedulerSettings.defaults()
                .withScoring(ScoringStrategy.MOST_ALLOCATED, Map.of("cpu", 1)));

        Decision.Placed placed = (Decision.Placed) algorithm.schedule(pod("p").cpu(1).build(), state);

        assertThat(placed.feasibleNodes()).isEqualTo(300);
        assertThat(placed.nodeName()).isEqualTo("n257");
    }

    @Test
    void denseAndSparseFeasibleSetsReachEveryNode() {
        ClusterState state = identicalNodes(300);
        for (int i = 0; i < 300; i += 7) {
            state.removeNode(String.format("n%03d", i)); // holes in the node indices
        }
        state.upsertNode(node("n299").cpu(8).memoryGi(32).label("pool", "batch").build());
        state.upsertNode(node("n150").cpu(8).memoryGi(32).label("pool", "batch").build());
        state.upsertPod(pod("resident").cpu(4).boundTo("n299").build());
        SchedulingAlgorithm algorithm = algorithm(SchedulerSettings.defaults()
                .withScoring(ScoringStrategy.MOST_ALLOCATED, Map.of("cpu", 1)));

        Decision.Placed dense = (Decision.Placed) algorithm.schedule(pod("p").cpu(1).build(), state);
        Decision.Placed sparse = (Decision.Placed) algorithm.schedule(
                pod("q").cpu(1).nodeSelector("pool", "batch").build(), state);

        assertThat(dense.feasibleNodes()).isEqualTo(state.nodeCount());
        assertThat(dense.nodeName()).as("the last node index is reached").isEqualTo("n299");
        assertThat(sparse.feasibleNodes()).isEqualTo(2);
        assertThat(sparse.nodeName()).isEqualTo("n299");
    }

    @Test
    void samplingScoresAtLeastAHundredNodesRoundRobin() {
        ClusterState state = identicalNodes(1000);
        state.upsertPod(pod("resident").cpu(4).boundTo("n900").build());
        SchedulingAlgorithm algorithm = algorithm(SchedulerSettings.defaults()
                .withScoring(ScoringStrategy.MOST_ALLOCATED, Map.of("cpu", 1)).withPercentageOfNodesToScore(5));

        Set<String> chosen = new HashSet<>();
        boolean foundBest = false;
        for (int i = 0; i < 10; i++) {
            Decision.Placed placed = (Decision.Placed) algorithm.schedule(pod("p" + i).cpu(1).build(), state);
            chosen.add(placed.nodeName());
            foundBest |= placed.nodeName().equals("n900");
        }
        // 10 rounds of 100 nodes each cover the whole cluster once, so the best node is seen once.
        assertThat(foundBest).isTrue();
        assertThat(chosen).hasSizeGreaterThan(1);
    }
}
