package io.kubenexus.scheduler.kube.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubenexus.scheduler.gang.group.GangSettings;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.kube.KubeScheduler;
import io.kubenexus.scheduler.kube.KubeSchedulerOptions;
import io.kubenexus.scheduler.kube.embedded.EmbeddedKubernetesApi;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An application exactly as spark-operator's kube-scheduler integration submits it, unchanged: a
 * SparkApplication, a scheduler-plugins PodGroup with minMember 1 and minResources for the whole
 * app, and driver and executor pods labelled {@code scheduling.x-k8s.io/pod-group}. The driver is
 * bound only with room for its executors (sized from the SparkApplication), and they take it.
 */
class SparkOperatorPodGroupIT {
    private static final String NS = "spark-operator-jobs";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    private EmbeddedKubernetesApi api;
    private KubernetesClient client;
    private KubeScheduler scheduler;

    @BeforeEach
    void start() {
        api = new EmbeddedKubernetesApi();
        client = api.client();
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("node-0").endMetadata()
                .withNewStatus().addToAllocatable("cpu", new Quantity("8")).addToAllocatable("memory", new Quantity("64Gi"))
                .addToAllocatable("pods", new Quantity("110")).endStatus().build()).create();
    }

    @AfterEach
    void stop() {
        if (scheduler != null) {
            scheduler.close();
        }
        api.close();
    }

    @Test
    void aSparkOperatorAppWithItsPodGroupCompletesAndItsExecutorsTakeTheReservedRoom() {
        createSparkApplication("pi");
        createPodGroup("spark-pi-pg");
        scheduler = new KubeScheduler(api.newClient(), KubeSchedulerOptions.singleReplica(
                SchedulerSettings.defaults().withBackoff(Duration.ofMillis(100), Duration.ofMillis(500))), Clock.systemUTC());
        scheduler.start().toCompletableFuture().orTimeout(20, TimeUnit.SECONDS).join();

        createPod("pi-driver", "driver", "1", "2Gi");
        await().atMost(WAIT).until(() -> nodeOf("pi-driver") != null);
        // Two executors of 2 cores, 4g + 409Mi overhead each (Spark's rule), from the SparkApplication.
        assertThat(scheduler.stats().reservations()).isEqualTo(2);
        assertThat(scheduler.view().node("node-0").requested(0)).isEqualTo(5000);

        // Room is really held: a 4-core pod does not fit into the 3 cores that look free.
        createPlain("intruder", "4");
        createPod("pi-exec-1", "executor", "2", "4505Mi");
        createPod("pi-exec-2", "executor", "2", "4505Mi");

        await().atMost(WAIT).until(() -> nodeOf("pi-exec-1") != null && nodeOf("pi-exec-2") != null);
        await().atMost(WAIT).until(() -> scheduler.stats().reservations() == 0);
        assertThat(nodeOf("intruder")).isNull();
    }

    /**
     * The same app when the scheduler cannot read its SparkApplication (deleted, no RBAC, a watch cut
     * for long): the PodGroup's minResources still hold the driver until the remainder fits, and the
     * remainder is reserved as places no larger than the driver, which the executors take.
     */
    @Test
    void withoutItsSparkApplicationMinResourcesStillHoldTheDriverAndReserveTheRemainder() {
        createPodGroup("spark-pi-pg");
        scheduler = new KubeScheduler(api.newClient(), KubeSchedulerOptions.singleReplica(
                SchedulerSettings.defaults().withBackoff(Duration.ofMillis(100), Duration.ofMillis(500)))
                .withGang(new GangSettings(Duration.ofMinutes(5), Duration.ofSeconds(1))), Clock.systemUTC());
        scheduler.start().toCompletableFuture().orTimeout(20, TimeUnit.SECONDS).join();

        // 6 of node-0's 8 cores are taken: minResources (5 cores) cannot be free, the driver waits.
        createPlain("filler", "6");
        await().atMost(WAIT).until(() -> nodeOf("filler") != null);
        createPod("pi-driver", "driver", "1", "2Gi");
        await().pollDelay(Duration.ofSeconds(3)).atMost(WAIT).until(() -> eventReasons("pi-driver")
                .contains("ExecutorsSizedFromMinResources"));
        assertThat(nodeOf("pi-driver")).as("held: 1 + 4 cores do not fit in the 2 left").isNull();
        assertThat(scheduler.stats().reservations()).isZero();

        client.pods().inNamespace(NS).withName("filler").delete();
        await().atMost(WAIT).until(() -> nodeOf("pi-driver") != null);
        // minResources 5 cores, 12Gi less the driver's 1 core, 2Gi leaves 4 cores, 10Gi: five places
        // (10Gi in the driver's 2Gi) of 800m, 2Gi each.
        assertThat(scheduler.stats().reservations()).isEqualTo(5);
        assertThat(scheduler.view().node("node-0").requested(0)).isEqualTo(5000);

        createPod("pi-exec-1", "executor", "1", "2Gi");
        createPod("pi-exec-2", "executor", "1", "2Gi");
        await().atMost(WAIT).until(() -> nodeOf("pi-exec-1") != null && nodeOf("pi-exec-2") != null);
        await().atMost(WAIT).until(() -> scheduler.stats().reservations() == 3);
    }

    private java.util.List<String> eventReasons(String pod) {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> pod.equals(e.getInvolvedObject().getName())).map(e -> e.getReason()).toList();
    }

    private void createSparkApplication(String name) {
        client.genericKubernetesResources(GroupSourceInformers.SPARK_APPLICATIONS).inNamespace(NS)
                .resource(YAML.unmarshal("""
                        apiVersion: sparkoperator.k8s.io/v1beta2
                        kind: SparkApplication
                        metadata: {name: %s, namespace: %s}
                        spec:
                          type: Scala
                          mode: cluster
                          sparkVersion: 3.5.3
                          batchScheduler: kube-scheduler
                          driver: {cores: 1, memory: 2g}
                          executor: {cores: 2, memory: 4g, instances: 2}
                        """.formatted(name, NS), GenericKubernetesResource.class)).create();
    }

    /** What spark-operator creates: minMember 1 and the whole app's resources. */
    private void createPodGroup(String name) {
        client.genericKubernetesResources(GroupSourceInformers.SCHEDULER_PLUGINS_POD_GROUPS).inNamespace(NS)
                .resource(YAML.unmarshal("""
                        apiVersion: scheduling.x-k8s.io/v1alpha1
                        kind: PodGroup
                        metadata: {name: %s, namespace: %s}
                        spec:
                          minMember: 1
                          minResources: {cpu: "5", memory: 12Gi}
                        """.formatted(name, NS), GenericKubernetesResource.class)).create();
    }

    private void createPod(String name, String role, String cpu, String memory) {
        client.pods().inNamespace(NS).resource(new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(NS)
                .addToLabels("spark-role", role)
                .addToLabels("spark-app-selector", "spark-0123")
                .addToLabels("sparkoperator.k8s.io/app-name", "pi")
                .addToLabels("scheduling.x-k8s.io/pod-group", "spark-pi-pg")
                .endMetadata()
                .withNewSpec().withSchedulerName("kubenexus-scheduler")
                .addNewContainer().withName("spark-kubernetes-" + role).withImage("spark:3.5.3")
                .withNewResources().addToRequests("cpu", new Quantity(cpu)).addToRequests("memory", new Quantity(memory))
                .endResources().endContainer().endSpec().build()).create();
    }

    private void createPlain(String name, String cpu) {
        client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName(name).withNamespace(NS)
                .endMetadata().withNewSpec().withSchedulerName("kubenexus-scheduler").addNewContainer().withName("main")
                .withImage("app").withNewResources().addToRequests("cpu", new Quantity(cpu)).endResources().endContainer()
                .endSpec().build()).create();
    }

    private String nodeOf(String pod) {
        Pod found = client.pods().inNamespace(NS).withName(pod).get();
        return found == null ? null : found.getSpec().getNodeName();
    }
}
