package io.kubenexus.scheduler.kube.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.loop.LoopStats;
import io.kubenexus.scheduler.core.state.NodeView;
import io.kubenexus.scheduler.kube.KubeScheduler;
import io.kubenexus.scheduler.kube.KubeSchedulerOptions;
import io.kubenexus.scheduler.kube.embedded.EmbeddedKubernetesApi;
import io.kubenexus.scheduler.kube.embedded.FaultKind;
import io.kubenexus.scheduler.kube.embedded.FaultPlan;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The scheduler's invariants under each fault of the embedded API's fault layer, one kind at a
 * time at a high rate, over HTTP with real informers: every pod that fits ends bound exactly once
 * (the API's own count of applied binds), the one that cannot fit ends pending with its reason on
 * the API, no node is over-committed, the gang is bound whole, nothing stays assumed or reserved,
 * and the scheduler's cache agrees with the API. The pods come in two waves so that watches
 * closed or answered 410 in between must be resumed (or relisted) for the second wave to be seen.
 */
class ChaosIT {
    private static final String NS = "chaos";
    private static final long SEED = 7;
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final int NODES = 4;
    private static final String NODE_CPU = "4";
    /** 6 + 4 plain one-cpu pods and a gang of three: 13 of the 16 cpus. */
    private static final int EXPECTED_BOUND = 13;
    private static final List<String> TOO_BIG = List.of("too-big-0", "too-big-1", "too-big-2");

    private EmbeddedKubernetesApi api;
    private KubeScheduler scheduler;

    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of(FaultKind.BIND_ERROR, 0.4),
                Arguments.of(FaultKind.BIND_CONFLICT, 0.4),
                Arguments.of(FaultKind.BIND_THROTTLED, 0.4),
                Arguments.of(FaultKind.BIND_TIMEOUT_APPLIED, 0.3),
                Arguments.of(FaultKind.BIND_TIMEOUT_LOST, 0.3),
                Arguments.of(FaultKind.STATUS_WRITE_ERROR, 0.5),
                Arguments.of(FaultKind.EVENT_WRITE_ERROR, 0.5),
                Arguments.of(FaultKind.WATCH_CLOSED, 0.6),
                Arguments.of(FaultKind.WATCH_GONE, 0.4),
                Arguments.of(FaultKind.SLOW_RESPONSE, 0.5));
    }

    @AfterEach
    void stop() {
        if (scheduler != null) {
            scheduler.close();
        }
        if (api != null) {
            api.close();
        }
    }

    @ParameterizedTest(name = "{0} at {1}")
    @MethodSource("faults")
    void invariantsHoldUnder(FaultKind kind, double rate) throws InterruptedException {
        FaultPlan plan = FaultPlan.NONE.withRate(kind, rate).withSeed(SEED).withTimings(Duration.ofSeconds(1),
                Duration.ofMillis(300), Duration.ofSeconds(1), Duration.ofMillis(1500));
        api = new EmbeddedKubernetesApi(InetAddress.getLoopbackAddress(), 0,
                EmbeddedKubernetesApi.DEFAULT_REQUEST_TIMEOUT, Clock.systemUTC(), plan);
        KubernetesClient client = api.client();
        for (int i = 0; i < NODES; i++) {
            createNode(client, "node-" + i);
        }
        scheduler = new KubeScheduler(api.newClientUnderFaults(), KubeSchedulerOptions.singleReplica(
                SchedulerSettings.defaults().withBackoff(Duration.ofMillis(100), Duration.ofMillis(500))),
                Clock.systemUTC());
        scheduler.start().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();

        for (int i = 0; i < 6; i++) {
            createPod(client, "early-" + i, "1", null);
        }
        for (int i = 0; i < 3; i++) {
            createPod(client, "gang-" + i, "1", "trio");
        }
        Thread.sleep(1500); // watches closed or gone meanwhile must be resumed for the second wave
        for (int i = 0; i < 4; i++) {
            createPod(client, "late-" + i, "1", null);
        }
        TOO_BIG.forEach(name -> createPod(client, name, "8", null));

        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            List<Pod> pods = pods(client);
            assertThat(pods.stream().filter(ChaosIT::isBound)).as("bound").hasSize(EXPECTED_BOUND);
            for (String name : TOO_BIG) {
                Pod pod = pods.stream().filter(p -> p.getMetadata().getName().equals(name)).findFirst().orElseThrow();
                assertThat(isBound(pod)).as(name + " bound").isFalse();
                assertThat(condition(pod)).as(name + "'s PodScheduled").isNotNull();
                assertThat(condition(pod).getReason()).isEqualTo("Unschedulable");
            }
            LoopStats stats = scheduler.stats();
            assertThat(stats.pending()).as("pending in the loop").isEqualTo(TOO_BIG.size());
            assertThat(stats.unschedulable()).as("waiting as unschedulable").isEqualTo(TOO_BIG.size());
            assertCacheAgrees(pods);
        });

        List<Pod> pods = pods(client);
        assertThat(api.binds().boundMoreThanOnce()).as("pods bound more than once").isEmpty();
        assertThat(api.binds().applied()).as("binds applied").isEqualTo(EXPECTED_BOUND);
        assertThat(capacityViolations(pods)).as("over-committed nodes").isEmpty();
        assertThat(scheduler.stats().reservations()).as("reservations left").isZero();
        assertThat(api.faults().count(kind)).as(kind + " injected").isPositive();
        assertThat(api.faults().total()).as("only " + kind).isEqualTo(api.faults().count(kind));
    }

    private void assertCacheAgrees(List<Pod> pods) {
        Map<String, Integer> podsOnNode = new HashMap<>();
        Map<String, Long> cpuOnNode = new HashMap<>();
        for (Pod pod : pods) {
            if (isBound(pod)) {
                podsOnNode.merge(pod.getSpec().getNodeName(), 1, Integer::sum);
                cpuOnNode.merge(pod.getSpec().getNodeName(), cpuMillis(pod), Long::sum);
            }
        }
        int cpu = scheduler.view().columnNames().indexOf("cpu");
        for (NodeView node : scheduler.view().nodes()) {
            String name = node.node().name();
            assertThat(node.podCount()).as("pods the cache holds on " + name).isEqualTo(podsOnNode.getOrDefault(name, 0));
            assertThat(node.requested(cpu)).as("cpu the cache holds on " + name)
                    .isEqualTo(cpuOnNode.getOrDefault(name, 0L));
        }
    }

    private static List<String> capacityViolations(List<Pod> pods) {
        Map<String, Long> cpuOnNode = new HashMap<>();
        pods.stream().filter(ChaosIT::isBound)
                .forEach(p -> cpuOnNode.merge(p.getSpec().getNodeName(), cpuMillis(p), Long::sum));
        long allocatable = Long.parseLong(NODE_CPU) * 1000;
        return cpuOnNode.entrySet().stream().filter(e -> e.getValue() > allocatable)
                .map(e -> e.getKey() + " holds " + e.getValue() + "m of " + allocatable + "m").toList();
    }

    private static long cpuMillis(Pod pod) {
        long total = 0;
        for (Container c : pod.getSpec().getContainers()) {
            Quantity cpu = c.getResources().getRequests().get("cpu");
            total += Quantity.getAmountInBytes(cpu).multiply(BigDecimal.valueOf(1000)).longValueExact();
        }
        return total;
    }

    private static boolean isBound(Pod pod) {
        return pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty();
    }

    private static PodCondition condition(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return null;
        }
        return pod.getStatus().getConditions().stream().filter(c -> "PodScheduled".equals(c.getType())).findFirst()
                .orElse(null);
    }

    private static List<Pod> pods(KubernetesClient client) {
        return client.pods().inNamespace(NS).list().getItems();
    }

    private static void createNode(KubernetesClient client, String name) {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewStatus().addToAllocatable("cpu", new Quantity(NODE_CPU))
                .addToAllocatable("memory", new Quantity("16Gi")).addToAllocatable("pods", new Quantity("110"))
                .endStatus().build()).create();
    }

    private static void createPod(KubernetesClient client, String name, String cpu, String gang) {
        PodBuilder pod = new PodBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata();
        if (gang != null) {
            pod.editMetadata()
                    .addToLabels("pod-group.scheduling.kubenexus.io/name", gang)
                    .addToLabels("pod-group.scheduling.kubenexus.io/min-available", "3")
                    .endMetadata();
        }
        client.pods().inNamespace(NS).resource(pod.withNewSpec().withSchedulerName("kubenexus-scheduler")
                .addNewContainer().withName("main").withImage("app")
                .withNewResources().addToRequests("cpu", new Quantity(cpu)).addToRequests("memory", new Quantity("1Gi"))
                .endResources().endContainer().endSpec().build()).create();
    }
}
