package io.kubenexus.scheduler.kube.embedded;

import static io.kubenexus.scheduler.kube.testing.PodObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 15, unit = TimeUnit.SECONDS) // a hang guard; each test takes well under a second once warm
class EmbeddedKubernetesApiIT {
    private static final String NS = "spark-jobs";

    private EmbeddedKubernetesApi api;
    private KubernetesClient client;

    @BeforeEach
    void start() {
        api = new EmbeddedKubernetesApi();
        client = api.client();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private Pod create(String name) {
        return client.pods().inNamespace(NS).resource(pod(name).namespace(NS).forCreate().container("main").cpu("1")
                .build()).create();
    }

    private Pod get(String name) {
        return client.pods().inNamespace(NS).withName(name).get();
    }

    @Test
    void aCreatedNamespaceIsLabelledWithItsNameAsTheApiServerDoes() {
        client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                .withName("team-a").addToLabels("team", "a").endMetadata().build()).create();

        assertThat(client.namespaces().withName("team-a").get().getMetadata().getLabels())
                .isEqualTo(java.util.Map.of("team", "a", "kubernetes.io/metadata.name", "team-a"));
    }

    private static Binding binding(String pod, String node) {
        return new BindingBuilder().withNewMetadata().withName(pod).withNamespace(NS).endMetadata()
                .withNewTarget().withKind("Node").withName(node).endTarget().build();
    }

    private HttpResponse<String> postBindingSubresource(String pod, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(api.url() + "api/v1/namespaces/" + NS + "/pods/"
                        + pod + "/binding"))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static PodCondition podScheduled(Pod pod) {
        List<PodCondition> scheduled = pod.getStatus().getConditions().stream()
                .filter(c -> "PodScheduled".equals(c.getType())).toList();
        assertThat(scheduled).hasSize(1);
        return scheduled.get(0);
    }

    @Test
    void bindingsResourceSetsNodeNameAndCondition() {
        create("p1");
        client.bindings().inNamespace(NS).resource(binding("p1", "node-1")).create();

        Pod bound = get("p1");
        assertThat(bound.getSpec().getNodeName()).isEqualTo("node-1");
        PodCondition condition = podScheduled(bound);
        assertThat(condition.getStatus()).isEqualTo("True");
        assertThat(condition.getLastTransitionTime()).isNotBlank();
    }

    @Test
    void podBindingSubresourceAnswersLikeTheApiServer() throws Exception {
        String before = create("p2").getMetadata().getResourceVersion();
        HttpResponse<String> response = postBindingSubresource("p2",
                "{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\"p2\"},"
                        + "\"target\":{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"name\":\"node-2\"}}");

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.body()).contains("\"kind\":\"Status\"").contains("\"status\":\"Success\"");
        Pod bound = get("p2");
        assertThat(bound.getSpec().getNodeName()).isEqualTo("node-2");
        assertThat(podScheduled(bound).getStatus()).isEqualTo("True");
        assertThat(bound.getMetadata().getResourceVersion()).isNotEqualTo(before);
    }

    @Test
    void bindingReplacesAnUnschedulableConditionAndCopiesAnnotations() {
        Pod pending = pod("p3").namespace(NS).forCreate().container("main")
                .condition("PodScheduled", "False", "Unschedulable", "0/3 nodes are available").build();
        client.pods().inNamespace(NS).resource(pending).create();
        Binding binding = binding("p3", "node-3");
        binding.getMetadata().setAnnotations(java.util.Map.of("example.com/placed-by", "test"));
        client.bindings().inNamespace(NS).resource(binding).create();

        Pod bound = get("p3");
        PodCondition condition = podScheduled(bound);
        assertThat(condition.getStatus()).isEqualTo("True");
        assertThat(condition.getReason()).isNull();
        assertThat(condition.getMessage()).isNull();
        assertThat(bound.getMetadata().getAnnotations()).containsEntry("example.com/placed-by", "test");
    }

    @Test
    void secondBindIsAConflict() throws Exception {
        create("p4");
        client.bindings().inNamespace(NS).resource(binding("p4", "node-1")).create();

        assertThatThrownBy(() -> client.bindings().inNamespace(NS).resource(binding("p4", "node-2")).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(409);
                    assertThat(e.getStatus().getReason()).isEqualTo("Conflict");
                    assertThat(e.getStatus().getMessage())
                            .isEqualTo("Operation cannot be fulfilled on pods/binding \"p4\": "
                                    + "pod p4 is already assigned to node \"node-1\"");
                });
        HttpResponse<String> viaSubresource = postBindingSubresource("p4",
                "{\"metadata\":{\"name\":\"p4\"},\"target\":{\"kind\":\"Node\",\"name\":\"node-3\"}}");
        assertThat(viaSubresource.statusCode()).isEqualTo(409);
        assertThat(get("p4").getSpec().getNodeName()).isEqualTo("node-1");
    }

    @Test
    void bindingAMissingPodIsNotFound() throws Exception {
        assertThatThrownBy(() -> client.bindings().inNamespace(NS).resource(binding("ghost", "node-1")).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(404);
                    assertThat(e.getStatus().getMessage()).isEqualTo("pods \"ghost\" not found");
                });
        assertThat(postBindingSubresource("ghost", "{\"target\":{\"kind\":\"Node\",\"name\":\"n\"}}").statusCode())
                .isEqualTo(404);
    }

    @Test
    void uidPreconditionProtectsARecreatedPod() {
        create("p5");
        Binding binding = binding("p5", "node-1");
        binding.getMetadata().setUid("uid-of-an-earlier-pod");
        assertThatThrownBy(() -> client.bindings().inNamespace(NS).resource(binding).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(409);
                    assertThat(e.getStatus().getMessage()).contains("Precondition failed: UID in precondition");
                });
        assertThat(get("p5").getSpec().getNodeName()).isNull();
    }

    @Test
    void bindingWithoutTargetIsInvalid() {
        create("p6");
        assertThatThrownBy(() -> client.bindings().inNamespace(NS).resource(binding("p6", "")).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));
    }

    @Test
    void concurrentBindsOfOnePodHaveExactlyOneWinner() throws Exception {
        create("p7");
        int contenders = 8;
        ExecutorService pool = Executors.newFixedThreadPool(contenders);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> results = new CopyOnWriteArrayList<>();
        try {
            for (int i = 0; i < contenders; i++) {
                String node = "node-" + i;
                results.add(pool.submit(() -> {
                    go.await();
                    try {
                        client.bindings().inNamespace(NS).resource(binding("p7", node)).create();
                        return 201;
                    } catch (KubernetesClientException e) {
                        return e.getCode();
                    }
                }));
            }
            go.countDown();
            List<Integer> codes = new java.util.ArrayList<>();
            for (Future<Integer> result : results) {
                codes.add(result.get(5, TimeUnit.SECONDS));
            }
            assertThat(codes).containsOnlyOnce(201);
            assertThat(codes.stream().filter(code -> code == 409)).hasSize(contenders - 1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(get("p7").getSpec().getNodeName()).startsWith("node-");
    }

    @Test
    void informerSeesTheBoundPodAsAnUpdate() {
        create("p8");
        List<String> updatedNodeNames = new CopyOnWriteArrayList<>();
        SharedIndexInformer<Pod> informer = client.pods().inNamespace(NS).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
            }

            @Override
            public void onUpdate(Pod oldPod, Pod newPod) {
                if (oldPod.getSpec().getNodeName() == null && newPod.getSpec().getNodeName() != null) {
                    updatedNodeNames.add(newPod.getSpec().getNodeName());
                }
            }

            @Override
            public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
            }
        });
        try {
            await().atMost(Duration.ofSeconds(5)).until(informer::hasSynced);
            client.bindings().inNamespace(NS).resource(binding("p8", "node-8")).create();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(updatedNodeNames).containsExactly("node-8"));
            assertThat(informer.getStore().getByKey(NS + "/p8").getSpec().getNodeName()).isEqualTo("node-8");
        } finally {
            informer.stop(); // before the server: see SchedulingCrudDispatcher's notes on watch close
        }
    }

    @Test
    void createdPodsGetTheApiServersDefaults() {
        Pod created = client.pods().inNamespace(NS).resource(pod("d1").namespace(NS).forCreate().schedulerName(null)
                .container("a").limit("cpu", "1").limit("memory", "1Gi")
                .container("b").cpu("500m").memory("256Mi").limit("cpu", "500m").limit("memory", "256Mi")
                .build()).create();

        assertThat(created.getMetadata().getUid()).isNotBlank();
        assertThat(created.getMetadata().getCreationTimestamp()).isNotBlank();
        assertThat(created.getSpec().getSchedulerName()).isEqualTo("default-scheduler");
        assertThat(created.getSpec().getPriority()).isZero();
        assertThat(created.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(created.getStatus().getQosClass()).isEqualTo("Guaranteed");
        assertThat(created.getSpec().getContainers().get(0).getResources().getRequests())
                .containsOnlyKeys("cpu", "memory");

        Pod stored = get("d1");
        assertThat(stored.getStatus().getQosClass()).isEqualTo("Guaranteed");
        assertThat(stored.getSpec().getSchedulerName()).isEqualTo("default-scheduler");
    }

    @Test
    void qosClassAndPriorityFollowTheSpec() {
        client.resource(new PriorityClassBuilder().withNewMetadata().withName("spark-high").endMetadata()
                .withValue(5000).build()).create();
        Pod burstable = client.pods().inNamespace(NS).resource(pod("d2").namespace(NS).forCreate()
                .priorityClassName("spark-high").container("main").cpu("1").build()).create();
        Pod bestEffort = client.pods().inNamespace(NS).resource(pod("d3").namespace(NS).forCreate()
                .priorityClassName("system-node-critical").container("main").build()).create();
        Pod explicit = client.pods().inNamespace(NS).resource(pod("d4").namespace(NS).forCreate().priority(7)
                .phase("Running").schedulerName("kubenexus-scheduler").container("main").build()).create();

        assertThat(burstable.getStatus().getQosClass()).isEqualTo("Burstable");
        assertThat(burstable.getSpec().getPriority()).isEqualTo(5000);
        assertThat(bestEffort.getStatus().getQosClass()).isEqualTo("BestEffort");
        assertThat(bestEffort.getSpec().getPriority()).isEqualTo(2_000_001_000);
        assertThat(explicit.getSpec().getPriority()).isEqualTo(7);
        assertThat(explicit.getStatus().getPhase()).isEqualTo("Running");
        assertThat(explicit.getSpec().getSchedulerName()).isEqualTo("kubenexus-scheduler");
    }

    @Test
    void podWithAnUnreadableQuantityIsStoredForTheSchedulerToReport() {
        Pod created = client.pods().inNamespace(NS).resource(pod("bad").namespace(NS).forCreate()
                .container("main").memory("12x").build()).create();
        assertThat(created.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(created.getStatus().getQosClass()).isNull();
        assertThat(get("bad").getSpec().getContainers().get(0).getResources().getRequests().get("memory"))
                .hasToString("12x");
    }

    @Test
    void versionIsAVersionDocument() {
        assertThat(client.getKubernetesVersion().getMajor()).isEqualTo("1");
        assertThat(client.getKubernetesVersion().getGitVersion()).startsWith("v1.");
    }

    @Test
    void otherResourcesStillWorkAndCloseIsIdempotent() {
        KubernetesClient second = api.newClient();
        client.configMaps().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata().withName("cm").endMetadata().addToData("k", "v").build()).create();
        assertThat(second.configMaps().inNamespace(NS).withName("cm").get().getData()).containsEntry("k", "v");
        assertThat(api.config().getRequestConfig().getRequestTimeout()).isEqualTo(10_000);
        api.close();
        api.close();
        assertThatThrownBy(api::newClient).isInstanceOf(IllegalStateException.class);
    }
}
