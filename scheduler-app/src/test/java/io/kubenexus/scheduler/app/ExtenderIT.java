package io.kubenexus.scheduler.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kubenexus.scheduler.app.config.HttpConfig;
import io.kubenexus.scheduler.app.config.MetricsConfig;
import io.kubenexus.scheduler.core.config.SchedulerSettings;
import io.kubenexus.scheduler.extender.server.HttpServerSettings;
import io.kubenexus.scheduler.kube.KubeSchedulerOptions;
import io.kubenexus.scheduler.kube.embedded.EmbeddedKubernetesApi;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The extender verbs of a real {@link SchedulerReplica} against the embedded API, called over HTTP
 * with bodies shaped exactly as kube-scheduler sends them: filter in both node modes agrees with the
 * node table the test wrote (and with where our own scheduler binds the same pod), Nodes mode echoes
 * the passing Node objects byte for byte, a node we do not know fails with a reason, bind binds, a
 * gang's binds are held until its last member, preempt answers the proposals it accepts, and garbage
 * gets a 400 JSON answer without hurting the next good call.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExtenderIT {
    private static final String NS = "team";
    private static final String OURS = "kubenexus-scheduler";
    private static final String KUBE_SCHEDULER = "default-scheduler";
    private static final Duration HOLD_LIMIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Taint GPU_TAINT = new Taint("NoSchedule", "nvidia.com/gpu", null, "present");

    private EmbeddedKubernetesApi api;
    private KubernetesClient client;
    private SchedulerReplica replica;
    private String extender;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    /** The node table: what the test built, by name. */
    private final Map<String, NodeSpec> table = new LinkedHashMap<>();

    /** One node as the test made it: its pool label, size and whether GPUs are tainted off. */
    record NodeSpec(String name, String pool, int cpu, int memoryGi, int gpus, boolean tainted) {
    }

    @BeforeAll
    void startClusterAndReplica() throws Exception {
        api = new EmbeddedKubernetesApi(InetAddress.getLoopbackAddress(), 0, Duration.ofSeconds(20), Clock.systemUTC());
        client = api.client();
        for (int i = 0; i < 10; i++) {
            add(new NodeSpec(String.format("small-%02d", i), "batch", 4, 16, 0, false));
            add(new NodeSpec(String.format("large-%02d", i), "batch", 32, 128, 0, false));
        }
        for (int i = 0; i < 6; i++) {
            add(new NodeSpec(String.format("web-%02d", i), "web", 32, 128, 0, false));
        }
        for (int i = 0; i < 8; i++) {
            add(new NodeSpec(String.format("gpu-%02d", i), "batch", 64, 512, 8, true));
        }
        add(new NodeSpec("gpu-open-00", "batch", 64, 512, 8, false));
        add(new NodeSpec("gpu-open-01", "batch", 64, 512, 8, false));
        // Preemption's stage: two 4-cpu nodes, filled by low-priority pods of kube-scheduler's.
        add(new NodeSpec("tiny-00", "stage", 4, 16, 0, false));
        add(new NodeSpec("tiny-01", "stage", 4, 16, 0, false));
        client.pods().inNamespace(NS).resource(pod("victim-1", KUBE_SCHEDULER).cpu("2").priority(0).on("tiny-00").build()).create();
        client.pods().inNamespace(NS).resource(pod("victim-2", KUBE_SCHEDULER).cpu("2").priority(0).on("tiny-00").build()).create();
        client.pods().inNamespace(NS).resource(pod("victim-3", KUBE_SCHEDULER).cpu("2").priority(0).on("tiny-01").build()).create();
        client.pods().inNamespace(NS).resource(pod("keeper", KUBE_SCHEDULER).cpu("2").priority(0).on("tiny-01").build()).create();

        replica = SchedulerReplica.create(api.newClient(), KubeSchedulerOptions.singleReplica(SchedulerSettings.defaults()),
                Clock.systemUTC(), MetricsConfig.defaults());
        String url = replica.serve(new HttpServerSettings(0, "127.0.0.1", HttpConfig.defaults().extenderPrefix(), null,
                null, HttpConfig.defaults().maxBodyBytes()), HOLD_LIMIT);
        replica.scheduler().start().toCompletableFuture().get(30, TimeUnit.SECONDS);
        extender = url + HttpConfig.defaults().extenderPrefix();
    }

    @AfterAll
    void stop() {
        if (replica != null) {
            replica.close();
        }
        if (api != null) {
            api.close();
        }
    }

    private void add(NodeSpec spec) {
        table.put(spec.name(), spec);
        NodeBuilder node = new NodeBuilder().withNewMetadata().withName(spec.name())
                .withLabels(Map.of("pool", spec.pool(), "kubernetes.io/hostname", spec.name())).endMetadata();
        Map<String, Quantity> allocatable = new HashMap<>(Map.of("cpu", new Quantity(Integer.toString(spec.cpu())),
                "memory", new Quantity(spec.memoryGi() + "Gi"), "pods", new Quantity("110")));
        if (spec.gpus() > 0) {
            allocatable.put("nvidia.com/gpu", new Quantity(Integer.toString(spec.gpus())));
        }
        node.withNewSpec().withTaints(spec.tainted() ? List.of(GPU_TAINT) : List.of()).endSpec()
                .withNewStatus().withAllocatable(allocatable).withCapacity(allocatable)
                .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus();
        client.nodes().resource(node.build()).create();
    }

    // ---------------------------------------------------------------- filter: both node modes, our own decision

    /** A pod kube-scheduler would send, and the nodes of the table it fits. */
    static Stream<Arguments> filterCases() {
        return Stream.of(
                Arguments.of("6 cpu in pool batch: the large nodes and the untainted GPU nodes",
                        pod("batch-6cpu", KUBE_SCHEDULER).cpu("6").memory("20Gi").selector("pool", "batch"),
                        (Predicate<NodeSpec>) n -> n.pool().equals("batch") && n.cpu() >= 6 && !n.tainted()),
                Arguments.of("4 GPUs tolerating the taint: every GPU node",
                        pod("train-4gpu", KUBE_SCHEDULER).cpu("8").memory("64Gi").gpus(4).tolerateGpus(),
                        (Predicate<NodeSpec>) n -> n.gpus() >= 4),
                Arguments.of("4 GPUs without the toleration: the untainted GPU nodes only",
                        pod("train-untolerated", KUBE_SCHEDULER).cpu("8").memory("64Gi").gpus(4),
                        (Predicate<NodeSpec>) n -> n.gpus() >= 4 && !n.tainted()),
                Arguments.of("1 cpu anywhere but the full stage",
                        pod("tiny-1cpu", KUBE_SCHEDULER).cpu("1").memory("1Gi"),
                        (Predicate<NodeSpec>) n -> !n.tainted() && !n.pool().equals("stage")),
                Arguments.of("too big for any node", pod("huge", KUBE_SCHEDULER).cpu("100"),
                        (Predicate<NodeSpec>) n -> false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filterCases")
    void filterInBothNodeModesAnswersTheNodesThePodFits(String name, PodSpecBuilder spec, Predicate<NodeSpec> fits)
            throws Exception {
        Pod pod = client.pods().inNamespace(NS).resource(spec.build()).create();
        Set<String> expected = table.values().stream().filter(fits).map(NodeSpec::name)
                .collect(Collectors.toCollection(TreeSet::new));
        List<String> names = new ArrayList<>(table.keySet());

        JsonNode byNames = post("filter", "{\"Pod\":" + Serialization.asJson(pod) + ",\"Nodes\":null,\"NodeNames\":"
                + JSON.writeValueAsString(names) + "}");
        assertThat(texts(byNames.path("NodeNames"))).as("NodeNames mode").containsExactlyInAnyOrderElementsOf(expected);
        assertThat(byNames.path("Nodes").isNull()).isTrue();
        Set<String> failed = new TreeSet<>();
        byNames.path("FailedNodes").fieldNames().forEachRemaining(failed::add);
        byNames.path("FailedAndUnresolvableNodes").fieldNames().forEachRemaining(failed::add);
        assertThat(failed).as("every other node fails with a reason")
                .isEqualTo(names.stream().filter(n -> !expected.contains(n)).collect(Collectors.toCollection(TreeSet::new)));

        // Nodes mode: the Node objects as kube-scheduler's informer holds them, read from the API.
        Map<String, String> nodeJson = new LinkedHashMap<>();
        for (Node node : client.nodes().list().getItems()) {
            nodeJson.put(node.getMetadata().getName(), Serialization.asJson(node));
        }
        String body = "{\"Pod\":" + Serialization.asJson(pod) + ",\"Nodes\":{\"metadata\":{},\"items\":["
                + String.join(",", nodeJson.values()) + "]},\"NodeNames\":null}";
        HttpResponse<String> byObjects = postRaw("filter", body);
        assertThat(byObjects.statusCode()).isEqualTo(200);
        JsonNode answer = JSON.readTree(byObjects.body());
        List<String> passing = new ArrayList<>();
        answer.path("Nodes").path("items").forEach(n -> passing.add(n.path("metadata").path("name").asText()));
        assertThat(passing).as("Nodes mode").containsExactlyInAnyOrderElementsOf(expected);
        assertThat(answer.path("NodeNames").isNull()).isTrue();
        for (String node : passing) {
            assertThat(byObjects.body()).as("%s echoed verbatim", node).contains(nodeJson.get(node));
        }

        if (expected.isEmpty()) {
            return;
        }
        // Our own scheduler, given the same pod under its name, binds it to a node prioritize scored best.
        JsonNode scores = post("prioritize", "{\"Pod\":" + Serialization.asJson(pod) + ",\"Nodes\":null,\"NodeNames\":"
                + JSON.writeValueAsString(List.copyOf(expected)) + "}");
        Set<String> best = new HashSet<>();
        scores.forEach(s -> {
            if (s.path("Score").asInt() == 10) {
                best.add(s.path("Host").asText());
            }
        });
        assertThat(best).isNotEmpty();
        Pod ours = client.pods().inNamespace(NS).resource(spec.copyAs(spec.name + "-ours", OURS)).create();
        String boundTo = awaitBound(ours.getMetadata().getName());
        assertThat(best).as("scores 10").contains(boundTo);
        client.pods().inNamespace(NS).withName(ours.getMetadata().getName()).delete();
        awaitGone(ours.getMetadata().getName());
    }

    @Test
    void aNodeUnknownToUsFailsWithAReasonAndTheOthersAreJudged() throws Exception {
        Pod pod = client.pods().inNamespace(NS).resource(pod("unknown-node-probe", KUBE_SCHEDULER).cpu("1").build())
                .create();
        JsonNode answer = post("filter", "{\"Pod\":" + Serialization.asJson(pod)
                + ",\"Nodes\":null,\"NodeNames\":[\"large-00\",\"no-such-node\"]}");
        assertThat(texts(answer.path("NodeNames"))).containsExactly("large-00");
        assertThat(answer.path("FailedNodes").path("no-such-node").asText()).isNotBlank();
        assertThat(answer.path("Error").asText()).isEmpty();
    }

    // ---------------------------------------------------------------- bind

    @Test
    void bindOfAPlainPodBindsItInTheApi() throws Exception {
        Pod pod = client.pods().inNamespace(NS).resource(pod("plain", KUBE_SCHEDULER).cpu("1").build()).create();
        JsonNode answer = post("bind", bindArgs(pod, "large-03"));
        assertThat(answer.path("Error").asText()).isEmpty();
        assertThat(client.pods().inNamespace(NS).withName("plain").get().getSpec().getNodeName()).isEqualTo("large-03");
    }

    @Test
    void aGangsFirstTwoBindsAreHeldAndTheThirdBindsAllThree() throws Exception {
        List<Pod> members = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            members.add(client.pods().inNamespace(NS).resource(pod("gang-" + i, KUBE_SCHEDULER).cpu("2")
                    .label("pod-group.scheduling.kubenexus.io/name", "trio")
                    .label("pod-group.scheduling.kubenexus.io/min-available", "3").build()).create());
        }
        CompletableFuture<HttpResponse<String>> first = postAsync("bind", bindArgs(members.get(0), "large-04"));
        CompletableFuture<HttpResponse<String>> second = postAsync("bind", bindArgs(members.get(1), "large-05"));
        Thread.sleep(1000);
        assertThat(first).as("held").isNotDone();
        assertThat(second).as("held").isNotDone();
        assertThat(client.pods().inNamespace(NS).withName("gang-0").get().getSpec().getNodeName()).isNull();

        JsonNode third = post("bind", bindArgs(members.get(2), "large-06"));

        assertThat(third.path("Error").asText()).isEmpty();
        assertThat(JSON.readTree(first.get(10, TimeUnit.SECONDS).body()).path("Error").asText()).isEmpty();
        assertThat(JSON.readTree(second.get(10, TimeUnit.SECONDS).body()).path("Error").asText()).isEmpty();
        assertThat(List.of("gang-0", "gang-1", "gang-2")).extracting(n -> client.pods().inNamespace(NS).withName(n).get()
                .getSpec().getNodeName()).containsExactly("large-04", "large-05", "large-06");
    }

    // ---------------------------------------------------------------- preempt

    @Test
    void preemptAnswersEachProposedNodeWithOurOwnVictimsAsMetaVictims() throws Exception {
        Pod preemptor = client.pods().inNamespace(NS).resource(pod("urgent", KUBE_SCHEDULER).cpu("3").priority(1000)
                .selector("pool", "stage").build()).create();
        awaitAccounted("tiny-00", "victim-1", "victim-2");
        awaitAccounted("tiny-01", "victim-3", "keeper");
        String uid1 = uid("victim-1");
        String uid2 = uid("victim-2");
        String uid3 = uid("victim-3");
        String uidKeeper = uid("keeper");
        // tiny-00 frees 4 cpu with both victims gone; on tiny-01 victim-3 alone frees too little, so
        // kubenexus answers its own victims there: keeper (priority 0 too) goes with victim-3.
        JsonNode answer = post("preempt", "{\"Pod\":" + Serialization.asJson(preemptor) + ",\"NodeNameToVictims\":null,"
                + "\"NodeNameToMetaVictims\":{"
                + "\"tiny-00\":{\"Pods\":[{\"UID\":\"" + uid1 + "\"},{\"UID\":\"" + uid2 + "\"}],\"NumPDBViolations\":0},"
                + "\"tiny-01\":{\"Pods\":[{\"UID\":\"" + uid3 + "\"}],\"NumPDBViolations\":1}}}");

        JsonNode accepted = answer.path("NodeNameToMetaVictims");
        assertThat(names(accepted)).containsExactly("tiny-00", "tiny-01");
        assertThat(texts(accepted.path("tiny-00").path("Pods"), "UID")).containsExactlyInAnyOrder(uid1, uid2);
        assertThat(texts(accepted.path("tiny-01").path("Pods"), "UID")).containsExactlyInAnyOrder(uid3, uidKeeper);
        assertThat(accepted.path("tiny-00").path("NumPDBViolations").asInt()).isZero();
        assertThat(accepted.path("tiny-01").path("NumPDBViolations").asInt()).as("our count: no budget here").isZero();
    }

    // ---------------------------------------------------------------- garbage

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"filter", "prioritize", "bind", "preempt"})
    void garbageGetsA400JsonErrorAndTheNextGoodRequestPasses(String verb) throws Exception {
        for (String garbage : List.of("{", "not json", "[1,2]", "{\"Pod\":42}", "{\"PodName\":[]}", "{} trailing")) {
            HttpResponse<String> answer = postRaw(verb, garbage);
            assertThat(answer.statusCode()).as("%s %s", verb, garbage).isEqualTo(400);
            assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("application/json"));
            assertThat(JSON.readTree(answer.body()).path("error").asText()).isNotBlank();
        }
        Pod pod = client.pods().inNamespace(NS).resource(pod("after-garbage-" + verb, KUBE_SCHEDULER).cpu("1").build())
                .create();
        String good = switch (verb) {
            case "bind" -> bindArgs(pod, "large-07");
            case "preempt" -> "{\"Pod\":" + Serialization.asJson(pod) + ",\"NodeNameToVictims\":null,"
                    + "\"NodeNameToMetaVictims\":{}}";
            default -> "{\"Pod\":" + Serialization.asJson(pod) + ",\"NodeNames\":[\"large-07\"]}";
        };
        assertThat(postRaw(verb, good).statusCode()).isEqualTo(200);
    }

    // ---------------------------------------------------------------- helpers

    private String uid(String pod) {
        return client.pods().inNamespace(NS).withName(pod).get().getMetadata().getUid();
    }

    /** Waits until the loop charges the named pods to the node (its informer has seen them). */
    private void awaitAccounted(String node, String... pods) throws Exception {
        Instant deadline = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(deadline)) {
            JsonNode filter = post("filter", "{\"Pod\":" + Serialization.asJson(pod("probe", KUBE_SCHEDULER).cpu("1")
                    .build()) + ",\"NodeNames\":[\"" + node + "\"]}");
            if (filter.path("NodeNames").isEmpty()) {
                return; // full: every pod there is accounted
            }
            Thread.sleep(100);
        }
        throw new AssertionError(node + " never showed " + List.of(pods) + " as accounted");
    }

    private String awaitBound(String name) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(15);
        while (Instant.now().isBefore(deadline)) {
            Pod pod = client.pods().inNamespace(NS).withName(name).get();
            if (pod != null && pod.getSpec().getNodeName() != null) {
                return pod.getSpec().getNodeName();
            }
            Thread.sleep(50);
        }
        throw new AssertionError(name + " was not bound by our scheduler within 15 s");
    }

    private void awaitGone(String name) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(deadline) && client.pods().inNamespace(NS).withName(name).get() != null) {
            Thread.sleep(50);
        }
        // Let the loop's informer see the delete before the next case asks about capacity.
        Thread.sleep(300);
    }

    private static String bindArgs(Pod pod, String node) {
        return "{\"PodName\":\"" + pod.getMetadata().getName() + "\",\"PodNamespace\":\"" + pod.getMetadata().getNamespace()
                + "\",\"PodUID\":\"" + pod.getMetadata().getUid() + "\",\"Node\":\"" + node + "\"}";
    }

    private JsonNode post(String verb, String body) throws IOException, InterruptedException {
        HttpResponse<String> answer = postRaw(verb, body);
        assertThat(answer.statusCode()).as("%s answered %s", verb, answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    private HttpResponse<String> postRaw(String verb, String body) throws IOException, InterruptedException {
        return http.send(request(verb, body), HttpResponse.BodyHandlers.ofString());
    }

    private CompletableFuture<HttpResponse<String>> postAsync(String verb, String body) {
        return http.sendAsync(request(verb, body), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String verb, String body) {
        return HttpRequest.newBuilder(URI.create(extender + "/" + verb)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path(field).asText()));
        return out;
    }

    private static List<String> names(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    static PodSpecBuilder pod(String name, String schedulerName) {
        return new PodSpecBuilder(name, schedulerName);
    }

    /** A pending pod as the tests need them: {@code pod("p", ...).cpu("2").gpus(1).selector(...)}. */
    static final class PodSpecBuilder {
        final String name;
        private final String schedulerName;
        private final Map<String, Quantity> requests = new LinkedHashMap<>();
        private final Map<String, String> labels = new LinkedHashMap<>();
        private final Map<String, String> selector = new LinkedHashMap<>();
        private final List<Toleration> tolerations = new ArrayList<>();
        private Integer priority;
        private String nodeName;

        PodSpecBuilder(String name, String schedulerName) {
            this.name = name;
            this.schedulerName = schedulerName;
        }

        PodSpecBuilder cpu(String amount) {
            requests.put("cpu", new Quantity(amount));
            return this;
        }

        PodSpecBuilder memory(String amount) {
            requests.put("memory", new Quantity(amount));
            return this;
        }

        PodSpecBuilder gpus(int n) {
            requests.put("nvidia.com/gpu", new Quantity(Integer.toString(n)));
            return this;
        }

        PodSpecBuilder tolerateGpus() {
            tolerations.add(new Toleration("NoSchedule", "nvidia.com/gpu", "Exists", null, null));
            return this;
        }

        PodSpecBuilder selector(String key, String value) {
            selector.put(key, value);
            return this;
        }

        PodSpecBuilder label(String key, String value) {
            labels.put(key, value);
            return this;
        }

        PodSpecBuilder priority(int value) {
            priority = value;
            return this;
        }

        PodSpecBuilder on(String node) {
            nodeName = node;
            return this;
        }

        Pod build() {
            return copyAs(name, schedulerName);
        }

        Pod copyAs(String podName, String scheduler) {
            return new PodBuilder().withNewMetadata().withName(podName).withNamespace(NS).withLabels(labels).endMetadata()
                    .withNewSpec().withSchedulerName(scheduler).withNodeName(nodeName).withPriority(priority)
                    .withNodeSelector(selector.isEmpty() ? null : selector).withTolerations(tolerations)
                    .addNewContainer().withName("main").withImage("busybox").withNewResources()
                    .withRequests(requests).withLimits(requests.containsKey("nvidia.com/gpu")
                            ? Map.of("nvidia.com/gpu", requests.get("nvidia.com/gpu")) : null)
                    .endResources().endContainer().endSpec()
                    .withNewStatus().withPhase(nodeName == null ? "Pending" : "Running").endStatus().build();
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
