package io.kubenexus.scheduler.kube.groups;

import static io.kubenexus.scheduler.kube.testing.PodObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubenexus.scheduler.kube.EmbeddedScheduler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Kubernetes' own gang API against the embedded API, each version on a cluster that serves it:
 * the version is found by discovery at start-up, a gang is placed all-or-nothing (no member bound
 * while fewer than minCount exist or fit, then all of them), and the PodGroup's scheduling
 * condition is kept as kube-scheduler keeps it.
 */
class WorkloadApiIT {
    private static final String NS = "ml";
    private static final String SCHEDULER = "kubenexus-scheduler";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final KubernetesSerialization YAML = new KubernetesSerialization();
    private static final Map<String, String> KINDS = Map.of("podgroups", "PodGroup", "workloads", "Workload");

    @RegisterExtension
    final EmbeddedScheduler cluster = new EmbeddedScheduler();
    private KubernetesClient client;

    @BeforeEach
    void client() {
        client = cluster.client();
    }

    @Test
    void v1beta1GangOnAClusterServingBothVersionsIsReadAsV1beta1AndPlacedAllOrNothing() {
        // Kubernetes 1.37 with the alpha API still on: both versions served, v1beta1 preferred.
        cluster.api().serveApi("scheduling.k8s.io", "v1beta1", KINDS);
        cluster.api().serveApi("scheduling.k8s.io", "v1alpha2", KINDS);
        createNode("node-0", "8");
        create(WorkloadApiVersion.V1BETA1, """
                apiVersion: scheduling.k8s.io/v1beta1
                kind: Workload
                metadata: {name: train, namespace: ml}
                spec:
                  podGroupTemplates:
                  - name: workers
                    schedulingPolicy: {gang: {minCount: 3}}
                """, "workloads");
        create(WorkloadApiVersion.V1BETA1, """
                apiVersion: scheduling.k8s.io/v1beta1
                kind: PodGroup
                metadata: {name: train-workers, namespace: ml}
                spec:
                  workloadRef: {workloadName: train, templateName: workers}
                  schedulingPolicy: {gang: {minCount: 3}}
                """, "podgroups");
        cluster.start();

        // Three members of 4 CPUs, room for two: none may be bound.
        IntStream.range(0, 3).forEach(i -> createMember("train-" + i, "train-workers", "4"));
        await().atMost(WAIT).until(() -> condition(WorkloadApiVersion.V1BETA1, "train-workers") != null);
        Map<String, Object> waiting = condition(WorkloadApiVersion.V1BETA1, "train-workers");
        assertThat(waiting).containsEntry("status", "False").containsEntry("reason", "Unschedulable");
        assertThat((String) waiting.get("message")).contains("train-workers");
        assertThat(waiting.get("lastTransitionTime")).isNotNull();
        assertThat(members("train-workers")).noneMatch(WorkloadApiIT::isBound);

        createNode("node-1", "8");

        await().atMost(WAIT).until(() -> members("train-workers").stream().allMatch(WorkloadApiIT::isBound));
        await().atMost(WAIT).until(() -> "True".equals(status(WorkloadApiVersion.V1BETA1, "train-workers")));
        Map<String, Object> scheduled = condition(WorkloadApiVersion.V1BETA1, "train-workers");
        assertThat(scheduled).containsEntry("type", "PodGroupInitiallyScheduled").containsEntry("reason", "Scheduled");
        assertThat(conditions(WorkloadApiVersion.V1BETA1, "train-workers")).as("one condition, replaced, not appended")
                .hasSize(1);

        // Initially scheduled is terminal: a later member that fits nowhere does not turn it False.
        createMember("train-3", "train-workers", "64");
        await().atMost(WAIT).until(() -> podScheduledStatus(client.pods().inNamespace(NS).withName("train-3").get()) != null);
        assertThat(status(WorkloadApiVersion.V1BETA1, "train-workers")).isEqualTo("True");
    }

    @Test
    void v1alpha2GangOnAClusterServingOnlyV1alpha2BindsNoMemberUntilMinCountExist() {
        cluster.api().serveApi("scheduling.k8s.io", "v1alpha2", KINDS);
        createNode("node-0", "16");
        create(WorkloadApiVersion.V1ALPHA2, """
                apiVersion: scheduling.k8s.io/v1alpha2
                kind: PodGroup
                metadata: {name: pair, namespace: ml}
                spec:
                  podGroupTemplateRef: {workload: {workloadName: pairs, podGroupTemplateName: pair}}
                  schedulingPolicy: {gang: {minCount: 2}}
                """, "podgroups");
        cluster.start();

        createMember("pair-0", "pair", "1");
        await().atMost(WAIT).until(() -> condition(WorkloadApiVersion.V1ALPHA2, "pair") != null);
        assertThat(condition(WorkloadApiVersion.V1ALPHA2, "pair")).containsEntry("type", "PodGroupScheduled")
                .containsEntry("status", "False").containsEntry("reason", "Unschedulable");
        assertThat((String) condition(WorkloadApiVersion.V1ALPHA2, "pair").get("message")).contains("1/2");
        assertThat(members("pair")).noneMatch(WorkloadApiIT::isBound);

        createMember("pair-1", "pair", "1");

        await().atMost(WAIT).until(() -> members("pair").stream().allMatch(WorkloadApiIT::isBound));
        await().atMost(WAIT).until(() -> "True".equals(status(WorkloadApiVersion.V1ALPHA2, "pair")));
        assertThat(condition(WorkloadApiVersion.V1ALPHA2, "pair")).containsEntry("reason", "Scheduled");
        assertThatThrownBy(() -> client.genericKubernetesResources(WorkloadApiVersion.V1BETA1.podGroups())
                .inNamespace(NS).list()).as("v1beta1 is not served here")
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(404));
    }

    @Test
    void aMalformedPodGroupGetsASchedulerErrorConditionAndTheOthersAreStillPlaced() {
        cluster.api().serveApi("scheduling.k8s.io", "v1beta1", KINDS);
        createNode("node-0", "16");
        for (String[] bad : List.of(
                new String[] {"no-count", "{gang: {}}"},
                new String[] {"negative", "{gang: {minCount: -2}}"},
                new String[] {"unknown", "{fair: {}}"})) {
            create(WorkloadApiVersion.V1BETA1, """
                    apiVersion: scheduling.k8s.io/v1beta1
                    kind: PodGroup
                    metadata: {name: %s, namespace: ml}
                    spec: {schedulingPolicy: %s}
                    """.formatted(bad[0], bad[1]), "podgroups");
        }
        create(WorkloadApiVersion.V1BETA1, """
                apiVersion: scheduling.k8s.io/v1beta1
                kind: PodGroup
                metadata: {name: good, namespace: ml}
                spec: {schedulingPolicy: {gang: {minCount: 2}}}
                """, "podgroups");
        cluster.start();
        createMember("good-0", "good", "1");
        createMember("good-1", "good", "1");

        await().atMost(WAIT).until(() -> members("good").stream().allMatch(WorkloadApiIT::isBound));
        await().atMost(WAIT).until(() -> "True".equals(status(WorkloadApiVersion.V1BETA1, "good")));
        await().atMost(WAIT).until(() -> List.of("no-count", "negative", "unknown").stream()
                .allMatch(name -> condition(WorkloadApiVersion.V1BETA1, name) != null));
        assertThat(condition(WorkloadApiVersion.V1BETA1, "no-count")).containsEntry("status", "False")
                .containsEntry("reason", "SchedulerError")
                .containsEntry("message", "PodGroup scheduling.k8s.io/v1beta1 ml/no-count: "
                        + "spec.schedulingPolicy.gang.minCount is missing: it is required");
        assertThat((String) condition(WorkloadApiVersion.V1BETA1, "negative").get("message"))
                .endsWith("spec.schedulingPolicy.gang.minCount is -2: it must be positive");
        assertThat((String) condition(WorkloadApiVersion.V1BETA1, "unknown").get("message"))
                .endsWith("spec.schedulingPolicy sets neither basic nor gang: exactly one must be set");
    }

    // ------------------------------------------------------------------ fixtures

    private void createNode(String name, String cpu) {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewStatus().addToAllocatable("cpu", new Quantity(cpu)).addToAllocatable("memory", new Quantity("64Gi"))
                .addToAllocatable("pods", new Quantity("110")).endStatus().build()).create();
    }

    private void create(WorkloadApiVersion version, String yaml, String plural) {
        GenericKubernetesResource object = YAML.unmarshal(yaml, GenericKubernetesResource.class);
        var context = "podgroups".equals(plural) ? version.podGroups()
                : new io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext.Builder()
                        .withGroup(WorkloadApiVersion.GROUP).withVersion(version.version()).withKind("Workload")
                        .withPlural(plural).withNamespaced(true).build();
        client.genericKubernetesResources(context).inNamespace(NS).resource(object).create();
    }

    private void createMember(String name, String podGroup, String cpu) {
        client.pods().inNamespace(NS).resource(pod(name).namespace(NS).forCreate().schedulerName(SCHEDULER)
                .schedulingGroup(podGroup).cpu(cpu).memory("1Gi").build()).create();
    }

    private List<Pod> members(String podGroup) {
        return client.pods().inNamespace(NS).list().getItems().stream()
                .filter(p -> p.getSpec().getSchedulingGroup() != null
                        && podGroup.equals(p.getSpec().getSchedulingGroup().getPodGroupName()))
                .toList();
    }

    private List<Map<String, Object>> conditions(WorkloadApiVersion version, String podGroup) {
        return KubernetesPodGroupConditions.conditions(
                client.genericKubernetesResources(version.podGroups()).inNamespace(NS).withName(podGroup).get());
    }

    private Map<String, Object> condition(WorkloadApiVersion version, String podGroup) {
        return conditions(version, podGroup).stream().filter(c -> version.scheduledCondition().equals(c.get("type")))
                .findFirst().orElse(null);
    }

    private String status(WorkloadApiVersion version, String podGroup) {
        Map<String, Object> condition = condition(version, podGroup);
        return condition == null ? null : (String) condition.get("status");
    }

    private static boolean isBound(Pod pod) {
        return pod.getSpec().getNodeName() != null;
    }

    private static String podScheduledStatus(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return null;
        }
        return pod.getStatus().getConditions().stream().filter(c -> "PodScheduled".equals(c.getType()))
                .map(c -> c.getStatus()).findFirst().orElse(null);
    }
}
