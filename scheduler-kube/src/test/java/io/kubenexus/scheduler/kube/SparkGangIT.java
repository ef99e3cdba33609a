package io.kubenexus.scheduler.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubenexus.scheduler.core.config.GangSettings;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.kube.embedded.EmbeddedKubernetesApi;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Spark's driver-first gangs over HTTP: the driver is bound only with room for its executors, the
 * executors are created (by this test, as spark-submit does) only after the driver is bound, and
 * they take the reserved places.
 */
class SparkGangIT {
    private static final String NS = "spark-jobs";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private EmbeddedKubernetesApi api;
    private KubernetesClient client;
    private final List<KubeScheduler> schedulers = new ArrayList<>();

    @BeforeEach
    void startApi() {
        api = new EmbeddedKubernetesApi();
        client = api.client();
    }

    @AfterEach
    void stop() {
        schedulers.forEach(KubeScheduler::close);
        api.close();
    }

    private KubeScheduler startScheduler(Duration reservationTtl) {
        KubeScheduler scheduler = new KubeScheduler(api.newClient(), KubeSchedulerOptions.singleReplica(
                        SchedulerSettings.defaults().withBackoff(Duration.ofMillis(100), Duration.ofMillis(500)))
                .withGang(new GangSettings(reservationTtl)), Clock.systemUTC());
        schedulers.add(scheduler);
        scheduler.start().toCompletableFuture().orTimeout(20, TimeUnit.SECONDS).join();
        return scheduler;
    }

    @Test
    void anAppWhoseExecutorsAppearOnlyAfterTheDriverIsBoundCompletes() {
        createNode("node-0", "8");
        createNode("node-1", "8");
        KubeScheduler scheduler = startScheduler(Duration.ofMinutes(5));

        createDriver("pi", 5, "cpu=2,memory=4Gi");
        await().atMost(WAIT).until(() -> nodeOf("pi-driver") != null);
        assertThat(scheduler.stats().reservations()).isEqualTo(4);

        createExecutors("pi", 4, 5);

        await().atMost(WAIT).until(() -> executors("pi").stream().allMatch(p -> p.getSpec().getNodeName() != null));
        await().atMost(WAIT).until(() -> scheduler.stats().reservations() == 0);
    }

    @Test
    void twoAppsCompetingForRoomForOneRunOneAndTheOtherWaitsHoldingNothing() {
        createNode("node-0", "8");
        KubeScheduler scheduler = startScheduler(Duration.ofMinutes(5));

        createDriver("first", 4, "cpu=2,memory=2Gi");
        createDriver("second", 4, "cpu=2,memory=2Gi");

        await().atMost(WAIT).until(() -> nodeOf("first-driver") != null || nodeOf("second-driver") != null);
        String winner = nodeOf("first-driver") != null ? "first" : "second";
        String loser = winner.equals("first") ? "second" : "first";
        await().atMost(WAIT).until(() -> !failedScheduling(loser + "-driver").isEmpty());
        assertThat(nodeOf(loser + "-driver")).isNull();
        assertThat(scheduler.stats().reservations()).as("only the winner holds places").isEqualTo(3);
        assertThat(failedScheduling(loser + "-driver").get(0).getMessage())
                .contains("driver and 3 executor(s) sized by annotation")
                .contains("4 members need cpu=7");

        // The winner runs to completion; its room then goes to the waiting app.
        createExecutors(winner, 3, 4);
        await().atMost(WAIT).until(() -> executors(winner).stream().allMatch(p -> p.getSpec().getNodeName() != null));
        List.of(winner + "-driver", winner + "-exec-1", winner + "-exec-2", winner + "-exec-3")
                .forEach(name -> client.pods().inNamespace(NS).withName(name).delete());
        await().atMost(WAIT).until(() -> nodeOf(loser + "-driver") != null);
    }

    @Test
    void reservationsThatAreNotUsedExpireAndTheDriverIsTold() {
        createNode("node-0", "8");
        KubeScheduler scheduler = startScheduler(Duration.ofSeconds(2));

        createDriver("slow", 3, "cpu=2,memory=2Gi");
        await().atMost(WAIT).until(() -> nodeOf("slow-driver") != null);
        assertThat(scheduler.stats().reservations()).isEqualTo(2);

        await().atMost(WAIT).until(() -> scheduler.stats().reservations() == 0);
        assertThat(scheduler.stats().reservationsExpired()).isEqualTo(2);
        await().atMost(WAIT).until(() -> events("slow-driver").stream().anyMatch(e -> "ReservationExpired".equals(e.getReason())));
    }

    @Test
    void aRestartedSchedulerReservesAgainForABoundDriverWithMissingExecutors() {
        createNode("node-0", "8");
        KubeScheduler first = startScheduler(Duration.ofMinutes(5));
        createDriver("etl", 4, "cpu=2,memory=2Gi");
        await().atMost(WAIT).until(() -> nodeOf("etl-driver") != null);
        createExecutors("etl", 1, 4);
        await().atMost(WAIT).until(() -> nodeOf("etl-exec-1") != null);
        assertThat(first.stats().reservations()).isEqualTo(2);

        first.close();
        schedulers.remove(first);
        KubeScheduler second = startScheduler(Duration.ofMinutes(5));

        await().atMost(WAIT).until(() -> second.stats().reservations() == 2);
        // The places are really held: a pod that would need them does not get them.
        createPlainPod("intruder", "3");
        await().atMost(WAIT).until(() -> !failedScheduling("intruder").isEmpty());
        assertThat(nodeOf("intruder")).isNull();
        createExecutors("etl", 2, 4);
        await().atMost(WAIT).until(() -> executors("etl").stream().allMatch(p -> p.getSpec().getNodeName() != null));
    }

    // ------------------------------------------------------------------ a minimal spark-submit

    private void createDriver(String app, int minAvailable, String executorResources) {
        client.pods().inNamespace(NS).resource(sparkPod(app + "-driver", app, "driver", minAvailable, "1")
                .editMetadata().addToAnnotations("pod-group.scheduling.kubenexus.io/executor-resources", executorResources)
                .endMetadata().build()).create();
    }

    /** Executors 1..count, created like Spark's: after the driver runs, owned by it. */
    private void createExecutors(String app, int count, int minAvailable) {
        Pod driver = client.pods().inNamespace(NS).withName(app + "-driver").get();
        int first = executors(app).size() + 1;
        for (int i = first; i < first + count; i++) {
            client.pods().inNamespace(NS).resource(sparkPod(app + "-exec-" + i, app, "executor", minAvailable, "2")
                    .editMetadata().addToLabels("spark-exec-id", Integer.toString(i))
                    .addNewOwnerReference().withApiVersion("v1").withKind("Pod").withName(driver.getMetadata().getName())
                    .withUid(driver.getMetadata().getUid()).withController(true).endOwnerReference().endMetadata()
                    .build()).create();
        }
    }

    private static PodBuilder sparkPod(String name, String app, String role, int minAvailable, String cpu) {
        return new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(NS)
                .addToLabels("spark-role", role)
                .addToLabels("spark-app-selector", "spark-" + app)
                .addToLabels("pod-group.scheduling.kubenexus.io/name", app)
                .addToLabels("pod-group.scheduling.kubenexus.io/min-available", Integer.toString(minAvailable))
                .endMetadata()
                .withNewSpec().withSchedulerName("kubenexus-scheduler")
                .addNewContainer().withName("spark-kubernetes-" + role).withImage("spark:3.5.3")
                .withNewResources().addToRequests("cpu", new Quantity(cpu)).addToRequests("memory", new Quantity("2Gi"))
                .endResources().endContainer().endSpec();
    }

    private void createPlainPod(String name, String cpu) {
        client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName(name).withNamespace(NS)
                .endMetadata().withNewSpec().withSchedulerName("kubenexus-scheduler").addNewContainer().withName("main")
                .withImage("app").withNewResources().addToRequests("cpu", new Quantity(cpu)).endResources().endContainer()
                .endSpec().build()).create();
    }

    private void createNode(String name, String cpu) {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewStatus().addToAllocatable("cpu", new Quantity(cpu)).addToAllocatable("memory", new Quantity("64Gi"))
                .addToAllocatable("pods", new Quantity("110")).endStatus().build()).create();
    }

    private String nodeOf(String pod) {
        Pod found = client.pods().inNamespace(NS).withName(pod).get();
        return found == null ? null : found.getSpec().getNodeName();
    }

    private List<Pod> executors(String app) {
        return client.pods().inNamespace(NS).withLabel("spark-app-selector", "spark-" + app).list().getItems().stream()
                .filter(p -> "executor".equals(p.getMetadata().getLabels().get("spark-role"))).toList();
    }

    private List<Event> events(String pod) {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> pod.equals(e.getInvolvedObject().getName())).toList();
    }

    private List<Event> failedScheduling(String pod) {
        return events(pod).stream().filter(e -> "FailedScheduling".equals(e.getReason())).toList();
    }
}
