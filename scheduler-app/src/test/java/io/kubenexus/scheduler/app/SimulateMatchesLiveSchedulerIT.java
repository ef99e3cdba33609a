package io.kubenexus.scheduler.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.kube.KubeScheduler;
import io.kubenexus.scheduler.kube.KubeSchedulerOptions;
import io.kubenexus.scheduler.kube.embedded.EmbeddedKubernetesApi;
import io.kubenexus.scheduler.sim.importer.TaskPods;
import io.kubenexus.scheduler.sim.importer.WorkloadFile;
import io.kubenexus.scheduler.sim.model.SimCluster;
import io.kubenexus.scheduler.sim.model.SimTask;
import io.kubenexus.scheduler.sim.model.SimWorkload;
import io.kubenexus.scheduler.sim.policy.Policy;
import io.kubenexus.scheduler.sim.replay.Replay;
import io.kubenexus.scheduler.sim.replay.ReplayPlan;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The same pods decided by {@code simulate} and by the live scheduler (KubeScheduler over HTTP
 * against the embedded API, as {@code run} wires it) land on the same nodes: the simulator runs the
 * scheduler's own loop, plugins and configuration, not a model of them. Pods arrive one at a time
 * on both sides, and each simulated pod carries its live twin's UID (the loop breaks score ties by
 * it).
 */
class SimulateMatchesLiveSchedulerIT {
    private static final String NS = "sim";
    private static final SchedulerSettings SETTINGS = SchedulerSettings.defaults();
    /** name, cpu, memory, GPUs, GPU model. */
    private static final String[][] NODES = {
        {"cpu-small", "8", "32Gi", "0", ""},
        {"cpu-big", "32", "128Gi", "0", ""},
        {"t4-a", "16", "64Gi", "2", "T4"},
        {"t4-b", "32", "64Gi", "4", "T4"},
        {"a100-a", "64", "256Gi", "8", "A100"},
        {"a100-b", "96", "512Gi", "8", "A100"},
    };
    /** name, cpu, memory, GPUs, GPU model wanted (or empty). */
    private static final String[][] PODS = {
        {"web-1", "2", "4Gi", "0", ""},
        {"train-1", "8", "32Gi", "4", "A100"},
        {"infer-1", "4", "8Gi", "1", "T4"},
        {"batch-1", "12", "48Gi", "0", ""},
        {"train-2", "16", "64Gi", "8", ""},
        {"infer-2", "2", "8Gi", "1", ""},
        {"web-2", "1", "1Gi", "0", ""},
        {"train-3", "8", "16Gi", "2", "T4"},
        {"batch-2", "20", "64Gi", "0", ""},
        {"infer-3", "6", "12Gi", "3", ""},
        {"web-3", "500m", "512Mi", "0", ""},
        {"train-4", "24", "100Gi", "4", "A100"},
    };

    private EmbeddedKubernetesApi api;
    private KubernetesClient client;
    private KubeScheduler live;

    @BeforeEach
    void start() {
        api = new EmbeddedKubernetesApi();
        client = api.client();
    }

    @AfterEach
    void stop() {
        if (live != null) {
            live.close();
        }
        api.close();
    }

    @Test
    void everyPodLandsOnTheSameNodeInTheSimulatorAsInTheLiveScheduler() {
        for (String[] node : NODES) {
            createNode(node);
        }
        live = new KubeScheduler(api.newClient(), KubeSchedulerOptions.singleReplica(SETTINGS), Clock.systemUTC());
        live.start().toCompletableFuture().orTimeout(20, TimeUnit.SECONDS).join();

        Map<PodKey, String> liveNodes = new LinkedHashMap<>();
        Map<String, String> uids = new LinkedHashMap<>();
        for (String[] pod : PODS) {
            createPod(pod);
            // Bound, or told it fits nowhere (PodScheduled=False): decided either way.
            Pod decided = await().atMost(Duration.ofSeconds(20)).until(() -> client.pods().inNamespace(NS)
                    .withName(pod[0]).get(), p -> p.getSpec().getNodeName() != null || unschedulable(p));
            if (decided.getSpec().getNodeName() != null) {
                liveNodes.put(new PodKey(NS, pod[0]), decided.getSpec().getNodeName());
            }
            uids.put(pod[0], decided.getMetadata().getUid());
        }

        SimCluster cluster = WorkloadFile.cluster(clusterYaml(), "cluster.yaml");
        List<SimTask> tasks = new ArrayList<>();
        for (int i = 0; i < PODS.length; i++) {
            tasks.add(new SimTask(simulated(PODS[i], uids.get(PODS[i][0]), i), i, SimTask.NEVER, false));
        }
        SimWorkload workload = new SimWorkload("pods", tasks, Map.of(), true);
        Policy policy = Policy.of(Policy.DEFAULT, SETTINGS, KubeSchedulerOptions.singleReplica(SETTINGS).gang(),
                KubeSchedulerOptions.singleReplica(SETTINGS).numa());
        Replay replay = new Replay(policy, cluster, ReplayPlan.trace(workload));
        replay.run();

        assertThat(liveNodes).as("most pods fit (the test would prove little otherwise)").hasSizeGreaterThan(PODS.length - 3);
        assertThat(replay.boundNodes()).containsExactlyEntriesOf(liveNodes);
    }

    private static boolean unschedulable(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions()
                .stream().anyMatch(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()));
    }

    private static String clusterYaml() {
        StringBuilder yaml = new StringBuilder("nodes:\n");
        for (String[] node : NODES) {
            yaml.append("  - {name: ").append(node[0]).append(", cpu: \"").append(node[1]).append("\", memory: ")
                    .append(node[2]).append(", gpus: ").append(node[3]);
            if (!node[4].isEmpty()) {
                yaml.append(", labels: {").append(TaskPods.GPU_MODEL_LABEL).append(": ").append(node[4]).append('}');
            }
            yaml.append("}\n");
        }
        return yaml.toString();
    }

    private static PodInfo simulated(String[] spec, String uid, int second) {
        PodInfo pod = TaskPods.pending(new PodKey(NS, spec[0]), SETTINGS.schedulerName(), 0,
                Instant.EPOCH.plusSeconds(second), Map.of(), Map.of(), TaskPods.requests(
                        io.kubenexus.scheduler.sim.importer.Quantity.cpuMilli(spec[1], "cpu"),
                        io.kubenexus.scheduler.sim.importer.Quantity.bytes(spec[2], "memory"), Long.parseLong(spec[3])),
                Map.of(), TaskPods.gpuModelAffinity(spec[4].isEmpty() ? List.of() : List.of(spec[4])), List.of(), false);
        return new PodInfo(pod.key(), uid, pod.schedulerName(), null, pod.phase(), false, 0, pod.createdAt(),
                pod.labels(), pod.annotations(), pod.requests(), pod.nonZeroRequests(), pod.hostPorts(),
                pod.nodeSelector(), pod.nodeAffinity(), pod.tolerations(), pod.qosClass(), pod.unsupportedConstraints(),
                false, null, pod.containers());
    }

    private void createNode(String[] node) {
        NodeBuilder builder = new NodeBuilder()
                .withNewMetadata().withName(node[0]).addToLabels(TaskPods.HOSTNAME_LABEL, node[0]).endMetadata();
        if (!node[4].isEmpty()) {
            builder.editMetadata().addToLabels(TaskPods.GPU_MODEL_LABEL, node[4]).endMetadata();
        }
        Map<String, Quantity> allocatable = new LinkedHashMap<>();
        allocatable.put("cpu", new Quantity(node[1]));
        allocatable.put("memory", new Quantity(node[2]));
        allocatable.put("pods", new Quantity("110"));
        if (!"0".equals(node[3])) {
            allocatable.put("nvidia.com/gpu", new Quantity(node[3]));
        }
        client.nodes().resource(builder.withNewStatus().withAllocatable(allocatable).withCapacity(allocatable)
                .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build()).create();
    }

    private void createPod(String[] pod) {
        PodBuilder builder = new PodBuilder()
                .withNewMetadata().withName(pod[0]).withNamespace(NS).endMetadata()
                .withNewSpec().withSchedulerName(SETTINGS.schedulerName())
                .addNewContainer().withName("main").withImage("app")
                .withNewResources().addToRequests("cpu", new Quantity(pod[1])).addToRequests("memory", new Quantity(pod[2]))
                .endResources().endContainer().endSpec();
        if (!"0".equals(pod[3])) {
            builder.editSpec().editFirstContainer().editResources()
                    .addToRequests("nvidia.com/gpu", new Quantity(pod[3])).addToLimits("nvidia.com/gpu", new Quantity(pod[3]))
                    .endResources().endContainer().endSpec();
        }
        if (!pod[4].isEmpty()) {
            builder.editSpec().withNewAffinity().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                    .addNewNodeSelectorTerm().addNewMatchExpression().withKey(TaskPods.GPU_MODEL_LABEL).withOperator("In")
                    .withValues(pod[4]).endMatchExpression().endNodeSelectorTerm()
                    .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity().endSpec();
        }
        client.pods().inNamespace(NS).resource(builder.build()).create();
    }
}
