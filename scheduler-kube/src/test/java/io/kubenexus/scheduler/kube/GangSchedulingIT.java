package io.kubenexus.scheduler.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.kube.embedded.EmbeddedKubernetesApi;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Co-created pod groups (training jobs) all-or-nothing, through the real labels and the API. */
class GangSchedulingIT {
    private static final String NS = "training";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private EmbeddedKubernetesApi api;
    private KubernetesClient client;
    private KubeScheduler scheduler;

    @BeforeEach
    void start() {
        api = new EmbeddedKubernetesApi();
        client = api.client();
        scheduler = new KubeScheduler(api.newClient(), KubeSchedulerOptions.singleReplica(
                SchedulerSettings.defaults().withBackoff(Duration.ofMillis(100), Duration.ofMillis(500))), Clock.systemUTC());
        scheduler.start().toCompletableFuture().orTimeout(20, TimeUnit.SECONDS).join();
    }

    @AfterEach
    void stop() {
        scheduler.close();
        api.close();
    }

    @Test
    void aGroupOfEightWhereOnlySevenFitBindsNoneAndSaysWhyThenBindsAllWhenRoomAppears() {
        for (int i = 0; i < 7; i++) {
            createNode("node-" + i, "4");
        }
        for (int i = 0; i < 8; i++) {
            createMember("worker-" + i, "mpi-job", "8", "3");
        }

        // Members seen before the eighth first say the gang is incomplete; wait for the plan's verdict.
        await().atMost(WAIT).until(() -> members().stream().allMatch(
                p -> condition(p) != null && condition(p).getMessage().contains("the best plan fits")));
        assertThat(members()).allSatisfy(p -> {
            assertThat(p.getSpec().getNodeName()).isNull();
            assertThat(condition(p).getReason()).isEqualTo("Unschedulable");
            assertThat(condition(p).getMessage()).startsWith(
                    "gang training/mpi-job: 8 members need cpu=24, memory=8Gi; the best plan fits 7 of 8; worker-");
        });
        assertThat(scheduler.view().nodes()).allSatisfy(n -> assertThat(n.podCount()).as("nothing held").isZero());

        createNode("node-7", "4");

        await().atMost(WAIT).until(() -> members().stream().allMatch(p -> p.getSpec().getNodeName() != null));
    }

    @Test
    void membersArrivingOneByOneAreBoundOnlyWhenTheGroupIsComplete() {
        createNode("node-0", "16");
        createMember("ps-0", "tf-job", "3", "1");
        createMember("ps-1", "tf-job", "3", "1");

        await().atMost(WAIT).until(() -> condition(pod("ps-0")) != null && condition(pod("ps-1")) != null);
        assertThat(condition(pod("ps-0")).getMessage()).isEqualTo(
                "gang training/tf-job: 2/3 members present, waiting for the rest before placing any");
        assertThat(members()).allSatisfy(p -> assertThat(p.getSpec().getNodeName()).isNull());

        createMember("ps-2", "tf-job", "3", "1");

        await().atMost(WAIT).until(() -> members().stream().allMatch(p -> p.getSpec().getNodeName() != null));
        assertThat(members()).hasSize(3);
    }

    private void createNode(String name, String cpu) {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewStatus().addToAllocatable("cpu", new Quantity(cpu)).addToAllocatable("memory", new Quantity("64Gi"))
                .addToAllocatable("pods", new Quantity("110")).endStatus().build()).create();
    }

    private void createMember(String name, String group, String minAvailable, String cpu) {
        client.pods().inNamespace(NS).resource(new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(NS)
                .addToLabels("pod-group.scheduling.kubenexus.io/name", group)
                .addToLabels("pod-group.scheduling.kubenexus.io/min-available", minAvailable)
                .endMetadata()
                .withNewSpec().withSchedulerName("kubenexus-scheduler")
                .addNewContainer().withName("main").withImage("trainer")
                .withNewResources().addToRequests("cpu", new Quantity(cpu)).addToRequests("memory", new Quantity("1Gi"))
                .endResources().endContainer().endSpec().build()).create();
    }

    private Pod pod(String name) {
        return client.pods().inNamespace(NS).withName(name).get();
    }

    private List<Pod> members() {
        return client.pods().inNamespace(NS).list().getItems();
    }

    private static PodCondition condition(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return null;
        }
        return pod.getStatus().getConditions().stream().filter(c -> "PodScheduled".equals(c.getType())).findFirst()
                .orElse(null);
    }
}
