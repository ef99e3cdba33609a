package io.kubenexus.scheduler.kube.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.loop.SchedulingLoop;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.ports.SchedulerMetrics;
import io.kubenexus.scheduler.core.testing.RecordingEventSink;
import io.kubenexus.scheduler.core.testing.ScriptedBinder;
import io.kubenexus.scheduler.kube.EmbeddedScheduler;
import io.kubenexus.scheduler.kube.KubeScheduler;
import io.kubenexus.scheduler.kube.KubeSchedulerOptions;
import io.kubenexus.scheduler.numa.NumaRequest;
import io.kubenexus.scheduler.numa.NumaSettings;
import io.kubenexus.scheduler.numa.TopologySource;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * NUMA topology from the Kubernetes API into placement, over HTTP against the embedded API:
 * NodeResourceTopology objects and the node annotations, their precedence, updates and deletions,
 * and malformed data reported once on the Node while ordinary pods keep binding.
 *
 * <p>The GPU pods ask for {@code single-numa} placement of 4 GPUs with Guaranteed QoS; every node
 * has 8 GPUs in total, so only the per-zone numbers decide where (and whether) they bind.
 */
class TopologySourcesIT {
    private static final String NS = "ml";
    private static final String SCHEDULER = "kubenexus-scheduler";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    @RegisterExtension
    final EmbeddedScheduler cluster = new EmbeddedScheduler();
    private KubernetesClient client;
    private KubeScheduler scheduler;

    @BeforeEach
    void client() {
        client = cluster.client();
    }

    private void startScheduler() {
        scheduler = cluster.start();
    }

    @Test
    void nrtObjectsCreatedThroughTheApiDecideWhereAnAlignedPodGoes() {
        createGpuNode("gpu-a", null);
        createGpuNode("gpu-b", null);
        createNrt("gpu-a", 2, 2); // 4 GPUs free, but no zone has 4
        createNrt("gpu-b", 1, 4);
        startScheduler();

        await().atMost(WAIT).until(() -> published("gpu-a") != null && published("gpu-b") != null);
        assertThat(published("gpu-b").source()).isEqualTo(TopologySource.NODE_RESOURCE_TOPOLOGY);
        assertThat(published("gpu-b").topology().zones().get(1).availableOf("nvidia.com/gpu")).isEqualTo(4);

        createGpuPod("train-0");

        await().atMost(WAIT).until(() -> nodeOf("train-0") != null);
        assertThat(nodeOf("train-0")).isEqualTo("gpu-b");
        await().atMost(WAIT).until(() -> scheduledMessage("train-0") != null);
        assertThat(scheduledMessage("train-0")).isEqualTo("Successfully assigned ml/train-0 to gpu-b (NUMA zone 1)");
    }

    @Test
    void anNrtUpdateWhilePodsRunIsApplied() {
        createGpuNode("gpu-a", null);
        createNrt("gpu-a", 3, 3);
        startScheduler();
        createOrdinaryPod("web-0", "gpu-a");
        await().atMost(WAIT).until(() -> nodeOf("web-0") != null);

        createGpuPod("train-0");

        await().atMost(WAIT).until(() -> unschedulable("train-0") != null);
        assertThat(nodeOf("train-0")).isNull();

        updateNrt("gpu-a", 3, 4); // the exporter reports a zone with 4 free GPUs

        await().atMost(WAIT).until(() -> "gpu-a".equals(nodeOf("train-0")));
        assertThat(published("gpu-a").topology().zones().get(1).availableOf("nvidia.com/gpu")).isEqualTo(4);
        await().atMost(WAIT).until(() -> scheduledMessage("train-0") != null);
        assertThat(scheduledMessage("train-0")).endsWith("(NUMA zone 1)");
    }

    @Test
    void aDeletedNrtFallsBackToTheNodeAnnotation() {
        createGpuNode("gpu-a", """
                {"topologyManagerPolicy": "single-numa-node",
                 "zones": [{"id": 0, "resources": {"cpu": "32", "memory": "256Gi", "nvidia.com/gpu": "4"}},
                           {"id": 1, "resources": {"cpu": "32", "memory": "256Gi", "nvidia.com/gpu": "4"}}]}""");
        createNrt("gpu-a", 0, 0);
        startScheduler();
        await().atMost(WAIT).until(() -> published("gpu-a") != null);
        assertThat(published("gpu-a").source()).as("NRT wins while present").isEqualTo(TopologySource.NODE_RESOURCE_TOPOLOGY);

        createGpuPod("train-0");
        await().atMost(WAIT).until(() -> unschedulable("train-0") != null);

        client.genericKubernetesResources(NodeResourceTopologyTranslator.NODE_RESOURCE_TOPOLOGIES).withName("gpu-a").delete();

        await().atMost(WAIT).until(() -> published("gpu-a") != null
                && published("gpu-a").source() == TopologySource.NODE_ANNOTATION);
        await().atMost(WAIT).until(() -> "gpu-a".equals(nodeOf("train-0")));
    }

    @Test
    void aMalformedNrtIsReportedOnceOnTheNodeWhileOrdinaryPodsKeepBinding() {
        createGpuNode("gpu-a", null);
        createGpuNode("gpu-b", null);
        createNrt("gpu-b", 0, 0);
        client.genericKubernetesResources(NodeResourceTopologyTranslator.NODE_RESOURCE_TOPOLOGIES).resource(nrt("gpu-a", """
                zones:
                - {name: node-0, type: Node, resources: [{name: nvidia.com/gpu, capacity: '4', available: 'four'}]}
                """)).create();
        startScheduler();

        await().atMost(WAIT).until(() -> invalidTopologyEvents("gpu-a").size() == 1);
        Event event = invalidTopologyEvents("gpu-a").get(0);
        assertThat(event.getType()).isEqualTo("Warning");
        assertThat(event.getInvolvedObject().getKind()).isEqualTo("Node");
        assertThat(event.getInvolvedObject().getUid())
                .isEqualTo(client.nodes().withName("gpu-a").get().getMetadata().getUid());
        assertThat(event.getMessage()).isEqualTo("NodeResourceTopology gpu-a: zones[0].resources[0].available \"four\""
                + " is not a valid quantity");

        // The exporter keeps publishing the same bad numbers (new resourceVersions, same problem).
        for (int i = 0; i < 3; i++) {
            GenericKubernetesResource current = client.genericKubernetesResources(
                    NodeResourceTopologyTranslator.NODE_RESOURCE_TOPOLOGIES).withName("gpu-a").get();
            current.getMetadata().setLabels(Map.of("generation", String.valueOf(i)));
            client.genericKubernetesResources(NodeResourceTopologyTranslator.NODE_RESOURCE_TOPOLOGIES).resource(current).update();
        }
        for (int i = 0; i < 6; i++) {
            createOrdinaryPod("web-" + i, null);
        }
        createGpuPod("train-0");

        for (int i = 0; i < 6; i++) {
            String name = "web-" + i;
            await().atMost(WAIT).until(() -> nodeOf(name) != null);
        }
        await().atMost(WAIT).until(() -> unschedulable("train-0") != null);
        assertThat(published("gpu-a")).as("unknown topology").isNull();
        assertThat(invalidTopologyEvents("gpu-a")).hasSize(1);
        assertThat(invalidTopologyEvents("gpu-b")).isEmpty();
    }

    /**
     * A malformed object of each kind (an NRT whose fields have the wrong JSON types, a topology
     * annotation, an islands annotation), listed at start and arriving while watched, costs its own
     * node only: every other node's topology is read, each problem is reported once.
     */
    @Test
    void aMalformedSourceOfEachKindDoesNotStopTheOthersFromBeingRead() {
        String annotation = """
                {"zones": [{"id": 0, "resources": {"cpu": "32", "memory": "256Gi", "nvidia.com/gpu": "4"}},
                           {"id": 1, "resources": {"cpu": "32", "memory": "256Gi", "nvidia.com/gpu": "4"}}]}""";
        createGpuNode("bad-nrt", null);
        createGpuNode("bad-annotation", "{\"zones\": {\"id\": 0}}");
        createGpuNode("bad-islands", annotation, "{\"islands\": [{\"name\": \"nvl0\", \"zone\": \"zero\", \"gpus\": 4}]}");
        createGpuNode("good-nrt", null);
        createGpuNode("good-annotation", annotation);
        client.genericKubernetesResources(NodeResourceTopologyTranslator.NODE_RESOURCE_TOPOLOGIES).resource(nrt("bad-nrt", """
                zones: {name: node-0, type: Node}
                """)).create();
        createNrt("good-nrt", 4, 4);
        startScheduler();

        await().atMost(WAIT).until(() -> published("good-nrt") != null && published("good-annotation") != null
                && published("bad-islands") != null);
        assertThat(published("good-nrt").source()).isEqualTo(TopologySource.NODE_RESOURCE_TOPOLOGY);
        assertThat(published("good-annotation").source()).isEqualTo(TopologySource.NODE_ANNOTATION);
        assertThat(published("bad-islands").interconnect()).as("the topology applies without islands").isNull();
        assertThat(published("bad-nrt")).isNull();
        assertThat(published("bad-annotation")).isNull();

        // While watched: a malformed NRT for a node that had none, then a valid one for another node.
        createGpuNode("late-bad", null);
        createGpuNode("late-good", null);
        client.genericKubernetesResources(NodeResourceTopologyTranslator.NODE_RESOURCE_TOPOLOGIES).resource(nrt("late-bad", """
                zones:
                - {name: node-0, type: Node, resources: [{name: cpu, capacity: [32]}]}
                """)).create();
        createNrt("late-good", 1, 4);

        await().atMost(WAIT).until(() -> published("late-good") != null);
        await().atMost(WAIT).until(() -> invalidTopologyEvents("late-bad").size() == 1);
        assertThat(invalidTopologyEvents("late-bad").get(0).getMessage())
                .isEqualTo("NodeResourceTopology late-bad: zones[0].resources[0].capacity is a list, expected a quantity");
        assertThat(invalidTopologyEvents("bad-nrt").get(0).getMessage())
                .isEqualTo("NodeResourceTopology bad-nrt: zones is an object, expected a list");
        assertThat(invalidTopologyEvents("bad-annotation").get(0).getMessage()).isEqualTo("node bad-annotation: annotation "
                + TopologyAnnotation.KEY + ": zones is an object, expected a list");
        assertThat(invalidTopologyEvents("bad-islands").get(0).getMessage()).isEqualTo("node bad-islands: annotation "
                + GpuIslandsAnnotation.KEY + ": islands[0].zone is \"zero\", expected an integer");
        for (String node : List.of("bad-nrt", "bad-annotation", "bad-islands", "late-bad")) {
            assertThat(invalidTopologyEvents(node)).as("reported once: %s", node).hasSize(1);
        }
        assertThat(invalidTopologyEvents("good-nrt")).isEmpty();
    }

    @Test
    void annotatedNodesWithoutNrtPlaceOnTheirZonesAndIslands() {
        createGpuNode("gpu-a", """
                {"topologyManagerPolicy": "single-numa-node",
                 "zones": [{"id": 0, "resources": {"cpu": "32", "memory": "256Gi", "nvidia.com/gpu": "4"}},
                           {"id": 1, "resources": {"cpu": "32", "memory": "256Gi", "nvidia.com/gpu": "4"}}]}""",
                "{\"islands\": [{\"name\": \"nvl0\", \"zone\": 0, \"gpus\": 4}, {\"name\": \"nvl1\", \"zone\": 1, \"gpus\": 4}]}");
        startScheduler();

        createGpuPod("train-0");
        createGpuPod("train-1");
        createGpuPod("train-2");

        await().atMost(WAIT).until(() -> scheduledMessage("train-0") != null && scheduledMessage("train-1") != null);
        String first = scheduledMessage("train-0");
        String second = scheduledMessage("train-1");
        assertThat(first).matches("Successfully assigned ml/train-0 to gpu-a \\(NUMA zone (\\d), NVLink island nvl\\1\\)");
        assertThat(second).matches("Successfully assigned ml/train-1 to gpu-a \\(NUMA zone (\\d), NVLink island nvl\\1\\)");
        assertThat(first.substring(first.indexOf('('))).as("one zone each").isNotEqualTo(second.substring(second.indexOf('(')));
        await().atMost(WAIT).until(() -> unschedulable("train-2") != null);
        assertThat(published("gpu-a").source()).isEqualTo(TopologySource.NODE_ANNOTATION);
        assertThat(published("gpu-a").interconnect()).isNotNull();
    }

    @Test
    void withNumaOffNoTopologyIsReadAndAlignedPodsPlaceLikeOthers() {
        createGpuNode("gpu-a", null);
        createNrt("gpu-a", 2, 2);
        scheduler = cluster.start(KubeSchedulerOptions.singleReplica(EmbeddedScheduler.FAST_RETRIES)
                .withNuma(NumaSettings.defaults().withEnabled(false)));

        createGpuPod("train-0");

        await().atMost(WAIT).until(() -> "gpu-a".equals(nodeOf("train-0")));
        assertThat(scheduler.topologySources()).isNull();
        await().atMost(WAIT).until(() -> scheduledMessage("train-0") != null);
        assertThat(scheduledMessage("train-0")).isEqualTo("Successfully assigned ml/train-0 to gpu-a");
    }

    @Test
    void withoutTheNrtCrdTheSourceIsOffAtOnceAndAnnotationsStillApply() throws Exception {
        // Expectations mode with none set: every request, the NRT list included, answers 404.
        KubernetesMockServer bare = new KubernetesMockServer(false);
        bare.init();
        try (KubernetesClient bareClient = bare.createClient()) {
            SchedulerSettings settings = SchedulerSettings.defaults();
            SchedulingLoop loop = new SchedulingLoop(settings, SchedulingProfile.defaults(settings), new ScriptedBinder(),
                    new RecordingEventSink(), SchedulerMetrics.NONE, Clock.systemUTC());
            List<String> reported = new java.util.concurrent.CopyOnWriteArrayList<>();
            try (TopologyInformers sources = new TopologyInformers(bareClient, loop,
                    (node, uid, message) -> reported.add(message), Duration.ofSeconds(5), Duration.ofMinutes(5))) {
                long started = System.nanoTime();
                sources.start().toCompletableFuture().get(10, TimeUnit.SECONDS);

                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
                assertThat(sources.watchingNodeResourceTopologies()).isFalse();
                assertThat(bare.getRequestCount()).as("one probe").isEqualTo(1);

                sources.nodeHandler().onAdd(new NodeBuilder().withNewMetadata().withName("cpu-a")
                        .addToAnnotations(TopologyAnnotation.KEY, "{\"zones\": [{\"id\": 0, \"resources\": {\"cpu\": \"8\"}}]}")
                        .endMetadata().build());

                assertThat(sources.published("cpu-a").source()).isEqualTo(TopologySource.NODE_ANNOTATION);
                assertThat(reported).isEmpty();
            }
        } finally {
            bare.destroy();
        }
    }

    // ------------------------------------------------------------------ fixtures

    private PublishedTopology published(String node) {
        return scheduler.topologySources().published(node);
    }

    /** 64 cores, 512Gi and 8 GPUs, as two NUMA zones of 32 cores, 256Gi and 4 GPUs. */
    private void createGpuNode(String name, String topologyAnnotation) {
        createGpuNode(name, topologyAnnotation, null);
    }

    private void createGpuNode(String name, String topologyAnnotation, String islandsAnnotation) {
        NodeBuilder node = new NodeBuilder().withNewMetadata().withName(name)
                .addToLabels("kubernetes.io/hostname", name).endMetadata();
        if (topologyAnnotation != null) {
            node.editMetadata().addToAnnotations(TopologyAnnotation.KEY, topologyAnnotation).endMetadata();
        }
        if (islandsAnnotation != null) {
            node.editMetadata().addToAnnotations(GpuIslandsAnnotation.KEY, islandsAnnotation).endMetadata();
        }
        Map<String, Quantity> amounts = Map.of("cpu", new Quantity("64"), "memory", new Quantity("512Gi"),
                "nvidia.com/gpu", new Quantity("8"), "pods", new Quantity("110"));
        client.nodes().resource(node.withNewStatus().addToAllocatable(amounts).addToCapacity(amounts)
                .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build()).create();
    }

    private static GenericKubernetesResource nrt(String node, String body) {
        return YAML.unmarshal("""
                apiVersion: topology.node.k8s.io/v1alpha2
                kind: NodeResourceTopology
                metadata: {name: %s}
                attributes:
                - {name: topologyManagerPolicy, value: single-numa-node}
                - {name: topologyManagerScope, value: container}
                """.formatted(node) + body, GenericKubernetesResource.class);
    }

    private static String zones(int gpusFreeInZone0, int gpusFreeInZone1) {
        return """
                zones:
                - name: node-0
                  type: Node
                  costs: [{name: node-0, value: 10}, {name: node-1, value: 20}]
                  resources:
                  - {name: cpu, capacity: '32', allocatable: '32', available: '30'}
                  - {name: memory, capacity: 256Gi, allocatable: 256Gi, available: 250Gi}
                  - {name: nvidia.com/gpu, capacity: '4', allocatable: '4', available: '%d'}
                - name: node-1
                  type: Node
                  costs: [{name: node-0, value: 20}, {name: node-1, value: 10}]
                  resources:
                  - {name: cpu, capacity: '32', allocatable: '32', available: '30'}
                  - {name: memory, capacity: 256Gi, allocatable: 256Gi, available: 250Gi}
                  - {name: nvidia.com/gpu, capacity: '4', allocatable: '4', available: '%d'}
                """.formatted(gpusFreeInZone0, gpusFreeInZone1);
    }

    private void createNrt(String node, int gpusFreeInZone0, int gpusFreeInZone1) {
        client.genericKubernetesResources(NodeResourceTopologyTranslator.NODE_RESOURCE_TOPOLOGIES)
                .resource(nrt(node, zones(gpusFreeInZone0, gpusFreeInZone1))).create();
    }

    private void updateNrt(String node, int gpusFreeInZone0, int gpusFreeInZone1) {
        GenericKubernetesResource current = client.genericKubernetesResources(
                NodeResourceTopologyTranslator.NODE_RESOURCE_TOPOLOGIES).withName(node).get();
        GenericKubernetesResource next = nrt(node, zones(gpusFreeInZone0, gpusFreeInZone1));
        next.getMetadata().setResourceVersion(current.getMetadata().getResourceVersion());
        client.genericKubernetesResources(NodeResourceTopologyTranslator.NODE_RESOURCE_TOPOLOGIES).resource(next).update();
    }

    /** 4 GPUs, 8 cores and 32Gi in one NUMA zone; requests equal limits (Guaranteed). */
    private void createGpuPod(String name) {
        Map<String, Quantity> amounts = new HashMap<>(Map.of("cpu", new Quantity("8"), "memory", new Quantity("32Gi"),
                "nvidia.com/gpu", new Quantity("4")));
        client.pods().inNamespace(NS).resource(new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(NS)
                .addToAnnotations(NumaRequest.POLICY_ANNOTATION, "single-numa").endMetadata()
                .withNewSpec().withSchedulerName(SCHEDULER)
                .addNewContainer().withName("main").withImage("trainer")
                .withNewResources().addToRequests(amounts).addToLimits(amounts).endResources()
                .endContainer().endSpec().build()).create();
    }

    private void createOrdinaryPod(String name, String node) {
        PodBuilder pod = new PodBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withSchedulerName(SCHEDULER)
                .addNewContainer().withName("main").withImage("web")
                .withNewResources().addToRequests("cpu", new Quantity("1")).addToRequests("memory", new Quantity("1Gi"))
                .endResources().endContainer().endSpec();
        if (node != null) {
            pod.editSpec().withNodeSelector(Map.of("kubernetes.io/hostname", node)).endSpec();
        }
        client.pods().inNamespace(NS).resource(pod.build()).create();
    }

    private String nodeOf(String pod) {
        Pod current = client.pods().inNamespace(NS).withName(pod).get();
        return current == null ? null : current.getSpec().getNodeName();
    }

    /** The PodScheduled=False condition, or null. */
    private PodCondition unschedulable(String pod) {
        Pod current = client.pods().inNamespace(NS).withName(pod).get();
        if (current == null || current.getStatus() == null || current.getStatus().getConditions() == null) {
            return null;
        }
        return current.getStatus().getConditions().stream()
                .filter(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()))
                .findFirst().orElse(null);
    }

    private String scheduledMessage(String pod) {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> "Scheduled".equals(e.getReason()) && pod.equals(e.getInvolvedObject().getName()))
                .map(Event::getMessage).findFirst().orElse(null);
    }

    private List<Event> invalidTopologyEvents(String node) {
        return client.v1().events().inNamespace(NodeTopologyEvents.NAMESPACE).list().getItems().stream()
                .filter(e -> NodeTopologyEvents.REASON.equals(e.getReason()))
                .filter(e -> "Node".equals(e.getInvolvedObject().getKind()) && node.equals(e.getInvolvedObject().getName()))
                .toList();
    }
}
