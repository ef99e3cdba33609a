package io.kubenexus.scheduler.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubenexus.scheduler.gang.group.GangSettings;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.ports.BindOutcome;
import io.kubenexus.scheduler.core.ports.BindResult;
import io.kubenexus.scheduler.core.ports.SchedulerMetrics;
import io.kubenexus.scheduler.kube.embedded.EmbeddedKubernetesApi;
import io.kubenexus.scheduler.kube.testing.SparkSubmitObjects;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Found by {@code demo --chaos} (partial gangs, reservations left, pods that fit left pending): an
 * executor whose bind failed lost the place reserved for it. The loop forgot the executor's
 * assumption, which had taken the reservation, and did not put the reservation back; the room
 * went to whoever was tried first (here a pod that was kept out by the reservation), and the
 * executor, retried after its backoff, found none: the driver ran without it. Now the place is
 * reserved again for the executor, the intruder stays pending, every executor is bound.
 */
class FailedExecutorBindIT {
    private static final String NS = "spark-jobs";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private EmbeddedKubernetesApi api;
    private KubernetesClient client;
    private SparkSubmitObjects objects;
    private KubeScheduler scheduler;

    @BeforeEach
    void start() {
        api = new EmbeddedKubernetesApi();
        client = api.client();
        objects = new SparkSubmitObjects(client, NS);
    }

    @AfterEach
    void stop() {
        if (scheduler != null) {
            scheduler.close();
        }
        api.close();
    }

    @Test
    void anExecutorWhoseBindFailsKeepsItsReservedPlace() {
        objects.createNode("node-0", "8");
        AtomicBoolean failedOnce = new AtomicBoolean();
        // The first bind of etl-exec-1 fails as a 500 would: nothing applied.
        scheduler = new KubeScheduler(api.newClient(), KubeSchedulerOptions.singleReplica(
                SchedulerSettings.defaults().withBackoff(Duration.ofMillis(300), Duration.ofMillis(500)))
                .withGang(new GangSettings(Duration.ofMinutes(5))), Clock.systemUTC(), SchedulerMetrics.NONE,
                binder -> (pod, node) -> pod.key().name().equals("etl-exec-1") && failedOnce.compareAndSet(false, true)
                        ? CompletableFuture.completedFuture(BindResult.of(BindOutcome.FAILED, "injected: 500"))
                        : binder.bind(pod, node));
        scheduler.start().toCompletableFuture().orTimeout(20, TimeUnit.SECONDS).join();

        // Driver 1 cpu + 3 executors x 2 cpu = 7 of 8 cpus: the driver binds, 6 cpus are reserved.
        objects.createDriver("etl", 4, "cpu=2,memory=2Gi");
        await().atMost(WAIT).until(() -> objects.nodeOf("etl-driver") != null);
        await().atMost(WAIT).until(() -> scheduler.stats().reservations() == 3);
        // 3 cpus: fits only in the reserved places, so it waits.
        objects.createPlainPod("intruder", "3");
        await().atMost(WAIT).until(() -> scheduler.stats().unschedulable() == 1);

        objects.createExecutors("etl", 3, 4);

        await().atMost(WAIT).until(() -> failedOnce.get() && scheduler.stats().pending() <= 1
                && scheduler.stats().pending() == scheduler.stats().unschedulable());
        assertThat(objects.executors("etl")).as("executors bound").allSatisfy(p -> assertThat(p.getSpec().getNodeName())
                .as(p.getMetadata().getName()).isNotNull());
        assertThat(objects.nodeOf("intruder")).as("the intruder took a reserved place").isNull();
        assertThat(scheduler.stats().reservations()).isZero();
    }
}
