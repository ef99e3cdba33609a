package io.kubenexus.scheduler.sim.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.ResourceNames;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NumaShapesTest {

    @Test
    void twoSocketGpuNodeSplitsEvenlyIntoTwoAlignedZonesWithAnIslandEach() {
        NumaLayout layout = NodeShape.DEMO_GPU_NUMA.numa();

        assertThat(layout.zones()).isEqualTo(2);
        assertThat(layout.cpuMilliPerZone()).isEqualTo(48_000);
        assertThat(layout.memoryBytesPerZone()).isEqualTo(512 * NodeShape.GI);
        assertThat(layout.gpusPerZone()).isEqualTo(4);
        assertThat(layout.topologyManagerPolicy()).isEqualTo("single-numa-node");
        assertThat(layout.topologyManagerScope()).isEqualTo("container");
        assertThat(layout.nvlinkIslandPerZone()).isTrue();
        assertThat(NodeShape.DEMO_GPU_NUMA.taints()).containsExactly(NodeShape.GPU_TAINT);
    }

    @Test
    void fourZoneCpuNodeRunsRestrictedWithPodScope() {
        NumaLayout layout = NodeShape.DEMO_CPU_NUMA.numa();

        assertThat(layout.zones()).isEqualTo(4);
        assertThat(layout.cpuMilliPerZone()).isEqualTo(16_000);
        assertThat(layout.memoryBytesPerZone()).isEqualTo(64 * NodeShape.GI);
        assertThat(layout.topologyManagerPolicy()).isEqualTo("restricted");
        assertThat(layout.topologyManagerScope()).isEqualTo("pod");
        assertThat(NodeShape.DEMO_CPU_NUMA.gpus()).isZero();
    }

    @Test
    void existingShapesPublishNoTopologyAndKeepItThroughWithWeight() {
        assertThat(NodeShape.DEMO_CPU.numa()).isNull();
        assertThat(NodeShape.DEMO_GPU.numa()).isNull();
        assertThat(NodeShape.cpu("c", "t", 4, 8, 1).numa()).isNull();
        assertThat(NodeShape.DEMO_GPU_NUMA.withWeight(0.3).numa()).isEqualTo(NodeShape.DEMO_GPU_NUMA.numa());
    }

    @Test
    void zonesMustAddUpToTheNode() {
        assertThatThrownBy(() -> NodeShape.cpu("c", "t", 60, 256, 1).withNuma(NumaLayout.cpuZones(4, 16, 64)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node shape c: its NUMA zones hold");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no zones          | 0 | 1000 | container | none      | zones must be 1..16",
            "fractional cores  | 2 | 1500 | container | none      | whole cores",
            "unknown policy    | 2 | 1000 | container | strict    | topologyManagerPolicy 'strict'",
            "unknown scope     | 2 | 1000 | node      | none      | topologyManagerScope 'node'"})
    void invalidLayoutsFailNamingTheField(String name, int zones, long cpu, String scope, String policy, String message) {
        assertThatThrownBy(() -> new NumaLayout(zones, cpu, NodeShape.GI, 0, policy, scope, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void buildNodesCarriesEachNodesShapeInBuildOrder() {
        List<NodeShape> mix = List.of(NodeShape.DEMO_CPU.withWeight(0.5), NodeShape.DEMO_GPU_NUMA.withWeight(0.25),
                NodeShape.DEMO_CPU_NUMA.withWeight(0.25));
        SyntheticCluster.Builder builder = SyntheticCluster.builder().seed(5).nodes(8).shapes(mix);

        List<SyntheticNode> nodes = builder.buildNodes();

        assertThat(nodes).extracting(SyntheticNode::node).isEqualTo(builder.build());
        assertThat(nodes).filteredOn(n -> n.shape().numa() != null).extracting(n -> n.node().name())
                .containsExactly("gpu-numa-node-0000", "gpu-numa-node-0001", "cpu-numa-node-0000", "cpu-numa-node-0001");
        NodeInfo gpu = nodes.get(4).node();
        assertThat(gpu.allocatable().amounts()).containsAllEntriesOf(Map.of(ResourceNames.CPU, 96_000L,
                ResourceNames.MEMORY, 1024 * NodeShape.GI, ResourceNames.NVIDIA_GPU, 8L));
    }
}
