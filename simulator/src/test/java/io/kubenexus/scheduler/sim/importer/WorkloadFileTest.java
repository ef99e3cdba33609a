package io.kubenexus.scheduler.sim.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubenexus.scheduler.core.model.ResourceNames;
import io.kubenexus.scheduler.gang.GangLabels;
import io.kubenexus.scheduler.sim.model.SimCluster;
import io.kubenexus.scheduler.sim.model.SimTask;
import io.kubenexus.scheduler.sim.model.SimWorkload;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WorkloadFileTest {
    private static final SimCluster CLUSTER = WorkloadFile.cluster("""
            nodes:
              - name: gpu
                count: 3
                cpu: 64
                memory: 256Gi
                gpus: 8
                labels: {nvidia.com/gpu.product: A100}
                taints: [{key: nvidia.com/gpu, effect: NoSchedule}]
              - {name: cpu, cpu: 500m, memory: 1G, pods: 20}
            """, "cluster.yaml");

    @Test
    void nodesExpandByCountWithTheirResourcesLabelsAndTaints() {
        assertThat(CLUSTER.nodes()).extracting(n -> n.name()).containsExactly("gpu-0", "gpu-1", "gpu-2", "cpu");
        assertThat(CLUSTER.totalGpus()).isEqualTo(24);
        assertThat(CLUSTER.nodes().get(3).allocatable().get(ResourceNames.CPU)).isEqualTo(500);
        assertThat(CLUSTER.nodes().get(3).allocatable().get(ResourceNames.MEMORY)).isEqualTo(1_000_000_000L);
        assertThat(CLUSTER.nodes().get(3).allocatable().get(ResourceNames.PODS)).isEqualTo(20);
        assertThat(CLUSTER.nodes().get(0).taints()).hasSize(1);
    }

    @Test
    void podsGangsAndSparkAppsBecomeTasks() {
        SimWorkload workload = WorkloadFile.workload("""
                pods:
                  - {name: web, count: 2, cpu: 250m, memory: 512Mi, arrival: 5, duration: 60}
                gangs:
                  - name: mpi
                    minAvailable: 2
                    arrival: 10
                    members: [{name: worker, count: 2, cpu: 4, memory: 8Gi, gpus: 8, gpuModels: [A100]}]
                sparkApps:
                  - {name: pi, arrival: 20, executors: 3, driver: {cpu: 1, memory: 2Gi}, executor: {cpu: 2, memory: 4Gi}}
                """, "workload.yaml", CLUSTER, "kubenexus-scheduler");

        assertThat(workload.tasks()).extracting(t -> t.pod().key().name())
                .containsExactly("web-0", "web-1", "worker-0", "worker-1", "pi-driver");
        SimTask web = workload.tasks().get(0);
        assertThat(web.arrivalSeconds()).isEqualTo(5);
        assertThat(web.departureSeconds()).isEqualTo(65);
        SimTask worker = workload.tasks().get(2);
        assertThat(worker.pod().labels()).containsEntry(GangLabels.NAME, "mpi").containsEntry(GangLabels.MIN_AVAILABLE, "2");
        assertThat(worker.arrivalSeconds()).isEqualTo(10);
        assertThat(worker.pod().nodeAffinity().hasRequired()).isTrue();
        SimTask driver = workload.tasks().get(4);
        assertThat(driver.followers()).hasSize(3);
        assertThat(driver.pod().labels()).containsEntry(GangLabels.SPARK_ROLE, "driver")
                .containsEntry(GangLabels.MIN_AVAILABLE, "4");
        assertThat(workload.executorTemplates()).containsKey("default/pi");
        assertThat(workload.executorTemplates().get("default/pi").count()).isEqualTo(3);
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("an unknown key, with its line", """
                        pods:
                          - name: p
                            cpus: 2
                        """, "workload.yaml: line 3: unknown key 'pods[0].cpus'"),
                Arguments.of("a negative count", "pods: [{name: p, cpu: 1, count: -1}]\n",
                        "workload.yaml: pods[0].count: must be at least 1, was -1"),
                Arguments.of("negative GPUs", "pods: [{name: p, cpu: 1, gpus: -2}]\n",
                        "workload.yaml: pods[0].gpus: must not be negative, was -2"),
                Arguments.of("a negative quantity", "pods: [{name: p, cpu: -1}]\n",
                        "workload.yaml: pods[0].cpu: must not be negative, was -1"),
                Arguments.of("not a quantity", "pods: [{name: p, memory: lots}]\n",
                        "workload.yaml: pods[0].memory: not a quantity: 'lots'"),
                Arguments.of("an unknown GPU model", "pods: [{name: p, gpus: 1, gpuModels: [H100]}]\n",
                        "workload.yaml: pods[0].gpuModels: unknown GPU model 'H100' (the cluster's models: A100)"),
                Arguments.of("a wrong type, with its line", "pods:\n  - name: p\n    gpus: many\n",
                        "workload.yaml: line 3: pods[0].gpus:"),
                Arguments.of("a gang larger than its members", """
                        gangs: [{name: g, minAvailable: 3, members: [{name: m, count: 2, cpu: 1}]}]
                        """, "workload.yaml: gangs[0].minAvailable: must be 1..2 (the members), was 3"),
                Arguments.of("a nameless pod", "pods: [{cpu: 1}]\n", "workload.yaml: pods[0].name: missing"),
                Arguments.of("no pods at all", "pods: []\n", "workload.yaml: the workload has no pods"),
                Arguments.of("broken YAML", "pods: [{name: p\n", "workload.yaml: line 2:"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedWorkloadsAreRejectedNamingTheField(String name, String yaml, String message) {
        assertThatThrownBy(() -> WorkloadFile.workload(yaml, "workload.yaml", CLUSTER, "kubenexus-scheduler"))
                .isInstanceOf(ImportException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void malformedClustersAreRejectedNamingTheField() {
        assertThatThrownBy(() -> WorkloadFile.cluster("nodes: [{name: n, cpu: 4, memory: 1Gi, gpus: 2, numa: "
                + "{zones: [{cpu: 4, memory: 1Gi, gpus: 4}]}}]\n", "c.yaml"))
                .hasMessage("c.yaml: nodes[0].numa.zones: the zones hold more cpu or GPUs than the node");
        assertThatThrownBy(() -> WorkloadFile.cluster("nodes: [{name: n, memory: 1Gi}]\n", "c.yaml"))
                .hasMessage("c.yaml: nodes[0].cpu: missing value");
        assertThatThrownBy(() -> WorkloadFile.cluster("pods: []\n", "c.yaml"))
                .hasMessage("c.yaml: nodes: the cluster needs at least one node");
    }
}
