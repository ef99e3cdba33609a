package io.kubenexus.scheduler.sim.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.NodeSelectorOperator;
import io.kubenexus.scheduler.core.model.NodeSelectorRequirement;
import io.kubenexus.scheduler.core.model.ResourceNames;
import io.kubenexus.scheduler.sim.model.SimCluster;
import io.kubenexus.scheduler.sim.model.SimTask;
import io.kubenexus.scheduler.sim.model.SimWorkload;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class AlibabaTraceTest {
    private static final String NODES = """
            sn,cpu_milli,memory_mib,gpu,model
            openb-node-0000,32000,262144,0,
            openb-node-0001,64000,262144,2,P100
            openb-node-0002,96000,786432,8,V100M32
            """;
    private static final SimCluster CLUSTER = AlibabaTrace.nodes(NODES, "nodes.csv");

    @Test
    void nodesCarryTheirGpusAndModelAsALabel() {
        assertThat(CLUSTER.nodes()).hasSize(3);
        NodeInfo v100 = CLUSTER.nodes().get(2);
        assertThat(v100.name()).isEqualTo("openb-node-0002");
        assertThat(v100.labels()).containsEntry(TaskPods.GPU_MODEL_LABEL, "V100M32");
        assertThat(v100.allocatable().get(ResourceNames.CPU)).isEqualTo(96_000);
        assertThat(v100.allocatable().get(ResourceNames.MEMORY)).isEqualTo(786_432L * 1024 * 1024);
        assertThat(v100.allocatable().get(ResourceNames.NVIDIA_GPU)).isEqualTo(8);
        assertThat(CLUSTER.nodes().get(0).labels()).doesNotContainKey(TaskPods.GPU_MODEL_LABEL);
        assertThat(CLUSTER.totalGpus()).isEqualTo(10);
    }

    @Test
    void sharedGpusAreRoundedUpAndCountedAndGpuSpecBecomesRequiredAffinity() {
        SimWorkload workload = AlibabaTrace.pods("""
                name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time
                openb-pod-0000,12000,16384,1,1000,,LS,Running,0,12537496,0
                openb-pod-0001,6000,12288,1,460,P100|V100M32,LS,Running,427061,,427061
                openb-pod-0002,4000,1024,0,0,,BE,Failed,500000,500010,
                """, "pods.csv", CLUSTER, "kubenexus-scheduler");

        assertThat(workload.hasTimes()).isTrue();
        List<SimTask> tasks = workload.tasks();
        assertThat(tasks).extracting(SimTask::gpus).containsExactly(1L, 1L, 0L);
        assertThat(tasks).extracting(SimTask::sharedGpuRounded).containsExactly(false, true, false);
        assertThat(workload.sharedGpuTasks()).isEqualTo(1);
        assertThat(tasks.get(1).arrivalSeconds()).isEqualTo(427_061);
        assertThat(tasks.get(1).departureSeconds()).isEqualTo(SimTask.NEVER);
        assertThat(tasks.get(2).departureSeconds()).isEqualTo(500_010);
        assertThat(tasks.get(1).pod().nodeAffinity().required().get(0).matchExpressions()).containsExactly(
                new NodeSelectorRequirement(TaskPods.GPU_MODEL_LABEL, NodeSelectorOperator.IN, List.of("P100", "V100M32")));
        assertThat(tasks.get(0).pod().nodeAffinity().hasRequired()).isFalse();
        assertThat(tasks.get(0).pod().schedulerName()).isEqualTo("kubenexus-scheduler");
    }

    @Test
    void theFiveColumnVariantMeansNoModelConstraintAndNoTimes() {
        SimWorkload workload = AlibabaTrace.pods("""
                name,cpu_milli,memory_mib,num_gpu,gpu_milli
                openb-pod-0000,12000,16384,2,1000
                openb-pod-0001,6000,12288,1,250
                """, "openb_pod_list_gpushare20.csv", CLUSTER, "kubenexus-scheduler");

        assertThat(workload.hasTimes()).isFalse();
        assertThat(workload.tasks()).extracting(SimTask::gpus).containsExactly(2L, 1L);
        assertThat(workload.tasks()).allSatisfy(t -> {
            assertThat(t.arrivalSeconds()).isZero();
            assertThat(t.departureSeconds()).isEqualTo(SimTask.NEVER);
            assertThat(t.pod().nodeAffinity().hasRequired()).isFalse();
        });
    }

    static Stream<Arguments> malformedPods() {
        return Stream.of(
                Arguments.of("a required column missing", """
                        name,cpu_milli,memory_mib,num_gpu
                        p,1000,1024,1
                        """, "pods.csv: line 1: missing column gpu_milli (header: name,cpu_milli,memory_mib,num_gpu)"),
                Arguments.of("a negative value", """
                        name,cpu_milli,memory_mib,num_gpu,gpu_milli
                        p,1000,1024,1,1000
                        q,-500,1024,0,0
                        """, "pods.csv: line 3: cpu_milli: must not be negative, was -500"),
                Arguments.of("an unknown GPU model", """
                        name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec
                        p,1000,1024,1,1000,A100
                        """, "pods.csv: line 2: gpu_spec: unknown GPU model 'A100' (the cluster's models: P100, V100M32)"),
                Arguments.of("not a number", """
                        name,cpu_milli,memory_mib,num_gpu,gpu_milli
                        p,1000,lots,1,1000
                        """, "pods.csv: line 2: memory_mib: not a whole number: 'lots'"),
                Arguments.of("a missing value", """
                        name,cpu_milli,memory_mib,num_gpu,gpu_milli
                        p,1000,1024,,1000
                        """, "pods.csv: line 2: num_gpu: missing value"),
                Arguments.of("more than one GPU's worth of milli", """
                        name,cpu_milli,memory_mib,num_gpu,gpu_milli
                        p,1000,1024,1,1500
                        """, "pods.csv: line 2: gpu_milli: must be 0..1000 (per GPU), was 1500"),
                Arguments.of("deleted before it was created", """
                        name,cpu_milli,memory_mib,num_gpu,gpu_milli,creation_time,deletion_time
                        p,1000,1024,1,1000,50,40
                        """, "pods.csv: line 2: deletion_time: must not be before creation_time (50), was 40"),
                Arguments.of("too many fields", """
                        name,cpu_milli,memory_mib,num_gpu,gpu_milli
                        p,1000,1024,1,1000,extra
                        """, "pods.csv: line 2: 6 fields, but the header has 5"),
                Arguments.of("a pod listed twice", """
                        name,cpu_milli,memory_mib,num_gpu,gpu_milli
                        p,1000,1024,1,1000
                        p,1000,1024,1,1000
                        """, "pods.csv: pod openb/p is listed twice"),
                Arguments.of("an empty file", "", "pods.csv: empty file"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedPods")
    void malformedPodListsAreRejectedNamingLineAndColumn(String name, String csv, String message) {
        assertThatThrownBy(() -> AlibabaTrace.pods(csv, "pods.csv", CLUSTER, "kubenexus-scheduler"))
                .isInstanceOf(ImportException.class)
                .hasMessageStartingWith(message);
    }

    static Stream<Arguments> malformedNodes() {
        return Stream.of(
                Arguments.of("no gpu column", "sn,cpu_milli,memory_mib,model\nn,1000,1024,T4\n",
                        "nodes.csv: line 1: missing column gpu"),
                Arguments.of("negative GPUs", "sn,cpu_milli,memory_mib,gpu,model\nn,1000,1024,-2,T4\n",
                        "nodes.csv: line 2: gpu: must not be negative, was -2"),
                Arguments.of("a node listed twice", "sn,cpu_milli,memory_mib,gpu\nn,1000,1024,0\nn,1000,1024,0\n",
                        "nodes.csv: node 'n' is listed twice"),
                Arguments.of("a nameless node", "sn,cpu_milli,memory_mib,gpu\n,1000,1024,0\n",
                        "nodes.csv: line 2: sn: must not be empty"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedNodes")
    void malformedNodeListsAreRejected(String name, String csv, String message) {
        assertThatThrownBy(() -> AlibabaTrace.nodes(csv, "nodes.csv"))
                .isInstanceOf(ImportException.class)
                .hasMessageStartingWith(message);
    }
}
