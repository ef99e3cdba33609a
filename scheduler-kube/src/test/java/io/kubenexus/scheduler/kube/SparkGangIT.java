package io.kubenexus.scheduler.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubenexus.scheduler.gang.group.GangSettings;
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
        objects.createNode("node-0", "8");
        objects.createNode("node-1", "8");
        KubeScheduler scheduler = startScheduler(Duration.ofMinutes(5));

        objects.createDriver("pi", 5, "cpu=2,memory=4Gi");
        await().atMost(WAIT).until(() -> objects.nodeOf("pi-driver") != null);
        assertThat(scheduler.stats().reservations()).isEqualTo(4);

        objects.createExecutors("pi", 4, 5);

        await().atMost(WAIT).until(() -> objects.executors("pi").stream().allMatch(p -> p.getSpec().getNodeName() != null));
        await().atMost(WAIT).until(() -> scheduler.stats().reservations() == 0);
    }

    @Test
    void twoAppsCompetingForRoomForOneRunOneAndTheOtherWaitsHoldingNothing() {
        objects.createNode("node-0", "8");
        KubeScheduler scheduler = startScheduler(Duration.ofMinutes(5));

        objects.createDriver("first", 4, "cpu=2,memory=2Gi");
        objects.createDriver("second", 4, "cpu=2,memory=2Gi");

        await().atMost(WAIT).until(() -> objects.nodeOf("first-driver") != null || objects.nodeOf("second-driver") != null);
        String winner = objects.nodeOf("first-driver") != null ? "first" : "second";
        String loser = winner.equals("first") ? "second" : "first";
        await().atMost(WAIT).until(() -> !failedScheduling(loser + "-driver").isEmpty());
        assertThat(objects.nodeOf(loser + "-driver")).isNull();
        assertThat(scheduler.stats().reservations()).as("only the winner holds places").isEqualTo(3);
        assertThat(failedScheduling(loser + "-driver").get(0).getMessage())
                .contains("driver and 3 executor(s) sized by annotation")
                .contains("4 members need cpu=7");

        // The winner runs to completion; its room then goes to the waiting app.
        objects.createExecutors(winner, 3, 4);
        await().atMost(WAIT).until(() -> objects.executors(winner).stream().allMatch(p -> p.getSpec().getNodeName() != null));
        List.of(winner + "-driver", winner + "-exec-1", winner + "-exec-2", winner + "-exec-3")
                .forEach(name -> client.pods().inNamespace(NS).withName(name).delete());
        await().atMost(WAIT).until(() -> objects.nodeOf(loser + "-driver") != null);
    }

    @Test
    void reservationsThatAreNotUsedExpireAndTheDriverIsTold() {
        objects.createNode("node-0", "8");
        KubeScheduler scheduler = startScheduler(Duration.ofSeconds(2));

        objects.createDriver("slow", 3, "cpu=2,memory=2Gi");
        await().atMost(WAIT).until(() -> objects.nodeOf("slow-driver") != null);
        assertThat(scheduler.stats().reservations()).isEqualTo(2);

        await().atMost(WAIT).until(() -> scheduler.stats().reservations() == 0);
        assertThat(scheduler.stats().reservationsExpired()).isEqualTo(2);
        await().atMost(WAIT).until(() -> events("slow-driver").stream().anyMatch(e -> "ReservationExpired".equals(e.getReason())));
    }

    @Test
    void aRestartedSchedulerReservesAgainForABoundDriverWithMissingExecutors() {
        objects.createNode("node-0", "8");
        KubeScheduler first = startScheduler(Duration.ofMinutes(5));
        objects.createDriver("etl", 4, "cpu=2,memory=2Gi");
        await().atMost(WAIT).until(() -> objects.nodeOf("etl-driver") != null);
        objects.createExecutors("etl", 1, 4);
        await().atMost(WAIT).until(() -> objects.nodeOf("etl-exec-1") != null);
        assertThat(first.stats().reservations()).isEqualTo(2);

        first.close();
        schedulers.remove(first);
        KubeScheduler second = startScheduler(Duration.ofMinutes(5));

        await().atMost(WAIT).until(() -> second.stats().reservations() == 2);
        // The places are really held: a pod that would need them does not get them.
        objects.createPlainPod("intruder", "3");
        await().atMost(WAIT).until(() -> !failedScheduling("intruder").isEmpty());
        assertThat(objects.nodeOf("intruder")).isNull();
        objects.createExecutors("etl", 2, 4);
        await().atMost(WAIT).until(() -> objects.executors("etl").stream().allMatch(p -> p.getSpec().getNodeName() != null));
    }

    // ------------------------------------------------------------------ a minimal spark-submit

                        private List<Event> events(String pod) {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> pod.equals(e.getInvolvedObject().getName())).toList();
    }

    private List<Event> failedScheduling(String pod) {
        return events(pod).stream().filter(e -> "FailedScheduling".equals(e.getReason())).toList();
    }
}
