package io.kubenexus.scheduler.kube.numa;

import static io.kubenexus.scheduler.core.testing.PodFixture.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.gang.group.GroupPlan;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.state.ClusterState;
import io.kubenexus.scheduler.core.testing.NodeFixture;
import io.kubenexus.scheduler.gang.GangPlanner;
import io.kubenexus.scheduler.numa.GpuInterconnect;
import io.kubenexus.scheduler.numa.GpuIsland;
import io.kubenexus.scheduler.numa.NodeTopology;
import io.kubenexus.scheduler.numa.NumaPlugins;
import io.kubenexus.scheduler.numa.NumaRequest;
import io.kubenexus.scheduler.numa.NumaSettings;
import io.kubenexus.scheduler.numa.NumaZone;
import io.kubenexus.scheduler.numa.NumaZones;
import io.kubenexus.scheduler.numa.TopologyManagerPolicy;
import io.kubenexus.scheduler.numa.TopologyManagerScope;
import io.kubenexus.scheduler.numa.TopologySource;
import io.kubenexus.scheduler.numa.ZonePlacement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A gang of single-numa members planned with the NUMA plugins (gang and numa meet only here): every
 * member gets an aligned place, and a gang that fits the nodes' totals but not their zones waits,
 * holding nothing.
 */
class NumaGangPlanTest {
    private static final long GI = 1L << 30;

    private final NumaSettings numa = NumaSettings.defaults();
    private final NumaZones zones = new NumaZones(numa);
    private final ClusterState state = new ClusterState();
    private final GangPlanner planner = GangPlanner.packing(SchedulerSettings.defaults(), NumaPlugins.profiles(numa));

    NumaGangPlanTest() {
        state.addExtension(zones);
        gpuNode("gpu-a");
        gpuNode("gpu-b");
    }

    /** 2 zones x {48 cores, 512Gi, 4 GPUs}, kubelet single-numa-node, one NVLink island per zone. */
    private void gpuNode(String name) {
        state.upsertNode(NodeFixture.node(name).cpu(96).memoryGi(1024).gpus(8).pods(110).build());
        Map<String, Long> zone = Map.of("cpu", 48_000L, "memory", 512 * GI, "nvidia.com/gpu", 4L);
        NodeTopology topology = new NodeTopology(List.of(NumaZone.idle(0, zone), NumaZone.idle(1, zone)),
                TopologyManagerPolicy.SINGLE_NUMA_NODE, TopologyManagerScope.CONTAINER);
        GpuInterconnect islands = new GpuInterconnect("nvidia.com/gpu",
                List.of(new GpuIsland("nvl0", 0, 4), new GpuIsland("nvl1", 1, 4)));
        zones.setTopology(name, topology, islands, TopologySource.NODE_RESOURCE_TOPOLOGY);
    }

    /** Members of 3 GPUs: one per zone, though a node has room for 2 by its totals. */
    private static List<PodInfo> members(int count) {
        List<PodInfo> members = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            members.add(pod("worker-" + i).cpu(8).memoryGi(64).gpu(3).guaranteed()
                    .annotation(NumaRequest.POLICY_ANNOTATION, "single-numa").build());
        }
        return members;
    }

    @Test
    void everyMemberGetsAZoneOfItsOwn() {
        List<PodInfo> members = members(4);

        GroupPlan plan = planner.plan("train", 4, members, 0, state, null);

        assertThat(plan).isInstanceOf(GroupPlan.Placed.class);
        Set<String> places = new HashSet<>();
        for (PodInfo member : members) {
            ZonePlacement placement = zones.placement(member.key());
            assertThat(placement).as("%s charged to a zone", member.key().name()).isNotNull();
            assertThat(placement.zones().count()).as("%s in one zone", member.key().name()).isEqualTo(1);
            assertThat(placement.nodeName()).isEqualTo(((GroupPlan.Placed) plan).nodes().get(member.key()));
            places.add(placement.nodeName() + "/" + placement.describe());
        }
        assertThat(places).containsExactlyInAnyOrder(
                "gpu-a/NUMA zone 0, NVLink island nvl0", "gpu-a/NUMA zone 1, NVLink island nvl1",
                "gpu-b/NUMA zone 0, NVLink island nvl0", "gpu-b/NUMA zone 1, NVLink island nvl1");
    }

    @Test
    void aGangThatFitsTheTotalsButNotTheZonesWaitsHoldingNothing() {
        // 15 GPUs of 16 free, but only 4 zones can hold 3 GPUs each.
        List<PodInfo> members = members(5);

        GroupPlan plan = planner.plan("train", 5, members, 0, state, null);

        assertThat(plan).isInstanceOf(GroupPlan.Waiting.class);
        assertThat(((GroupPlan.Waiting) plan).message()).contains("the best plan fits 4 of 5");
        for (PodInfo member : members) {
            PodKey key = member.key();
            assertThat(state.accountedPod(key)).as("%s not assumed", key.name()).isNull();
            assertThat(zones.placement(key)).as("%s not charged", key.name()).isNull();
        }
        for (String node : List.of("gpu-a", "gpu-b")) {
            assertThat(zones.free(node, 0, "nvidia.com/gpu")).isEqualTo(4);
            assertThat(zones.free(node, 1, "nvidia.com/gpu")).isEqualTo(4);
        }
    }

    @Test
    void aGangBesideAnAlignedPodUsesTheZonesLeft() {
        // One zone of gpu-a is taken by a lone 2-GPU pod: 3 zones stay able to hold 3 GPUs.
        PodInfo lone = pod("lone").cpu(8).memoryGi(64).gpu(2).guaranteed().build();
        state.assume(lone.withNodeName("gpu-a"));

        assertThat(planner.plan("train", 4, members(4), 0, state, null)).isInstanceOf(GroupPlan.Waiting.class);
        GroupPlan plan = planner.plan("train", 3, members(3), 0, state, null);

        assertThat(plan).isInstanceOf(GroupPlan.Placed.class);
        assertThat(((GroupPlan.Placed) plan).nodes().values()).containsExactlyInAnyOrder("gpu-a", "gpu-b", "gpu-b");
        assertThat(zones.placement(members(1).get(0).key())).isNotNull();
    }
}
