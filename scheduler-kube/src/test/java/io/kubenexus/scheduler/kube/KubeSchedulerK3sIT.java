package io.kubenexus.scheduler.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The same end-to-end path against a real API server and kubelet (k3s). Needs a Docker engine;
 * skipped cleanly where there is none (as on our CI machine, where the mock-API ITs cover it).
 */
@Testcontainers(disabledWithoutDocker = true)
class KubeSchedulerK3sIT {

    @Container
    private static final K3sContainer K3S = new K3sContainer(DockerImageName.parse("rancher/k3s:v1.31.4-k3s1"));

    @Test
    void bindsAPodOnARealClusterAndReportsAnUnschedulableOne() {
        Config config = Config.fromKubeconfig(K3S.getKubeConfigYaml());
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
             KubeScheduler scheduler = new KubeScheduler(new KubernetesClientBuilder().withConfig(config).build(),
                     KubeSchedulerOptions.singleReplica(SchedulerSettings.defaults()), Clock.systemUTC())) {
            scheduler.start().toCompletableFuture().orTimeout(60, TimeUnit.SECONDS).join();
            client.pods().inNamespace("default").resource(pod("fits", "100m")).create();
            client.pods().inNamespace("default").resource(pod("too-big", "10000")).create();

            await().atMost(Duration.ofSeconds(60)).until(() ->
                    client.pods().inNamespace("default").withName("fits").get().getSpec().getNodeName() != null);
            await().atMost(Duration.ofSeconds(60)).until(() -> unschedulable(client.pods().inNamespace("default")
                    .withName("too-big").get()));
            Pod tooBig = client.pods().inNamespace("default").withName("too-big").get();
            assertThat(tooBig.getSpec().getNodeName()).isNull();
            assertThat(tooBig.getStatus().getConditions()).anySatisfy(c ->
                    assertThat(c.getMessage()).startsWith("0/1 nodes are available: 1 Insufficient cpu"));
        }
    }

    private static boolean unschedulable(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream().map(PodCondition::getReason).anyMatch("Unschedulable"::equals);
    }

    private static Pod pod(String name, String cpu) {
        return new PodBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withSchedulerName("kubenexus-scheduler")
                .addNewContainer().withName("main").withImage("registry.k8s.io/pause:3.10")
                .withNewResources().addToRequests("cpu", new Quantity(cpu)).endResources().endContainer()
                .endSpec().build();
    }
}
