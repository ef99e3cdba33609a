package io.kubenexus.scheduler.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.kube.embedded.EmbeddedKubernetesApi;
import io.kubenexus.scheduler.kube.groups.GroupSourceInformers;
import io.kubenexus.scheduler.kube.groups.WorkloadApiVersion;
import io.kubenexus.scheduler.kube.leader.LeaderElectionSettings;
import io.kubenexus.scheduler.kube.leader.Leadership;
import io.kubenexus.scheduler.kube.testing.RbacRequest;
import io.kubenexus.scheduler.kube.topology.NodeResourceTopologyTranslator;
import io.kubenexus.scheduler.numa.NumaSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The declared {@link ApiAccess#REQUIRED} list against what the scheduler really does: a real
 * {@link KubeScheduler} with leader election and NUMA on runs against the embedded API with a
 * request recorder on its client, through plain pods, an unschedulable pod, a scheduler-plugins
 * gang, a SparkApplication with its driver, a NodeResourceTopology and a preemption whose victim a
 * PodDisruptionBudget protects. Every request is mapped to
 * the (group, resource, verb) RBAC would check, and each must be declared; every declared verb must
 * have been used, unless its entry says on which path alone it is reached.
 */
class ApiAccessIT {
    private static final String NS = "team-a";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final KubernetesSerialization YAML = new KubernetesSerialization();
    /** The start-up access check itself; every authenticated user may do it (system:basic-user). */
    private static final RbacRequest ACCESS_REVIEW =
            new RbacRequest("authorization.k8s.io", "selfsubjectaccessreviews", "create", "");
    /** API discovery of the Workload API's versions; every authenticated user may (system:discovery). */
    private static final List<RbacRequest> DISCOVERY = List.of(
            new RbacRequest("", "", "get", "/apis/scheduling.k8s.io/v1beta1"),
            new RbacRequest("", "", "get", "/apis/scheduling.k8s.io/v1alpha2"));

    private EmbeddedKubernetesApi api;
    private KubernetesClient client;
    private KubernetesClient recorded;
    private KubeScheduler scheduler;
    private final Set<RbacRequest> requests = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void startApi() {
        api = new EmbeddedKubernetesApi();
        client = api.client();
        Interceptor recorder = new Interceptor() {
            @Override
            public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
                requests.add(RbacRequest.of(request.method(), request.uri()));
            }
        };
        recorded = new KubernetesClientBuilder().withConfig(api.config())
                .withHttpClientBuilderConsumer(builder -> builder.addOrReplaceInterceptor("rbac-recorder", recorder))
                .build();
    }

    @AfterEach
    void stop() {
        if (scheduler != null) {
            scheduler.close();
        }
        recorded.close();
        api.close();
    }

    @Test
    void everyRequestOfARunIsDeclaredAndEveryDeclaredAccessIsUsedOrMarked() {
        api.serveApi("scheduling.k8s.io", "v1beta1", Map.of("podgroups", "PodGroup", "workloads", "Workload"));
        createNode("node-0", "8");
        createNode("node-1", "8");
        client.genericKubernetesResources(NodeResourceTopologyTranslator.NODE_RESOURCE_TOPOLOGIES).resource(nrt("node-0"))
                .create();
        scheduler = startScheduler();
        await().atMost(WAIT).until(() -> scheduler.leadership().state() == Leadership.State.LEADING);

        createPod("plain", "1", Map.of());
        createPod("too-big", "100", Map.of());
        createSchedulerPluginsPodGroup("train", 2);
        createPod("train-0", "1", Map.of("scheduling.x-k8s.io/pod-group", "train"));
        createPod("train-1", "1", Map.of("scheduling.x-k8s.io/pod-group", "train"));
        createSparkApplication("pi");
        createPod("pi-driver", "1", Map.of("spark-role", "driver", "sparkoperator.k8s.io/app-name", "pi",
                "spark-app-selector", "spark-pi"));
        createPod("numa", "1", Map.of(), Map.of("numa.scheduling.kubenexus.io/policy", "single-numa"));
        createKubernetesPodGroup("pair", 2);
        createGroupMember("pair-0", "pair");
        createGroupMember("pair-1", "pair");

        await().atMost(WAIT).untilAsserted(() -> assertThat(List.of("plain", "train-0", "train-1", "pi-driver", "numa",
                "pair-0", "pair-1"))
                .as("bound").allMatch(name -> nodeOf(name) != null));
        // Preemption: a pod of high priority that fits only where a budget-protected pod runs evicts it
        // (refused, 429) and deletes it instead; its nomination is written to its status.
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("node-2")
                .addToLabels("kubernetes.io/hostname", "node-2").addToLabels("pool", "small").endMetadata()
                .withNewStatus().addToAllocatable(Map.of("cpu", new Quantity("2"), "memory", new Quantity("8Gi"),
                        "pods", new Quantity("110"))).endStatus().build()).create();
        client.policy().v1().podDisruptionBudget().inNamespace(NS).resource(new PodDisruptionBudgetBuilder()
                .withNewMetadata().withName("guarded").withNamespace(NS).endMetadata()
                .withNewSpec().withMinAvailable(new IntOrString(1))
                .withNewSelector().addToMatchLabels("app", "guarded").endSelector().endSpec().build()).create();
        client.pods().inNamespace(NS).resource(new PodBuilder()
                .withNewMetadata().withName("guarded").withNamespace(NS).addToLabels("app", "guarded").endMetadata()
                .withNewSpec().withSchedulerName("default-scheduler").withNodeName("node-2").withPriority(0)
                .addNewContainer().withName("main").withImage("app")
                .withNewResources().addToRequests("cpu", new Quantity("2")).endResources().endContainer().endSpec()
                .withNewStatus().withPhase("Running").endStatus().build()).create();
        client.pods().inNamespace(NS).resource(new PodBuilder()
                .withNewMetadata().withName("urgent").withNamespace(NS).endMetadata()
                .withNewSpec().withSchedulerName(SchedulerSettings.DEFAULT_SCHEDULER_NAME).withPriority(1000)
                .addToNodeSelector("pool", "small")
                .addNewContainer().withName("main").withImage("app")
                .withNewResources().addToRequests("cpu", new Quantity("2")).endResources().endContainer().endSpec()
                .build()).create();
        await().atMost(WAIT).until(() -> "node-2".equals(nodeOf("urgent")));
        // Repeated FailedScheduling (patched events), PodGroup status and Lease renewals come with time.
        await().atMost(WAIT).untilAsserted(() -> assertThat(requests).containsAll(List.of(
                new RbacRequest("", "events", "patch", ""),
                new RbacRequest("", "pods/status", "patch", ""),
                new RbacRequest("scheduling.x-k8s.io", "podgroups/status", "patch", ""),
                new RbacRequest("scheduling.k8s.io", "podgroups/status", "patch", ""),
                new RbacRequest("coordination.k8s.io", "leases", "patch", ""))));
        scheduler.close();
        scheduler = null;

        Set<RbacRequest> seen = new LinkedHashSet<>(requests);
        seen.remove(ACCESS_REVIEW);
        DISCOVERY.forEach(seen::remove);
        assertThat(seen).as("requests the scheduler made (non-resource ones would need nonResourceURLs rules)")
                .allMatch(RbacRequest::isResourceRequest)
                .allSatisfy(request -> assertThat(ApiAccess.declares(request.apiGroup(), request.resource(), request.verb()))
                        .as("declared in ApiAccess.REQUIRED: %s", request).isTrue());

        Set<String> unused = ApiAccess.REQUIRED.stream()
                .filter(access -> access.reachedOnlyWhen().isEmpty())
                .flatMap(access -> access.verbs().stream()
                        .map(verb -> new RbacRequest(access.apiGroup(), access.resource(), verb, "")))
                .filter(declared -> !seen.contains(declared))
                .map(RbacRequest::toString)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        assertThat(unused).as("declared for every run but not used by this one").isEmpty();
        Set<String> unusedMarked = ApiAccess.REQUIRED.stream()
                .flatMap(access -> access.verbs().stream()
                        .map(verb -> new RbacRequest(access.apiGroup(), access.resource(), verb, "")))
                .filter(declared -> !seen.contains(declared))
                .map(RbacRequest::toString)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        assertThat(unusedMarked).as("this run reaches even the paths marked conditional").isEmpty();
    }

    private KubeScheduler startScheduler() {
        SchedulerSettings settings = new SchedulerSettings(SchedulerSettings.DEFAULT_SCHEDULER_NAME,
                SchedulerSettings.defaults().scoringStrategy(), Map.of("cpu", 1, "memory", 1), Map.of(), 100,
                Duration.ofMillis(100), Duration.ofMillis(300), Duration.ofMillis(300), null);
        LeaderElectionSettings election = new LeaderElectionSettings(true, "kube-system", "kubenexus-scheduler",
                "replica-a", Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMillis(200));
        KubeSchedulerOptions options = new KubeSchedulerOptions(settings,
                KubeSchedulerOptions.singleReplica(settings).gang(), election, 4, Duration.ofMillis(200), "replica-a",
                NumaSettings.defaults(), null);
        KubeScheduler started = new KubeScheduler(recorded, options, Clock.systemUTC());
        started.start().toCompletableFuture().orTimeout(20, TimeUnit.SECONDS).join();
        return started;
    }

    // ------------------------------------------------------------------ fixtures (through the unrecorded client)

    private void createNode(String name, String cpu) {
        Map<String, Quantity> amounts = Map.of("cpu", new Quantity(cpu), "memory", new Quantity("64Gi"),
                "pods", new Quantity("110"));
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name)
                .addToLabels("kubernetes.io/hostname", name).endMetadata()
                .withNewStatus().addToAllocatable(amounts).addToCapacity(amounts).endStatus().build()).create();
    }

    private void createPod(String name, String cpu, Map<String, String> labels) {
        createPod(name, cpu, labels, Map.of());
    }

    private void createPod(String name, String cpu, Map<String, String> labels, Map<String, String> annotations) {
        client.pods().inNamespace(NS).resource(new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(NS).addToLabels(labels).addToAnnotations(annotations)
                .endMetadata()
                .withNewSpec().withSchedulerName(SchedulerSettings.DEFAULT_SCHEDULER_NAME)
                .addNewContainer().withName("main").withImage("app")
                .withNewResources().addToRequests("cpu", new Quantity(cpu)).addToRequests("memory", new Quantity("1Gi"))
                .addToLimits("cpu", new Quantity(cpu)).addToLimits("memory", new Quantity("1Gi"))
                .endResources().endContainer().endSpec().build()).create();
    }

    private void createKubernetesPodGroup(String name, int minCount) {
        client.genericKubernetesResources(WorkloadApiVersion.V1BETA1.podGroups()).inNamespace(NS)
                .resource(YAML.unmarshal("""
                        apiVersion: scheduling.k8s.io/v1beta1
                        kind: PodGroup
                        metadata: {name: %s, namespace: %s}
                        spec: {schedulingPolicy: {gang: {minCount: %d}}}
                        """.formatted(name, NS, minCount), GenericKubernetesResource.class)).create();
    }

    private void createGroupMember(String name, String podGroup) {
        Pod pod = new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withSchedulerName(SchedulerSettings.DEFAULT_SCHEDULER_NAME)
                .withNewSchedulingGroup().withPodGroupName(podGroup).endSchedulingGroup()
                .addNewContainer().withName("main").withImage("app")
                .withNewResources().addToRequests("cpu", new Quantity("1")).addToRequests("memory", new Quantity("1Gi"))
                .endResources().endContainer().endSpec().build();
        client.pods().inNamespace(NS).resource(pod).create();
    }

    private String nodeOf(String pod) {
        var found = client.pods().inNamespace(NS).withName(pod).get();
        return found == null ? null : found.getSpec().getNodeName();
    }

    private void createSchedulerPluginsPodGroup(String name, int minMember) {
        client.genericKubernetesResources(GroupSourceInformers.SCHEDULER_PLUGINS_POD_GROUPS).inNamespace(NS)
                .resource(YAML.unmarshal("""
                        apiVersion: scheduling.x-k8s.io/v1alpha1
                        kind: PodGroup
                        metadata: {name: %s, namespace: %s}
                        spec: {minMember: %d, scheduleTimeoutSeconds: 60}
                        """.formatted(name, NS, minMember), GenericKubernetesResource.class)).create();
    }

    private void createSparkApplication(String name) {
        client.genericKubernetesResources(GroupSourceInformers.SPARK_APPLICATIONS).inNamespace(NS)
                .resource(YAML.unmarshal("""
                        apiVersion: sparkoperator.k8s.io/v1beta2
                        kind: SparkApplication
                        metadata: {name: %s, namespace: %s}
                        spec:
                          type: Scala
                          mode: cluster
                          driver: {cores: 1, memory: 512m, schedulerName: kubenexus-scheduler}
                          executor: {cores: 1, memory: 512m, instances: 1, schedulerName: kubenexus-scheduler}
                        """.formatted(name, NS), GenericKubernetesResource.class)).create();
    }

    private static GenericKubernetesResource nrt(String node) {
        return YAML.unmarshal("""
                apiVersion: topology.node.k8s.io/v1alpha2
                kind: NodeResourceTopology
                metadata: {name: %s}
                attributes:
                - {name: topologyManagerPolicy, value: single-numa-node}
                - {name: topologyManagerScope, value: container}
                zones:
                - name: node-0
                  type: Node
                  costs: [{name: node-0, value: 10}, {name: node-1, value: 20}]
                  resources:
                  - {name: cpu, capacity: "4", allocatable: "4", available: "4"}
                  - {name: memory, capacity: 32Gi, allocatable: 32Gi, available: 32Gi}
                - name: node-1
                  type: Node
                  costs: [{name: node-0, value: 20}, {name: node-1, value: 10}]
                  resources:
                  - {name: cpu, capacity: "4", allocatable: "4", available: "4"}
                  - {name: memory, capacity: 32Gi, allocatable: 32Gi, available: 32Gi}
                """.formatted(node), GenericKubernetesResource.class);
    }
}
