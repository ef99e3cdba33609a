package io.kubenexus.scheduler.gang;

import static io.kubenexus.scheduler.core.testing.NodeFixture.node;
import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.config.ScoringStrategy;
import io.kubenexus.scheduler.gang.group.GroupPlan;
import io.kubenexus.scheduler.core.loop.SchedulingAlgorithm;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.state.ClusterState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class GangPackingTest {

    @Test
    void aPackingPlannerFillsNodesWhereLeastAllocatedWouldScatterTheGang() {
        SchedulerSettings defaults = SchedulerSettings.defaults();
        // LeastAllocated (kube-scheduler's default; ours is MostAllocated): spreads single pods.
        SchedulerSettings settings = defaults.withScoring(ScoringStrategy.LEAST_ALLOCATED, defaults.resourceWeights());
        SchedulingAlgorithm loopAlgorithm = new SchedulingAlgorithm(SchedulingProfile.defaults(settings), 100);
        List<PodInfo> workers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            workers.add(pod("w-" + i).cpu(2).build());
        }

        GroupPlan.Placed spread = (GroupPlan.Placed) new GangPlanner().plan("ns/job", 4, workers, 0, cluster(), loopAlgorithm);
        GroupPlan.Placed packed = (GroupPlan.Placed) GangPlanner.packing(settings)
                .plan("ns/job", 4, workers, 0, cluster(), loopAlgorithm);

        assertThat(new HashSet<>(spread.nodes().values())).as("LeastAllocated scatters").hasSize(4);
        assertThat(new HashSet<>(packed.nodes().values())).as("packed onto whole nodes").hasSize(1);
    }

    private static ClusterState cluster() {
        ClusterState state = new ClusterState();
        for (int i = 0; i < 4; i++) {
            state.upsertNode(node("n" + i).cpu(8).memoryGi(32).build());
        }
        return state;
    }
}
