package io.kubenexus.scheduler.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubenexus.scheduler.core.config.GangSettings;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.kube.embedded.EmbeddedKubernetesApi;
import io.kubenexus.scheduler.kube.testing.SparkSubmitObjects;
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
    private SparkSubmitObjects objects;
    private final List<KubeScheduler> schedulers = new ArrayList<>();

    @BeforeEach
    void startApi() {
        api = new EmbeddedKubernetesApi();
        client = api.client();
        objects = new SparkSubmitObjects(client, NS);
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

                        private List<Event> events(String pod) {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> pod.equals(e.getInvolvedObject().getName())).toList();
    }

    private List<Event> failedScheduling(String pod) {
        return events(pod).stream().filter(e -> "FailedScheduling".equals(e.getReason())).toList();
    }

    // ------------------------------------------------------------------ objects (SparkSubmitObjects)

    private void createNode(String name, String cpu) {
        objects.createNode(name, cpu);
    }

    private void createPlainPod(String name, String cpu) {
        objects.createPlainPod(name, cpu);
    }

    private void createDriver(String app, int minAvailable, String executorResources) {
        objects.createDriver(app, minAvailable, executorResources);
    }

    private String nodeOf(String pod) {
        return objects.nodeOf(pod);
    }

    private List<Pod> executors(String app) {
        return objects.executors(app);
    }

    private void createExecutors(String app, int count, int minAvailable) {
        objects.createExecutors(app, count, minAvailable);
    }
}
