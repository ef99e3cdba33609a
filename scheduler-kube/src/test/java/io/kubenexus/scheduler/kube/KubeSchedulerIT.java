package io.kubenexus.scheduler.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.core.ports.SchedulerMetrics;
import io.kubenexus.scheduler.kube.embedded.EmbeddedKubernetesApi;
import io.kubenexus.scheduler.kube.leader.LeaderElectionSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole path over HTTP: fabric8 informers against the embedded API (mock server in CRUD mode
 * with real binding), the scheduling loop, binding, Events and the PodScheduled condition.
 */
class KubeSchedulerIT {
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
    void stopEverything() {
        // Informers first: the mock can stall if a watch closes while it has events queued.
        schedulers.forEach(KubeScheduler::close);
        api.close();
    }

    private KubeScheduler start(KubeSchedulerOptions options) {
        return start(new KubeScheduler(api.newClient(), options, Clock.systemUTC()));
    }

    private KubeScheduler start(KubeScheduler scheduler) {
        schedulers.add(scheduler);
        scheduler.start().toCompletableFuture().orTimeout(20, TimeUnit.SECONDS).join();
        return scheduler;
    }

    private KubeScheduler startSingle() {
        return start(KubeSchedulerOptions.singleReplica(fastBackoff()));
    }

    private static SchedulerSettings fastBackoff() {
        return SchedulerSettings.defaults().withBackoff(Duration.ofMillis(100), Duration.ofMillis(500));
    }

    @Test
    void feasiblePodsAreBoundWithinNodeCapacity() {
        for (int i = 0; i < 3; i++) {
            createNode("node-" + i, "4", "16Gi");
        }
        startSingle();
        for (int i = 0; i < 10; i++) {
            createPod("exec-" + i, "1", "2Gi", "kubenexus-scheduler");
        }

        await().atMost(WAIT).until(() -> boundPods().size() == 10);

        Map<String, Long> cpuPerNode = new HashMap<>();
        for (Pod pod : boundPods()) {
            cpuPerNode.merge(pod.getSpec().getNodeName(), 1000L, Long::sum);
            assertThat(condition(pod, "PodScheduled")).hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True"));
        }
        assertThat(cpuPerNode.values()).allSatisfy(milli -> assertThat(milli).isLessThanOrEqualTo(4000));
        await().atMost(WAIT).until(() -> eventsWithReason("Scheduled").size() == 10);
        assertThat(eventsWithReason("Scheduled").get(0).getMessage()).matches("Successfully assigned spark-jobs/exec-\\d to node-\\d");
    }

    @Test
    void podsOfOtherSchedulersAreLeftAlone() {
        createNode("node-0", "4", "16Gi");
        startSingle();
        createPod("not-ours", "1", "1Gi", "default-scheduler");
        createPod("ours", "1", "1Gi", "kubenexus-scheduler");

        await().atMost(WAIT).until(() -> boundPods().size() == 1);
        assertThat(pod("not-ours").getSpec().getNodeName()).isNull();
    }

    @Test
    void anUnschedulablePodGetsTheConditionAndAnEventThenRunsWhenANodeIsAdded() {
        createNode("small-0", "2", "8Gi");
        createNode("small-1", "2", "8Gi");
        startSingle();
        createPod("driver", "6", "8Gi", "kubenexus-scheduler");

        await().atMost(WAIT).until(() -> condition(pod("driver"), "PodScheduled").isPresent());
        PodCondition unschedulable = condition(pod("driver"), "PodScheduled").orElseThrow();
        assertThat(unschedulable.getStatus()).isEqualTo("False");
        assertThat(unschedulable.getReason()).isEqualTo("Unschedulable");
        assertThat(unschedulable.getMessage()).isEqualTo("0/2 nodes are available: 2 Insufficient cpu.");
        await().atMost(WAIT).until(() -> !eventsWithReason("FailedScheduling").isEmpty());
        Event failed = eventsWithReason("FailedScheduling").get(0);
        assertThat(failed.getType()).isEqualTo("Warning");
        assertThat(failed.getInvolvedObject().getName()).isEqualTo("driver");
        assertThat(failed.getMessage()).isEqualTo("0/2 nodes are available: 2 Insufficient cpu.");

        createNode("large-0", "16", "64Gi");

        await().atMost(WAIT).until(() -> "large-0".equals(pod("driver").getSpec().getNodeName()));
    }

    @Test
    void aPodBoundByACompetitorFirstIsTakenAsBoundNotRetried() {
        createNode("node-a", "4", "16Gi");
        createNode("node-b", "4", "16Gi");
        KubeScheduler scheduler = start(new KubeScheduler(api.newClient(),
                KubeSchedulerOptions.singleReplica(fastBackoff()), Clock.systemUTC(), SchedulerMetrics.NONE,
                real -> (pod, node) -> {
                    // A competitor wins the race to the API, to the node we did not choose.
                    String other = node.equals("node-a") ? "node-b" : "node-a";
                    client.bindings().inNamespace(NS).resource(binding(pod.key().name(), other)).create();
                    return real.bind(pod, node);
                }));
        createPod("contested", "3", "1Gi", "kubenexus-scheduler");

        await().atMost(WAIT).until(() -> scheduler.stats().bindConflicts() == 1);
        await().atMost(WAIT).until(() -> scheduler.stats().pending() == 0);
        String winner = pod("contested").getSpec().getNodeName();
        // The cache follows the API: the pod's 3 cpu are charged to the competitor's node only.
        await().atMost(WAIT).until(() -> requestedCpu(scheduler, winner) == 3000);
        String loser = winner.equals("node-a") ? "node-b" : "node-a";
        assertThat(requestedCpu(scheduler, loser)).isZero();
        assertThat(scheduler.stats().scheduled()).isZero();
    }

    @Test
    void aStandbyReplicaBindsNothingUntilItHoldsTheLease() {
        createNode("node-0", "8", "32Gi");
        KubeScheduler leader = start(replica("replica-a"));
        await().atMost(WAIT).until(() -> leader.stats().leader());
        KubeScheduler standby = start(replica("replica-b"));
        createPod("first", "1", "1Gi", "kubenexus-scheduler");
        createPod("second", "1", "1Gi", "kubenexus-scheduler");

        await().atMost(WAIT).until(() -> boundPods().size() == 2);
        assertThat(leader.stats().scheduled()).isEqualTo(2);
        assertThat(standby.stats().leader()).isFalse();
        assertThat(standby.stats().scheduled()).isZero();
        assertThat(standby.stats().attempts()).isZero();

        // The leader steps down (releasing the Lease); the standby takes over.
        leader.close();
        schedulers.remove(leader);
        await().atMost(WAIT).until(() -> standby.stats().leader());
        createPod("third", "1", "1Gi", "kubenexus-scheduler");
        await().atMost(WAIT).until(() -> boundPods().size() == 3);
        assertThat(standby.stats().scheduled()).isEqualTo(1);
    }

    private KubeSchedulerOptions replica(String identity) {
        LeaderElectionSettings election = new LeaderElectionSettings(true, "kube-system", "kubenexus-scheduler",
                identity, Duration.ofSeconds(4), Duration.ofSeconds(3), Duration.ofMillis(500));
        return KubeSchedulerOptions.singleReplica(fastBackoff()).withLeaderElection(election);
    }

    @Test
    void aRestartCountsPodsAlreadyBoundBeforeItDecides() {
        createNode("node-0", "4", "16Gi");
        createNode("node-1", "4", "16Gi");
        // Bound before this replica starts, by us in an earlier life or by anyone else.
        createBoundPod("running-0", "3", "node-0");
        createBoundPod("running-1", "3", "node-1");
        createPod("pending", "2", "1Gi", "kubenexus-scheduler");

        startSingle();

        await().atMost(WAIT).until(() -> condition(pod("pending"), "PodScheduled").isPresent());
        assertThat(pod("pending").getSpec().getNodeName()).isNull();
        assertThat(condition(pod("pending"), "PodScheduled").orElseThrow().getMessage())
                .isEqualTo("0/2 nodes are available: 2 Insufficient cpu.");
    }

    @Test
    void aMalformedPodIsReportedAndTheRestAreScheduled() {
        createNode("node-0", "4", "16Gi");
        startSingle();
        client.pods().inNamespace(NS).resource(new PodBuilder()
                .withNewMetadata().withName("broken").withNamespace(NS).endMetadata()
                .withNewSpec().withSchedulerName("kubenexus-scheduler")
                .addNewContainer().withName("main").withImage("spark:3.5")
                .withNewResources().addToRequests("memory", new Quantity("12x")).endResources()
                .endContainer().endSpec().build()).create();
        createPod("fine", "1", "1Gi", "kubenexus-scheduler");

        await().atMost(WAIT).until(() -> pod("fine").getSpec().getNodeName() != null);
        await().atMost(WAIT).until(() -> condition(pod("broken"), "PodScheduled").isPresent());
        PodCondition condition = condition(pod("broken"), "PodScheduled").orElseThrow();
        assertThat(condition.getStatus()).isEqualTo("False");
        assertThat(condition.getMessage()).contains("12x").contains("memory");
        assertThat(pod("broken").getSpec().getNodeName()).isNull();
    }

    // ------------------------------------------------------------------ helpers

    private static long requestedCpu(KubeScheduler scheduler, String node) {
        var view = scheduler.view().node(node);
        return view == null ? -1 : view.requested(0);
    }

    private void createNode(String name, String cpu, String memory) {
        Node node = new NodeBuilder()
                .withNewMetadata().withName(name).addToLabels("kubernetes.io/hostname", name).endMetadata()
                .withNewStatus()
                .addToAllocatable("cpu", new Quantity(cpu))
                .addToAllocatable("memory", new Quantity(memory))
                .addToAllocatable("pods", new Quantity("110"))
                .addToCapacity("cpu", new Quantity(cpu))
                .addToCapacity("memory", new Quantity(memory))
                .addToCapacity("pods", new Quantity("110"))
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .endStatus().build();
        client.nodes().resource(node).create();
    }

    private void createPod(String name, String cpu, String memory, String schedulerName) {
        client.pods().inNamespace(NS).resource(new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(NS).addToLabels("spark-role", "executor").endMetadata()
                .withNewSpec().withSchedulerName(schedulerName)
                .addNewContainer().withName("main").withImage("spark:3.5")
                .withNewResources().addToRequests("cpu", new Quantity(cpu)).addToRequests("memory", new Quantity(memory))
                .endResources().endContainer().endSpec().build()).create();
    }

    private void createBoundPod(String name, String cpu, String node) {
        client.pods().inNamespace(NS).resource(new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withNodeName(node).withSchedulerName("default-scheduler")
                .addNewContainer().withName("main").withImage("app")
                .withNewResources().addToRequests("cpu", new Quantity(cpu)).endResources().endContainer().endSpec()
                .withNewStatus().withPhase("Running").endStatus().build()).create();
    }

    private static Binding binding(String pod, String node) {
        return new BindingBuilder().withNewMetadata().withName(pod).withNamespace(NS).endMetadata()
                .withNewTarget().withKind("Node").withApiVersion("v1").withName(node).endTarget().build();
    }

    private Pod pod(String name) {
        return client.pods().inNamespace(NS).withName(name).get();
    }

    private List<Pod> boundPods() {
        return client.pods().inNamespace(NS).list().getItems().stream()
                .filter(p -> p.getSpec().getNodeName() != null)
                .filter(p -> "kubenexus-scheduler".equals(p.getSpec().getSchedulerName()))
                .toList();
    }

    private static Optional<PodCondition> condition(Pod pod, String type) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        List<PodCondition> matching = pod.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).toList();
        assertThat(matching).as("at most one %s condition", type).hasSizeLessThanOrEqualTo(1);
        return matching.stream().findFirst();
    }

    private List<Event> eventsWithReason(String reason) {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> reason.equals(e.getReason())).toList();
    }

}
