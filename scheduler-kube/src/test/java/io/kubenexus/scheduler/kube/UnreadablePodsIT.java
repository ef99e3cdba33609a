package io.kubenexus.scheduler.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kubenexus.scheduler.core.state.NodeView;
import io.kubenexus.scheduler.core.state.ResourceColumns;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pods the scheduler cannot read, with input a real cluster produces, over HTTP against the
 * embedded API: one malformed annotation on anyone's pod must not stop the pod informer (present
 * at start: the scheduler still syncs; added later: later pods are still stored), and a pod bound
 * by anyone keeps its room whatever its constraints hold.
 */
class UnreadablePodsIT {
    private static final String NS = "spark-jobs";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String OURS = "kubenexus-scheduler";
    private static final String THEIRS = "default-scheduler";
    /** An executor size whose exponent no long holds: fabric8's arithmetic threw on it (ArithmeticException). */
    private static final Map<String, String> MALFORMED_EXECUTORS =
            Map.of("pod-group.scheduling.kubenexus.io/executor-resources", "cpu=1e999999999");

    @RegisterExtension
    final EmbeddedScheduler embedded = new EmbeddedScheduler();

    @Test
    void aMalformedAnnotationPresentAtStartDoesNotKeepTheSchedulerFromSyncing() {
        createNode("node-0", "4");
        createPod(pod("odd", THEIRS, "1", null).editMetadata().addToAnnotations(MALFORMED_EXECUTORS).endMetadata());
        createPod(pod("ours", OURS, "1", null));

        embedded.start(); // waits for the sync barrier (20 s)

        await().atMost(WAIT).until(() -> "node-0".equals(nodeOf("ours")));
    }

    @Test
    void aMalformedAnnotationAddedLaterLeavesLaterPodsStoredAndTheirNodesNotOverCommitted() {
        createNode("node-0", "4");
        KubeScheduler scheduler = embedded.start();
        createPod(pod("odd", THEIRS, "1", null).editMetadata().addToAnnotations(MALFORMED_EXECUTORS).endMetadata());
        createPod(pod("driver", OURS, "1", null).editMetadata().addToAnnotations(MALFORMED_EXECUTORS)
                .addToLabels("spark-role", "driver").endMetadata());
        createPod(pod("running", THEIRS, "3", "node-0"));

        await().atMost(WAIT).until(() -> requestedCpu(scheduler, "node-0") == 3000);
        createPod(pod("ours", OURS, "2", null));

        await().atMost(WAIT).until(() -> condition("ours").isPresent());
        assertThat(condition("ours").orElseThrow().getMessage()).isEqualTo("0/1 nodes are available: 1 Insufficient cpu.");
        assertThat(nodeOf("ours")).isNull();
        // Our own driver with the malformed annotation is told why it is not scheduled.
        await().atMost(WAIT).until(() -> condition("driver").isPresent());
        assertThat(condition("driver").orElseThrow().getMessage())
                .contains("executor-resources").contains("1e999999999").contains("too large");
    }

    @Test
    void aBoundPodOfAnotherSchedulerWithAGtTermThatIsNoIntegerHoldsItsRoom() {
        createNode("node-0", "4");
        createPod(pod("theirs", THEIRS, "3", "node-0").editSpec().withNewAffinity().withNewNodeAffinity()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution().addNewNodeSelectorTerm()
                .withMatchExpressions(new NodeSelectorRequirement("cores", "Gt", List.of("abc"))).endNodeSelectorTerm()
                .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity().endSpec());
        KubeScheduler scheduler = embedded.start();

        createPod(pod("ours", OURS, "2", null));

        await().atMost(WAIT).until(() -> condition("ours").isPresent());
        assertThat(condition("ours").orElseThrow().getMessage()).isEqualTo("0/1 nodes are available: 1 Insufficient cpu.");
        assertThat(requestedCpu(scheduler, "node-0")).isEqualTo(3000);
    }

    @Test
    void boundPodsWithAMistypedNumaPolicyHoldTheirRoomWhoeverBoundThem() {
        createNode("node-0", "4");
        Map<String, String> mistyped = Map.of("numa.scheduling.kubenexus.io/policy", "single-numa-node");
        // Someone else's pod: our annotation means nothing on it. Ours: annotated after it was bound.
        createPod(pod("theirs", THEIRS, "2", "node-0").editMetadata().addToAnnotations(mistyped).endMetadata());
        createPod(pod("ours-running", OURS, "1", "node-0").editMetadata().addToAnnotations(mistyped).endMetadata());
        KubeScheduler scheduler = embedded.start();

        createPod(pod("ours", OURS, "2", null));

        await().atMost(WAIT).until(() -> condition("ours").isPresent());
        assertThat(condition("ours").orElseThrow().getMessage()).isEqualTo("0/1 nodes are available: 1 Insufficient cpu.");
        assertThat(requestedCpu(scheduler, "node-0")).isEqualTo(3000);
        assertThat(condition("ours-running")).as("a running pod is not reported").isEmpty();
    }

    // ------------------------------------------------------------------ helpers

    private static long requestedCpu(KubeScheduler scheduler, String node) {
        NodeView view = scheduler.view().node(node);
        return view == null ? -1 : view.requested(ResourceColumns.CPU);
    }

    private void createNode(String name, String cpu) {
        embedded.client().nodes().resource(new NodeBuilder()
                .withNewMetadata().withName(name).addToLabels("kubernetes.io/hostname", name).endMetadata()
                .withNewStatus()
                .addToAllocatable("cpu", new Quantity(cpu)).addToAllocatable("memory", new Quantity("16Gi"))
                .addToAllocatable("pods", new Quantity("110"))
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .endStatus().build()).create();
    }

    /** A pod asking {@code cpu}; bound to {@code node} and Running when a node is given. */
    private static PodBuilder pod(String name, String schedulerName, String cpu, String node) {
        PodBuilder pod = new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withSchedulerName(schedulerName).withNodeName(node)
                .addNewContainer().withName("main").withImage("spark:3.5")
                .withNewResources().addToRequests("cpu", new Quantity(cpu)).endResources().endContainer().endSpec();
        return node == null ? pod : pod.withNewStatus().withPhase("Running").endStatus();
    }

    private void createPod(PodBuilder pod) {
        embedded.client().pods().inNamespace(NS).resource(pod.build()).create();
    }

    private String nodeOf(String name) {
        Pod pod = embedded.client().pods().inNamespace(NS).withName(name).get();
        return pod == null ? null : pod.getSpec().getNodeName();
    }

    private Optional<PodCondition> condition(String name) {
        Pod pod = embedded.client().pods().inNamespace(NS).withName(name).get();
        if (pod == null || pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getConditions().stream().filter(c -> "PodScheduled".equals(c.getType())).findFirst();
    }
}
