package io.kubenexus.scheduler.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubenexus.scheduler.sim.synthetic.NodeShape;
import io.kubenexus.scheduler.kube.embedded.EmbeddedKubernetesApi;
import io.kubenexus.scheduler.kube.topology.NodeResourceTopologyTranslator;
import io.kubenexus.scheduler.kube.translate.Translation;
import io.kubenexus.scheduler.numa.NodeTopology;
import io.kubenexus.scheduler.numa.TopologyManagerPolicy;
import io.kubenexus.scheduler.numa.TopologyManagerScope;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against the embedded API; the test binds pods itself and drives the loop's passes and reports by hand. */
class KubeletLoopTest {
    private static final String NAMESPACE = "kubenexus-demo";
    private static final String NODE = "gpu-numa-node-0000";
    private static final long GI = NodeShape.GI;

    private final ByteArrayOutputStream progress = new ByteArrayOutputStream();
    private EmbeddedKubernetesApi api;
    private KubernetesClient client;
    private KubeletLoop loop;

    @BeforeEach
    void startApi() {
        api = new EmbeddedKubernetesApi();
        client = api.client();
        SimulatedKubelet kubelet = new SimulatedKubelet(Map.of(NODE, TopologyObjects.idle(NodeShape.DEMO_GPU_NUMA.numa())));
        loop = new KubeletLoop(client, NAMESPACE, kubelet, Clock.systemUTC(),
                new PrintStream(progress, true, StandardCharsets.UTF_8));
        loop.createTopologies();
    }

    @AfterEach
    void stopApi() {
        loop.close();
        api.close();
    }

    @Test
    void theExporterPublishesTheIdleNodeAsTheSchedulerReadsIt() {
        NodeTopology published = published();

        assertThat(published.policy()).isEqualTo(TopologyManagerPolicy.SINGLE_NUMA_NODE);
        assertThat(published.scope()).isEqualTo(TopologyManagerScope.CONTAINER);
        assertThat(published.zones()).hasSize(2);
        assertThat(published.zones().get(1).available()).containsEntry("cpu", 48_000L)
                .containsEntry("memory", 512 * GI).containsEntry("nvidia.com/gpu", 4L);
    }

    @Test
    void anAdmittedPodRunsAndTheNextReportsShowItsZoneTakenTwiceThenNothingIsDue() {
        bind(gpuPod("numa-train-000", 4));

        loop.syncOnce(pods());

        assertThat(pod("numa-train-000").getStatus().getPhase()).isEqualTo("Running");
        assertThat(published().zones().get(0).availableOf("nvidia.com/gpu")).as("not reported yet").isEqualTo(4);
        assertThat(loop.idle()).isFalse();
        assertThat(loop.publish()).isEqualTo(1);
        assertThat(published().zones().get(0).availableOf("nvidia.com/gpu")).isZero();
        assertThat(published().zones().get(0).availableOf("cpu")).isEqualTo(16_000);
        assertThat(loop.publish()).as("the second report of the change").isEqualTo(1);
        assertThat(loop.publish()).isZero();
        assertThat(loop.idle()).as("waits for a report of every node after the change").isFalse();
        assertThat(loop.publish()).as("the periodic report of every node").isEqualTo(1);
        loop.syncOnce(pods());
        assertThat(loop.idle()).isTrue();
        assertThat(loop.admitted()).isEqualTo(1);
    }

    @Test
    void aPodNoZoneCanHoldFailsWithTopologyAffinityError() {
        bind(gpuPod("numa-toowide-001", 8));

        loop.syncOnce(pods());

        Pod failed = pod("numa-toowide-001");
        assertThat(failed.getStatus().getPhase()).isEqualTo("Failed");
        assertThat(failed.getStatus().getReason()).isEqualTo("TopologyAffinityError");
        assertThat(failed.getStatus().getMessage()).isEqualTo(KubeletLoop.TOPOLOGY_AFFINITY_MESSAGE);
        assertThat(loop.rejected()).isEqualTo(1);
        assertThat(loop.publish()).as("nothing was taken").isZero();
    }

    @Test
    void aDeletedPodGivesItsZoneBackInTheNextReport() {
        bind(gpuPod("numa-train-000", 4));
        loop.syncOnce(pods());
        loop.publish();

        client.pods().inNamespace(NAMESPACE).withName("numa-train-000").delete();
        loop.syncOnce(pods());
        loop.publish();

        assertThat(published().zones().get(0).availableOf("nvidia.com/gpu")).isEqualTo(4);
        assertThat(published().zones().get(0).availableOf("cpu")).isEqualTo(48_000);
    }

    @Test
    void aPodBoundAfterAnEvictionInTheSamePassFindsTheEvictedPodsZoneFree() {
        bind(gpuPod("numa-train-000", 4));
        bind(gpuPod("numa-train-001", 4));
        loop.syncOnce(pods());
        assertThat(pod("numa-train-001").getStatus().getPhase()).isEqualTo("Running");

        // The embedded API deletes an evicted pod at once; a real kubelet had stopped it before its
        // deletion was final, so the preemptor bound after it must find its zone free.
        client.pods().inNamespace(NAMESPACE).withName("numa-train-000").delete();
        bind(gpuPod("numa-train-002", 4));
        loop.syncOnce(pods());

        assertThat(pod("numa-train-002").getStatus().getPhase()).isEqualTo("Running");
        assertThat(loop.rejected()).isZero();
    }

    @Test
    void podsOnNodesWithoutTopologyAreLeftAlone() {
        Pod pod = gpuPod("plain-0", 1);
        pod.getSpec().setNodeName("gpu-node-0000");
        client.pods().inNamespace(NAMESPACE).resource(pod).create();

        loop.syncOnce(pods());

        Pod untouched = pod("plain-0");
        assertThat(untouched.getStatus() == null ? null : untouched.getStatus().getPhase()).isNotIn("Running", "Failed");
        assertThat(loop.admitted()).isZero();
    }

    private static Pod gpuPod(String name, int gpus) {
        return DemoObjects.numaPod(new NumaWorkload.NumaPod(name, NAMESPACE, NumaWorkload.Kind.TRAINING, 32_000,
                128 * GI, gpus, true, null, 0), "kubenexus-scheduler");
    }

    private void bind(Pod pod) {
        pod.getSpec().setNodeName(NODE);
        client.pods().inNamespace(NAMESPACE).resource(pod).create();
    }

    private List<Pod> pods() {
        return client.pods().inNamespace(NAMESPACE).list().getItems();
    }

    private Pod pod(String name) {
        return client.pods().inNamespace(NAMESPACE).withName(name).get();
    }

    private NodeTopology published() {
        GenericKubernetesResource nrt = client.genericKubernetesResources(
                NodeResourceTopologyTranslator.NODE_RESOURCE_TOPOLOGIES).withName(NODE).get();
        if (!(new NodeResourceTopologyTranslator().translate(nrt) instanceof Translation.Valid<NodeTopology> valid)) {
            throw new AssertionError("unreadable NodeResourceTopology: " + nrt);
        }
        return valid.value();
    }
}
