package io.kubenexus.scheduler.app.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubenexus.scheduler.core.model.NodeInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClusterFileTest {
    @TempDir
    Path dir;

    @Test
    void readsTheAlibabaNodeList() throws IOException {
        List<NodeInfo> nodes = ClusterFile.read(file("sn,cpu_milli,memory_mib,gpu,model\n"
                + "openb-node-0000,32000,262144,0,\n"
                + "openb-node-0001,64000,262144,2,P100\n"));
        assertThat(nodes).hasSize(2);
        NodeInfo cpu = nodes.get(0);
        assertThat(cpu.name()).isEqualTo("openb-node-0000");
        assertThat(cpu.allocatable().get("cpu")).isEqualTo(32000);
        assertThat(cpu.allocatable().get("memory")).isEqualTo(262144L * 1024 * 1024);
        assertThat(cpu.allocatable().get("nvidia.com/gpu")).isZero();
        assertThat(cpu.labels()).containsEntry("kubenexus.io/pool", "cpu");
        NodeInfo gpu = nodes.get(1);
        assertThat(gpu.allocatable().get("nvidia.com/gpu")).isEqualTo(2);
        assertThat(gpu.labels()).containsEntry("nvidia.com/gpu.product", "P100").containsEntry("kubenexus.io/pool", "gpu");
        assertThat(gpu.ready()).isTrue();
        assertThat(gpu.taints()).isEmpty();
    }

    @Test
    void readsTheSimulatorsClusterFormatWithItsNumaZones() throws IOException {
        Path yaml = dir.resolve("cluster.yaml");
        Files.writeString(yaml, """
                nodes:
                  - name: a100
                    count: 2
                    cpu: 96
                    memory: 512Gi
                    gpus: 8
                    labels: {nvidia.com/gpu.product: A100}
                    numa:
                      zones: [{cpu: 48, memory: 256Gi, gpus: 4}, {cpu: 48, memory: 256Gi, gpus: 4}]
                  - name: cpu
                    cpu: 32
                    memory: 128Gi
                """);
        var cluster = ClusterFile.cluster(yaml);
        assertThat(cluster.nodes()).extracting(NodeInfo::name).containsExactly("a100-0", "a100-1", "cpu");
        assertThat(cluster.topologies()).containsOnlyKeys("a100-0", "a100-1");
        assertThat(cluster.topologies().get("a100-0").zones()).hasSize(2);
        assertThat(ClusterFile.cluster(file("sn,cpu_milli,memory_mib,gpu,model\nopenb-node-0000,32000,262144,0,\n"))
                .topologies()).as("a trace node list has no topology").isEmpty();
    }

    @Test
    void aBadSimulatorClusterIsRefusedNamingTheFlag() throws IOException {
        Path yaml = dir.resolve("bad.yaml");
        Files.writeString(yaml, "nodes:\n  - name: x\n    cpu: lots\n    memory: 1Gi\n");
        assertThatThrownBy(() -> ClusterFile.cluster(yaml)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--cluster: ").hasMessageContaining("bad.yaml");
    }

    @Test
    void readsTheSharedCopyOfTheTraceWhenPresent() {
        Path trace = Path.of("/work/shared/data/alibaba-gpu-v2023/openb_node_list_gpu_node.csv");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(trace), "no copy of the Alibaba trace here");
        List<NodeInfo> nodes = ClusterFile.read(trace);
        assertThat(nodes).hasSize(1213).allSatisfy(n -> assertThat(n.allocatable().get("nvidia.com/gpu")).isPositive());
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "name,cpu\\nn1,1                                                         | expected the header",
        "sn,cpu_milli,memory_mib,gpu,model\\n                                   | lists no nodes",
        "sn,cpu_milli,memory_mib,gpu,model\\nn1,abc,1024,0,                     | line 2: cpu_milli 'abc' is not a whole number",
        "sn,cpu_milli,memory_mib,gpu,model\\nn1,1000,0,0,                       | line 2: memory_mib must be positive",
        "sn,cpu_milli,memory_mib,gpu,model\\nn1,1000,1024,-1,                   | line 2: gpu must not be negative",
        "sn,cpu_milli,memory_mib,gpu,model\\nn1,1000,1024,0\\n                  | line 2: expected 5 columns",
        "sn,cpu_milli,memory_mib,gpu,model\\nn1,1000,1024,0,\\nn1,1000,1024,0,  | line 3: node n1 appears twice",
        "sn,cpu_milli,memory_mib,gpu,model\\nNode_1,1000,1024,0,                | line 2: sn 'Node_1' is not a valid node name"})
    void aBadFileIsRefusedWithTheLine(String content, String message) throws IOException {
        Path file = file(content.replace("\\n", "\n"));
        assertThatThrownBy(() -> ClusterFile.read(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--cluster: " + file).hasMessageContaining(message);
    }

    @Test
    void aMissingFileIsRefusedByName() {
        Path missing = dir.resolve("nope.csv");
        assertThatThrownBy(() -> ClusterFile.read(missing)).hasMessageContaining("--cluster: cannot read " + missing);
    }

    private Path file(String content) throws IOException {
        Path file = dir.resolve("nodes.csv");
        Files.writeString(file, content);
        return file;
    }
}
