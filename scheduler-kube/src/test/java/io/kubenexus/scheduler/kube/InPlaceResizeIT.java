package io.kubenexus.scheduler.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kubenexus.scheduler.core.state.NodeView;
import io.kubenexus.scheduler.core.state.ResourceColumns;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * In-place pod resize over HTTP: a running pod shrunk in its spec still holds what the kubelet has
 * not released yet (its status), and its room frees once the kubelet reports the resize done.
 */
class InPlaceResizeIT {
    private static final String NS = "apps";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    final EmbeddedScheduler embedded = new EmbeddedScheduler();

    @Test
    void aShrinkingPodHoldsItsOldRequestUntilTheKubeletReportsTheResizeDone() {
        embedded.client().nodes().resource(new NodeBuilder().withNewMetadata().withName("node-0").endMetadata()
                .withNewStatus().addToAllocatable("cpu", new Quantity("4")).addToAllocatable("memory", new Quantity("16Gi"))
                .addToAllocatable("pods", new Quantity("110"))
                .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build()).create();
        // Resized from 3 cpu to 1 in its spec; the kubelet still runs it with 3.
        embedded.client().pods().inNamespace(NS).resource(new PodBuilder()
                .withNewMetadata().withName("web").withNamespace(NS).endMetadata()
                .withNewSpec().withSchedulerName("default-scheduler").withNodeName("node-0")
                .addNewContainer().withName("main").withImage("nginx")
                .withNewResources().addToRequests("cpu", new Quantity("1")).endResources().endContainer().endSpec()
                .withNewStatus().withPhase("Running")
                .addNewCondition().withType("PodResizeInProgress").withStatus("True").endCondition()
                .withContainerStatuses(new ContainerStatusBuilder().withName("main")
                        .withNewResources().addToRequests("cpu", new Quantity("3")).endResources()
                        .addToAllocatedResources("cpu", new Quantity("1")).build())
                .endStatus().build()).create();
        KubeScheduler scheduler = embedded.start();

        createOurs("ours", "2");
        await().atMost(WAIT).until(() -> condition("ours").isPresent());
        assertThat(condition("ours").orElseThrow().getMessage()).isEqualTo("0/1 nodes are available: 1 Insufficient cpu.");
        assertThat(requestedCpu(scheduler)).isEqualTo(3000);

        // The kubelet actuates the resize and clears the condition.
        embedded.client().pods().inNamespace(NS).withName("web").editStatus(pod -> new PodBuilder(pod).editStatus()
                .withConditions(List.of())
                .withContainerStatuses(new ContainerStatusBuilder().withName("main")
                        .withNewResources().addToRequests("cpu", new Quantity("1")).endResources()
                        .addToAllocatedResources("cpu", new Quantity("1")).build())
                .endStatus().build());

        await().atMost(WAIT).until(() -> "node-0".equals(nodeOf("ours")));
        await().atMost(WAIT).until(() -> requestedCpu(scheduler) == 3000);
    }

    private void createOurs(String name, String cpu) {
        embedded.client().pods().inNamespace(NS).resource(new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withSchedulerName("kubenexus-scheduler")
                .addNewContainer().withName("main").withImage("app")
                .withNewResources().addToRequests("cpu", new Quantity(cpu)).endResources().endContainer().endSpec()
                .build()).create();
    }

    private static long requestedCpu(KubeScheduler scheduler) {
        NodeView view = scheduler.view().node("node-0");
        return view == null ? -1 : view.requested(ResourceColumns.CPU);
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
