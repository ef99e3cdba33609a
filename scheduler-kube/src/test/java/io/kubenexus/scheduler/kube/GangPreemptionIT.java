package io.kubenexus.scheduler.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubenexus.scheduler.gang.group.GangSettings;
import io.kubenexus.scheduler.gang.group.StarvationSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 15 on the embedded API with the real wiring (informers, Eviction API, binding): a
 * higher-priority gang evicts whole lower-priority gangs only and binds all-or-nothing, and a big
 * gang starved by a stream of small pods is placed once its starvation time has passed.
 */
class GangPreemptionIT {
    private static final String NS = "batch";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final EmbeddedScheduler cluster = new EmbeddedScheduler();

    @Test
    void aSixMemberHighPriorityGangEvictsOneWholeSixMemberLowPriorityGangNotPartsOfTwo() {
        KubernetesClient client = cluster.client();
        cluster.start();
        for (int i = 0; i < 6; i++) {
            createNode(client, "node-" + i, "4");
        }
        for (String low : List.of("low-a", "low-b")) {
            for (int i = 0; i < 6; i++) {
                createMember(client, low + "-" + i, low, 6, "2", 10);
            }
        }
        await().atMost(WAIT).until(() -> bound(client, "low-").size() == 12);

        for (int i = 0; i < 6; i++) {
            createMember(client, "high-" + i, "high", 6, "2", 1000);
        }

        await().atMost(WAIT).until(() -> bound(client, "high-").size() == 6);
        Set<String> lowLeft = pods(client, "low-").stream().map(p -> p.getMetadata().getLabels()
                .get("pod-group.scheduling.kubenexus.io/name")).collect(Collectors.toCollection(TreeSet::new));
        assertThat(pods(client, "low-")).as("exactly one gang of six was evicted").hasSize(6);
        assertThat(lowLeft).as("the survivors are one whole gang").hasSize(1);
        assertThat(bound(client, "low-")).as("and it still runs").hasSize(6);
    }

    @Test
    void aBigGangWaitingBehindAStreamOfSmallPodsIsPlacedWithinItsStarvationTime() throws InterruptedException {
        KubernetesClient client = cluster.client();
        Duration starvesAfter = Duration.ofSeconds(3);
        cluster.start(KubeSchedulerOptions.singleReplica(EmbeddedScheduler.FAST_RETRIES)
                .withGang(GangSettings.defaults().withStarvation(StarvationSettings.after(starvesAfter))));
        for (int i = 0; i < 2; i++) {
            createNode(client, "node-" + i, "4");
        }
        AtomicInteger created = new AtomicInteger();
        for (int i = 0; i < 4; i++) {
            createSmall(client, "small-" + created.getAndIncrement());
        }
        await().atMost(WAIT).until(() -> bound(client, "small-").size() == 4);

        // A stream of small pods: one leaves, another arrives, faster than the gang's backoff.
        AtomicBoolean streaming = new AtomicBoolean(true);
        Thread stream = new Thread(() -> {
            while (streaming.get()) {
                List<Pod> running = bound(client, "small-");
                if (!running.isEmpty()) {
                    client.pods().inNamespace(NS).withName(running.get(0).getMetadata().getName()).delete();
                }
                createSmall(client, "small-" + created.getAndIncrement());
                try {
                    Thread.sleep(150);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "small-pod-stream");
        Instant submitted = Instant.now();
        for (int i = 0; i < 2; i++) {
            createMember(client, "big-" + i, "big", 2, "4", 0);
        }
        stream.start();
        try {
            await().atMost(WAIT).until(() -> bound(client, "big-").size() == 2);
        } finally {
            streaming.set(false);
            stream.join(10_000);
        }
        Duration waited = Duration.between(submitted, Instant.now());
        assertThat(waited).as("placed after starving, not after the stream ended").isGreaterThanOrEqualTo(starvesAfter);
        assertThat(created.get()).as("the stream kept the cluster busy meanwhile").isGreaterThan(8);
    }

    private static void createNode(KubernetesClient client, String name, String cpu) {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewStatus().addToAllocatable("cpu", new Quantity(cpu)).addToAllocatable("memory", new Quantity("64Gi"))
                .addToAllocatable("pods", new Quantity("110")).endStatus().build()).create();
    }

    private static void createMember(KubernetesClient client, String name, String group, int minAvailable, String cpu,
                                     int priority) {
        client.pods().inNamespace(NS).resource(new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(NS)
                .addToLabels("pod-group.scheduling.kubenexus.io/name", group)
                .addToLabels("pod-group.scheduling.kubenexus.io/min-available", Integer.toString(minAvailable))
                .endMetadata()
                .withNewSpec().withSchedulerName("kubenexus-scheduler").withPriority(priority)
                .addNewContainer().withName("main").withImage("trainer")
                .withNewResources().addToRequests("cpu", new Quantity(cpu)).addToRequests("memory", new Quantity("1Gi"))
                .endResources().endContainer().endSpec().build()).create();
    }

    private static void createSmall(KubernetesClient client, String name) {
        client.pods().inNamespace(NS).resource(new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withSchedulerName("kubenexus-scheduler")
                .addNewContainer().withName("main").withImage("web")
                .withNewResources().addToRequests("cpu", new Quantity("2")).addToRequests("memory", new Quantity("1Gi"))
                .endResources().endContainer().endSpec().build()).create();
    }

    private static List<Pod> pods(KubernetesClient client, String prefix) {
        return client.pods().inNamespace(NS).list().getItems().stream()
                .filter(p -> p.getMetadata().getName().startsWith(prefix)).toList();
    }

    private static List<Pod> bound(KubernetesClient client, String prefix) {
        return pods(client, prefix).stream().filter(p -> p.getSpec().getNodeName() != null).toList();
    }
}
