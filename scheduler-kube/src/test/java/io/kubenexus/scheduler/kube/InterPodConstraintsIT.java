package io.kubenexus.scheduler.kube;

import static io.kubenexus.scheduler.kube.testing.NodeObjects.node;
import static io.kubenexus.scheduler.kube.testing.PodObjects.affinityTerm;
import static io.kubenexus.scheduler.kube.testing.PodObjects.pod;
import static io.kubenexus.scheduler.kube.testing.PodObjects.selectorExpr;
import static io.kubenexus.scheduler.kube.testing.PodObjects.spreadConstraint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kubenexus.scheduler.kube.testing.PodObjects;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Inter-pod affinity, anti-affinity and topology spread end to end, over HTTP against the embedded
 * API with the scheduler wired as in production: the translator reads the API objects, the
 * namespace informer feeds namespace labels, the core's InterPodAffinity and PodTopologySpread
 * decide, and the binder, events and conditions report.
 */
class InterPodConstraintsIT {
    private static final String NS = "apps";
    private static final String HOST = "kubernetes.io/hostname";
    private static final String ZONE = "topology.kubernetes.io/zone";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final EmbeddedScheduler embedded = new EmbeddedScheduler();
    private KubernetesClient client;

    @BeforeEach
    void client() {
        client = embedded.client();
    }

    @Test
    void replicasWithRequiredAntiAffinityOnHostnameTakeDistinctNodesAndAFourthWaitsSayingWhy() {
        createNode("node-1", "zone-a");
        createNode("node-2", "zone-a");
        createNode("node-3", "zone-b");
        embedded.start();

        for (int i = 0; i < 3; i++) {
            create(replica("web-" + i));
        }
        await().atMost(WAIT).until(() -> boundCount(List.of("web-0", "web-1", "web-2")) == 3);
        assertThat(List.of(nodeOf("web-0"), nodeOf("web-1"), nodeOf("web-2")))
                .as("one replica per node").doesNotHaveDuplicates();

        create(replica("web-3"));

        await().atMost(WAIT).until(() -> !failedScheduling("web-3").isEmpty());
        assertThat(nodeOf("web-3")).isNull();
        assertThat(failedScheduling("web-3").get(0).getMessage())
                .isEqualTo("0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules.");
    }

    @Test
    void aZoneSpreadWithMaxSkewOneSpreadsFourPodsTwoAndTwo() {
        createNode("node-a1", "zone-a");
        createNode("node-a2", "zone-a");
        createNode("node-b1", "zone-b");
        createNode("node-b2", "zone-b");
        embedded.start();

        List<String> names = List.of("spread-0", "spread-1", "spread-2", "spread-3");
        for (String name : names) {
            create(pod(name).namespace(NS).forCreate().label("app", "spread")
                    .topologySpread(spreadConstraint(1, ZONE, "DoNotSchedule", "spread").build())
                    .container("main").cpu("100m"));
        }

        await().atMost(WAIT).until(() -> boundCount(names) == 4);
        Map<String, Long> perZone = names.stream().map(this::nodeOf)
                .collect(Collectors.groupingBy(node -> node.startsWith("node-a") ? "zone-a" : "zone-b",
                        Collectors.counting()));
        assertThat(perZone).isEqualTo(Map.of("zone-a", 2L, "zone-b", 2L));
    }

    @Test
    void requiredAffinityWithANamespaceSelectorFollowsRealNamespaceLabels() {
        createNode("node-1", "zone-a");
        createNode("node-2", "zone-a");
        createNode("node-3", "zone-b");
        createNamespace("team-a", Map.of("team", "a"));
        createNamespace("team-b", Map.of("team", "b"));
        createNamespace(NS, Map.of());
        // The pods to be next to, bound by someone else, one per team.
        create(pod("db").namespace("team-a").forCreate().label("app", "db").nodeName("node-1").phase("Running")
                .schedulerName("default-scheduler").container("main").cpu("100m"));
        create(pod("db").namespace("team-b").forCreate().label("app", "db").nodeName("node-2").phase("Running")
                .schedulerName("default-scheduler").container("main").cpu("100m"));
        embedded.start();

        create(nextToDbOfTeam("client-of-a", "a"));
        await().atMost(WAIT).until(() -> nodeOf("client-of-a") != null);
        assertThat(nodeOf("client-of-a")).as("beside team-a's db, not team-b's").isEqualTo("node-1");

        create(nextToDbOfTeam("client-of-c", "c"));
        await().atMost(WAIT).until(() -> !failedScheduling("client-of-c").isEmpty());
        assertThat(nodeOf("client-of-c")).as("no namespace is labelled team=c yet").isNull();
        assertThat(failedScheduling("client-of-c").get(0).getMessage())
                .isEqualTo("0/3 nodes are available: 3 node(s) didn't match pod affinity rules.");

        client.namespaces().withName("team-b").edit(ns -> new NamespaceBuilder(ns).editMetadata()
                .addToLabels("team", "c").endMetadata().build());

        await().atMost(WAIT).until(() -> nodeOf("client-of-c") != null);
        assertThat(nodeOf("client-of-c")).as("retried on the label change, beside team-b's db").isEqualTo("node-2");
    }

    @Test
    void aPodWithAMalformedAffinityTermIsReportedByFieldWhileALaterValidPodIsBound() {
        createNode("node-1", "zone-a");
        embedded.start();

        create(pod("malformed").namespace(NS).forCreate().label("app", "web")
                .requiredPodAntiAffinity(affinityTerm(HOST, "web").editLabelSelector()
                        .addToMatchExpressions(selectorExpr("app", "Equals", "web")).endLabelSelector().build())
                .container("main").cpu("100m"));
        await().atMost(WAIT).until(() -> !failedScheduling("malformed").isEmpty());
        create(pod("valid").namespace(NS).forCreate().label("app", "web").container("main").cpu("100m"));

        await().atMost(WAIT).until(() -> "node-1".equals(nodeOf("valid")));
        assertThat(failedScheduling("malformed").get(0).getMessage()).isEqualTo(
                "spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0]"
                        + ".labelSelector.matchExpressions[0].operator: \"Equals\" is unknown"
                        + " (In, NotIn, Exists or DoesNotExist)");
        assertThat(nodeOf("malformed")).isNull();
    }

    // ------------------------------------------------------------------ helpers

    private static PodObjects replica(String name) {
        return pod(name).namespace(NS).forCreate().label("app", "web")
                .requiredPodAntiAffinity(affinityTerm(HOST, "web").build()).container("main").cpu("100m");
    }

    /** A pod that must run on the node of a pod labelled app=db in a namespace labelled team=<team>. */
    private static PodObjects nextToDbOfTeam(String name, String team) {
        return pod(name).namespace(NS).forCreate().label("app", "client")
                .requiredPodAffinity(affinityTerm(HOST, "db").withNewNamespaceSelector().addToMatchLabels("team", team)
                        .endNamespaceSelector().build())
                .container("main").cpu("100m");
    }

    private void createNode(String name, String zone) {
        client.nodes().resource(node(name).label(HOST, name).label(ZONE, zone).allocatable("cpu", "4")
                .allocatable("memory", "16Gi").allocatable("pods", "110").condition("Ready", "True").build()).create();
    }

    private void createNamespace(String name, Map<String, String> labels) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels)
                .endMetadata().build()).create();
    }

    private void create(PodObjects pod) {
        Pod built = pod.build();
        client.pods().inNamespace(built.getMetadata().getNamespace()).resource(built).create();
    }

    private String nodeOf(String name) {
        Pod pod = client.pods().inNamespace(NS).withName(name).get();
        return pod == null ? null : pod.getSpec().getNodeName();
    }

    private long boundCount(List<String> names) {
        return names.stream().map(this::nodeOf).filter(Objects::nonNull).count();
    }

    private List<Event> failedScheduling(String podName) {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> "FailedScheduling".equals(e.getReason()))
                .filter(e -> e.getInvolvedObject() != null && podName.equals(e.getInvolvedObject().getName()))
                .toList();
    }
}
