package io.kubenexus.scheduler.kube.events;

import static io.kubenexus.scheduler.kube.testing.PodObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.testing.MutableClock;
import io.kubenexus.scheduler.kube.embedded.EmbeddedKubernetesApi;
import io.kubenexus.scheduler.kube.translate.PodTranslator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 15, unit = TimeUnit.SECONDS) // a hang guard; each test takes well under a second once warm
class KubernetesEventSinkIT {
    private static final String NS = "spark-jobs";
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final MutableClock clock = MutableClock.at("2024-05-01T12:00:00.250Z");
    private EmbeddedKubernetesApi api;
    private KubernetesClient client;
    private ExecutorService pool;
    private TrackingExecutor writes;
    private ScheduledExecutorService timer;
    private KubernetesEventSink sink;

    @BeforeEach
    void start() {
        api = new EmbeddedKubernetesApi();
        client = api.client();
        pool = Executors.newFixedThreadPool(2);
        writes = new TrackingExecutor(pool);
        timer = Executors.newSingleThreadScheduledExecutor();
        // Long interval: the tests flush by hand, so counts are deterministic.
        sink = new KubernetesEventSink(client, "kubenexus-scheduler", "kubenexus-scheduler-0", writes, timer,
                Duration.ofHours(1), clock);
    }

    @AfterEach
    void stop() throws InterruptedException {
        sink.close();
        timer.shutdownNow();
        pool.shutdown();
        pool.awaitTermination(5, TimeUnit.SECONDS);
        api.close();
    }

    private PodInfo created(String name) {
        Pod pod = client.pods().inNamespace(NS).resource(pod(name).namespace(NS).forCreate().container("main")
                .cpu("1").build()).create();
        return new PodTranslator().translate(pod).orElseThrow();
    }

    private List<Event> eventsOf(String podName) {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> podName.equals(e.getInvolvedObject().getName())).toList();
    }

    private List<PodCondition> podScheduledConditions(String podName) {
        return client.pods().inNamespace(NS).withName(podName).get().getStatus().getConditions().stream()
                .filter(c -> "PodScheduled".equals(c.getType())).toList();
    }

    private void awaitWritesDone() {
        await().atMost(WAIT).until(writes::idle);
    }

    @Test
    void unschedulableKeepsExactlyOnePodScheduledCondition() {
        PodInfo pod = created("driver");
        for (String message : List.of("0/3 nodes are available: 3 Insufficient cpu.",
                "0/4 nodes are available: 4 Insufficient cpu.",
                "0/4 nodes are available: 1 node(s) had untolerated taint {gpu: true}, 3 Insufficient cpu.")) {
            sink.unschedulable(pod, message);
            await().atMost(WAIT).untilAsserted(() -> assertThat(podScheduledConditions("driver"))
                    .extracting(PodCondition::getMessage).containsExactly(message));
            clock.advance(Duration.ofSeconds(10));
        }

        PodCondition condition = podScheduledConditions("driver").get(0);
        assertThat(condition.getStatus()).isEqualTo("False");
        assertThat(condition.getReason()).isEqualTo("Unschedulable");
        assertThat(condition.getLastTransitionTime()).as("status never changed").isEqualTo("2024-05-01T12:00:00Z");
        await().atMost(WAIT).untilAsserted(() -> assertThat(eventsOf("driver")).hasSize(3)
                .allSatisfy(e -> assertThat(e.getReason()).isEqualTo("FailedScheduling")));
    }

    @Test
    void burstOfVerdictsEndsWithTheLastOne() {
        PodInfo pod = created("burst");
        for (int i = 0; i < 20; i++) {
            sink.unschedulable(pod, "attempt " + i);
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(podScheduledConditions("burst"))
                .extracting(PodCondition::getMessage).containsExactly("attempt 19"));
    }

    @Test
    void hundredRetriesAreOneEventCountingHundred() {
        PodInfo pod = created("exec-1");
        for (int i = 0; i < 100; i++) {
            sink.unschedulable(pod, "0/3 nodes are available: 3 Insufficient memory.");
            clock.advance(Duration.ofSeconds(1));
        }
        await().atMost(WAIT).untilAsserted(() -> {
            sink.flush();
            assertThat(eventsOf("exec-1")).singleElement()
                    .satisfies(e -> assertThat(e.getCount()).isEqualTo(100));
        });
        awaitWritesDone();

        Event event = eventsOf("exec-1").get(0);
        assertThat(event.getFirstTimestamp()).isEqualTo("2024-05-01T12:00:00Z");
        assertThat(event.getLastTimestamp()).isEqualTo("2024-05-01T12:01:39Z");
        // One Event create, one condition write, then count patches: never a write per retry.
        assertThat(writes.submitted()).isLessThanOrEqualTo(5);

        int before = writes.submitted();
        sink.unschedulable(pod, "0/3 nodes are available: 3 Insufficient memory.");
        sink.flush();
        awaitWritesDone();
        assertThat(writes.submitted()).as("the condition already says so: only the count patch")
                .isEqualTo(before + 1);
        await().atMost(WAIT).untilAsserted(() -> assertThat(eventsOf("exec-1").get(0).getCount()).isEqualTo(101));
    }

    @Test
    void scheduledIsANormalEventInKubeSchedulersWords() {
        PodInfo pod = created("p1");
        sink.scheduled(pod, "node-7");

        await().atMost(WAIT).untilAsserted(() -> assertThat(eventsOf("p1")).hasSize(1));
        Event event = eventsOf("p1").get(0);
        assertThat(event.getType()).isEqualTo("Normal");
        assertThat(event.getReason()).isEqualTo("Scheduled");
        assertThat(event.getMessage()).isEqualTo("Successfully assigned spark-jobs/p1 to node-7");
        assertThat(event.getAction()).isEqualTo("Binding");
        assertThat(event.getInvolvedObject().getKind()).isEqualTo("Pod");
        assertThat(event.getInvolvedObject().getApiVersion()).isEqualTo("v1");
        assertThat(event.getInvolvedObject().getNamespace()).isEqualTo(NS);
        assertThat(event.getInvolvedObject().getUid()).isEqualTo(pod.uid()).isNotBlank();
        assertThat(event.getSource().getComponent()).isEqualTo("kubenexus-scheduler");
        assertThat(event.getReportingComponent()).isEqualTo("kubenexus-scheduler");
        assertThat(event.getReportingInstance()).isEqualTo("kubenexus-scheduler-0");
        assertThat(event.getCount()).isEqualTo(1);
        assertThat(event.getFirstTimestamp()).isEqualTo("2024-05-01T12:00:00Z");
        assertThat(event.getLastTimestamp()).isEqualTo("2024-05-01T12:00:00Z");
        assertThat(event.getEventTime().getTime()).isEqualTo("2024-05-01T12:00:00.250000Z");
        assertThat(event.getMetadata().getName()).isEqualTo("p1." + Long.toHexString(1714564800250000000L));
        assertThat(event.getMetadata().getNamespace()).isEqualTo(NS);
    }

    @Test
    void invalidPodsSaySchedulerError() {
        PodInfo pod = created("bad");
        sink.invalid(pod, "container \"main\": memory request \"12x\" is not a valid quantity");
        await().atMost(WAIT).untilAsserted(() -> assertThat(podScheduledConditions("bad")).singleElement()
                .satisfies(c -> {
                    assertThat(c.getReason()).isEqualTo("SchedulerError");
                    assertThat(c.getStatus()).isEqualTo("False");
                }));
        await().atMost(WAIT).untilAsserted(() -> assertThat(eventsOf("bad")).singleElement()
                .satisfies(e -> assertThat(e.getType()).isEqualTo("Warning")));
    }

    @Test
    void bindFailureIsAWarning() {
        PodInfo pod = created("p2");
        sink.bindFailed(pod, "node-1", "etcdserver: request timed out");
        await().atMost(WAIT).untilAsserted(() -> assertThat(eventsOf("p2")).singleElement().satisfies(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getReason()).isEqualTo("FailedScheduling");
            assertThat(e.getMessage()).isEqualTo("Binding rejected: etcdserver: request timed out");
        }));
    }

    @Test
    void boundPodIsNotMarkedUnschedulableByALateVerdict() {
        PodInfo pod = created("late");
        client.bindings().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.BindingBuilder()
                .withNewMetadata().withName("late").endMetadata()
                .withNewTarget().withKind("Node").withName("node-1").endTarget().build()).create();
        sink.unschedulable(pod, "0/1 nodes are available");
        await().atMost(WAIT).untilAsserted(() -> assertThat(eventsOf("late")).hasSize(1));
        awaitWritesDone();
        assertThat(podScheduledConditions("late")).singleElement()
                .satisfies(c -> assertThat(c.getStatus()).isEqualTo("True"));
    }

    @Test
    void longMessagesAreCutToWhatTheApiAccepts() {
        PodInfo pod = created("long");
        sink.unschedulable(pod, "x".repeat(5000));
        await().atMost(WAIT).untilAsserted(() -> assertThat(eventsOf("long")).singleElement()
                .satisfies(e -> assertThat(e.getMessage()).hasSize(1024).endsWith("...")));
    }

    @Test
    void closeFlushesPendingCountsAndStopsRecording() {
        PodInfo pod = created("p3");
        sink.unschedulable(pod, "no fit");
        await().atMost(WAIT).untilAsserted(() -> assertThat(eventsOf("p3")).hasSize(1));
        awaitWritesDone();
        sink.unschedulable(pod, "no fit");
        sink.unschedulable(pod, "no fit");
        sink.close();
        await().atMost(WAIT).untilAsserted(() -> assertThat(eventsOf("p3").get(0).getCount()).isEqualTo(3));

        awaitWritesDone();
        int before = writes.submitted();
        sink.unschedulable(pod, "after close");
        sink.scheduled(pod, "node-1");
        assertThat(writes.submitted()).isEqualTo(before);
        assertThat(eventsOf("p3")).hasSize(1);
        assertThat(podScheduledConditions("p3")).extracting(PodCondition::getMessage).containsExactly("no fit");
    }
}
