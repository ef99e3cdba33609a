package io.kubenexus.scheduler.extender.protocol;

import static io.kubenexus.scheduler.extender.protocol.NodeListFixture.resource;
import static io.kubenexus.scheduler.extender.protocol.NodeListFixture.resourceText;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import io.kubenexus.scheduler.core.query.NodeVictims;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The four verbs round-tripped through a real Vert.x server and a real HTTP client, byte for byte. */
class ExtenderRoutesTest {
    private static ExtenderTestServer server;
    private FakeBackend backend;

    @BeforeAll
    static void start() {
        server = new ExtenderTestServer();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @BeforeEach
    void resetBackend() {
        backend = server.backend;
        backend.calls.clear();
        FakeBackend fresh = new FakeBackend();
        backend.filter = fresh.filter;
        backend.prioritize = fresh.prioritize;
        backend.bind = fresh.bind;
        backend.preempt = fresh.preempt;
    }

    @Test
    void filterInNodeNamesModeAnswersNamesWithGoEscapingAndSortedFailures() {
        backend.filter = (pod, nodes) -> CompletableFuture.completedFuture(new FilterVerdicts(
                List.of("gpu-b1"),
                Map.of("gpu-a1", "Insufficient nvidia.com/gpu"),
                Map.of("gpu-c1", "gang <ml/train> needs 3 nodes in one zone & more")));

        HttpResponse<String> response = server.post("/extender/filter", resource("filter-nodenames-request.json"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(response.body()).isEqualTo("{\"Nodes\":null,\"NodeNames\":[\"gpu-b1\"],"
                + "\"FailedNodes\":{\"gpu-a1\":\"Insufficient nvidia.com/gpu\"},"
                + "\"FailedAndUnresolvableNodes\":{\"gpu-c1\":\"gang \\u003cml/train\\u003e needs 3 nodes in one zone \\u0026 more\"},"
                + "\"Error\":\"\"}");
        assertThat(backend.calls).singleElement().satisfies(call -> {
            assertThat(call.verb()).isEqualTo("filter");
            assertThat(call.pod().getMetadata().getName()).isEqualTo("train-0");
            assertThat(call.pod().getSpec().getContainers().get(0).getResources().getRequests())
                    .containsKey("nvidia.com/gpu");
            assertThat(call.arguments()).isEqualTo(List.of("gpu-a1", "gpu-b1", "gpu-c1"));
        });
    }

    @Test
    void filterInNodesModeEchoesThePassingNodesOriginalBytesInRequestOrder() {
        String request = resourceText("filter-nodes-request.json");
        List<String> items = fixtureItems(request);
        backend.filter = (pod, nodes) -> CompletableFuture.completedFuture(new FilterVerdicts(
                List.of("gpu-c1", "gpu-a1"), Map.of("gpu-b1", "zone us-east-1b is full"), Map.of()));

        HttpResponse<String> response = server.post("/extender/filter", request);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"Nodes\":{\"metadata\":{},\"items\":[" + items.get(0) + "," + items.get(2)
                + "]},\"NodeNames\":null,\"FailedNodes\":{\"gpu-b1\":\"zone us-east-1b is full\"},"
                + "\"FailedAndUnresolvableNodes\":{},\"Error\":\"\"}");
    }

    @Test
    void filterOfAThousandFullNodesEchoesExactlyTheFeasibleOnes() {
        List<String> nodes = NodeListFixture.nodeJsons(1000, 42);
        backend.filter = (pod, names) -> {
            List<String> feasible = new ArrayList<>();
            Map<String, String> failed = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                if (i % 3 == 0) {
                    feasible.add(names.get(i));
                } else {
                    failed.put(names.get(i), "no room");
                }
            }
            return CompletableFuture.completedFuture(new FilterVerdicts(feasible, failed, Map.of()));
        };

        HttpResponse<String> response = server.post("/extender/filter", NodeListFixture.nodesRequest(nodes));

        assertThat(response.statusCode()).isEqualTo(200);
        StringBuilder expected = new StringBuilder("{\"Nodes\":{\"metadata\":{},\"items\":[");
        StringBuilder failed = new StringBuilder();
        for (int i = 0; i < nodes.size(); i++) {
            if (i % 3 == 0) {
                expected.append(i == 0 ? "" : ",").append(nodes.get(i));
            } else {
                failed.append(failed.length() == 0 ? "" : ",").append(String.format("\"node-%04d\":\"no room\"", i));
            }
        }
        expected.append("]},\"NodeNames\":null,\"FailedNodes\":{").append(failed)
                .append("},\"FailedAndUnresolvableNodes\":{},\"Error\":\"\"}");
        assertThat(response.body()).isEqualTo(expected.toString());
        @SuppressWarnings("unchecked")
        List<String> names = (List<String>) backend.calls.get(0).arguments();
        assertThat(names).hasSize(1000).startsWith("node-0000", "node-0001").endsWith("node-0999");
    }

    @Test
    void prioritizeAnswersAHostPriorityListInRequestOrder() {
        backend.prioritize = (pod, nodes) -> CompletableFuture.completedFuture(Map.of("gpu-c1", 10, "gpu-a1", 7));

        HttpResponse<String> names = server.post("/extender/prioritize", resource("filter-nodenames-request.json"));
        HttpResponse<String> objects = server.post("/extender/prioritize", resource("filter-nodes-request.json"));

        String expected = "[{\"Host\":\"gpu-a1\",\"Score\":7},{\"Host\":\"gpu-c1\",\"Score\":10}]";
        assertThat(names.statusCode()).isEqualTo(200);
        assertThat(names.body()).isEqualTo(expected);
        assertThat(objects.statusCode()).isEqualTo(200);
        assertThat(objects.body()).isEqualTo(expected);
        assertThat(backend.calls).extracting(FakeBackend.Call::arguments)
                .containsOnly(List.of("gpu-a1", "gpu-b1", "gpu-c1"));
    }

    @Test
    void prioritizeWithNoScoresAnswersAnEmptyList() {
        backend.prioritize = (pod, nodes) -> CompletableFuture.completedFuture(Map.of());

        assertThat(server.post("/extender/prioritize", resource("filter-nodenames-request.json")).body()).isEqualTo("[]");
    }

    @Test
    void bindPassesTheBindingArgsAndAnswersAnEmptyError() {
        HttpResponse<String> response = server.post("/extender/bind", resource("bind-request.json"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"Error\":\"\"}");
        assertThat(backend.calls).singleElement().extracting(FakeBackend.Call::arguments)
                .isEqualTo(new BindingArgs("train-0", "ml", "6f1c2f9e-1b0e-4d39-9d0b-8a3e0c1f2a10", "gpu-b1"));
    }

    @Test
    void aRefusedBindIsA200WithTheReasonInError() {
        backend.bind = (args, unused) -> CompletableFuture.completedFuture(
                BindVerdict.refused("gang ml/train: 2 of 3 members placed, hold limit reached"));

        HttpResponse<String> response = server.post("/extender/bind", resource("bind-request.json"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"Error\":\"gang ml/train: 2 of 3 members placed, hold limit reached\"}");
    }

    @Test
    void bindAnsweredLaterFromAnotherThreadIsDelivered() {
        backend.bind = (args, unused) -> CompletableFuture.supplyAsync(BindVerdict::bound,
                CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS));

        HttpResponse<String> response = server.post("/extender/bind", resource("bind-request.json"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"Error\":\"\"}");
    }

    @Test
    void preemptWithMetaVictimsAnswersTheBackendsVictimsAndPdbViolations() {
        backend.preempt = (pod, victims) -> CompletableFuture.completedFuture(
                Map.of("gpu-b1", new NodeVictims(List.of("uid-low-2"), 1)));

        HttpResponse<String> response = server.post("/extender/preempt", resource("preempt-metavictims-request.json"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(
                "{\"NodeNameToMetaVictims\":{\"gpu-b1\":{\"Pods\":[{\"UID\":\"uid-low-2\"}],\"NumPDBViolations\":1}}}");
        assertThat(backend.calls).singleElement().extracting(FakeBackend.Call::arguments).isEqualTo(
                Map.of("gpu-b1", List.of("uid-low-1", "uid-low-2"), "gpu-a1", List.of("uid-low-3")));
    }

    @Test
    void preemptWithWholeVictimPodsAnswersMetaVictimsSortedByNode() {
        HttpResponse<String> response = server.post("/extender/preempt", resource("preempt-victims-request.json"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"NodeNameToMetaVictims\":{"
                + "\"gpu-a1\":{\"Pods\":[{\"UID\":\"uid-low-3\"}],\"NumPDBViolations\":0},"
                + "\"gpu-b1\":{\"Pods\":[{\"UID\":\"uid-low-1\"},{\"UID\":\"uid-low-2\"}],\"NumPDBViolations\":0}}}");
    }

    @Test
    void preemptRejectingEveryNodeAnswersAnEmptyMap() {
        backend.preempt = (pod, victims) -> CompletableFuture.completedFuture(Map.of());

        assertThat(server.post("/extender/preempt", resource("preempt-metavictims-request.json")).body())
                .isEqualTo("{\"NodeNameToMetaVictims\":{}}");
    }

    static Stream<Arguments> backendFaults() {
        return Stream.of(
                Arguments.of("a failed stage", (Runnable) () -> server.backend.filter =
                        (pod, nodes) -> CompletableFuture.failedFuture(new IllegalStateException("scheduling loop stopped")),
                        "filter failed: scheduling loop stopped"),
                Arguments.of("a throwing method", (Runnable) () -> server.backend.filter = (pod, nodes) -> {
                    throw new IllegalStateException("not leader");
                }, "filter failed: not leader"),
                Arguments.of("a node that was not a candidate", (Runnable) () -> server.backend.filter =
                        (pod, nodes) -> CompletableFuture.completedFuture(FilterVerdicts.allFeasible(List.of("elsewhere"))),
                        "names node elsewhere, which was not a candidate"),
                Arguments.of("a null stage", (Runnable) () -> server.backend.filter = (pod, nodes) -> null,
                        "the backend returned no answer"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backendFaults")
    void aBackendFaultIsA500WithAJsonError(String name, Runnable fault, String message) {
        fault.run();

        HttpResponse<String> response = server.post("/extender/filter", resource("filter-nodenames-request.json"));

        assertJsonError(response, 500, message);
    }

    @Test
    void outOfRangeScoresAndUnproposedNodesAre500s() {
        backend.prioritize = (pod, nodes) -> CompletableFuture.completedFuture(Map.of("gpu-a1", 11));
        backend.preempt = (pod, victims) -> CompletableFuture.completedFuture(
                Map.of("gpu-z9", new NodeVictims(List.of("uid-low-1"), 0)));

        assertJsonError(server.post("/extender/prioritize", resource("filter-nodenames-request.json")), 500, "outside 0..10");
        assertJsonError(server.post("/extender/preempt", resource("preempt-metavictims-request.json")), 500,
                "preemption on node gpu-z9, which was not a candidate");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("wrongMethods")
    void anotherMethodOnAVerbIsA405WithAllow(String method, String path) {
        HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.uri(path))
                .method(method, HttpRequest.BodyPublishers.noBody()));

        assertThat(response.headers().firstValue("allow")).hasValue("POST");
        assertJsonError(response, 405, "method " + method + " is not allowed on " + path);
        assertThat(backend.calls).isEmpty();
    }

    static Stream<Arguments> wrongMethods() {
        return Arrays.stream(ExtenderVerb.values())
                .flatMap(verb -> Stream.of("GET", "PUT", "DELETE", "PATCH")
                        .map(method -> Arguments.of(method, "/extender/" + verb.path())));
    }

    @ParameterizedTest
    @MethodSource("unknownPaths")
    void anUnknownPathUnderThePrefixIsA404(String path) {
        assertJsonError(server.post(path, resource("bind-request.json")), 404, "no such endpoint: " + path);
        assertThat(backend.calls).isEmpty();
    }

    static Stream<String> unknownPaths() {
        return Stream.of("/extender", "/extender/", "/extender/predicates", "/extender/filter/extra", "/extender/Bind");
    }

    @Test
    void aBodyOverTheLimitIsA413AndTheServerStillServes() throws Exception {
        try (ExtenderTestServer small = new ExtenderTestServer("/kn/ext", 1024)) {
            byte[] big = NodeListFixture.nodesRequest(NodeListFixture.nodeJsons(40, 7));

            assertJsonError(small.post("/kn/ext/filter", big), 413,
                    "request body is larger than http.maxBodyBytes (1024 bytes)");
            assertThat(small.backend.calls).isEmpty();

            HttpResponse<String> good = small.post("/kn/ext/bind", resource("bind-request.json"));
            assertThat(good.statusCode()).isEqualTo(200);
            assertThat(good.body()).isEqualTo("{\"Error\":\"\"}");
        }
    }

    @Test
    void aBodyWithoutContentLengthIsReadWholeAndOverTheLimitIsA413() throws Exception {
        // The body is read into an array of the declared length; chunked bodies grow it instead.
        byte[] body = NodeListFixture.nodesRequest(NodeListFixture.nodeJsons(40, 7));
        try (ExtenderTestServer sized = new ExtenderTestServer("/kn/ext", body.length)) {
            sized.backend.filter = (pod, names) -> CompletableFuture.completedFuture(
                    new FilterVerdicts(names, Map.of(), Map.of()));

            HttpResponse<String> whole = sized.send(HttpRequest.newBuilder(sized.uri("/kn/ext/filter"))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));

            assertThat(whole.statusCode()).isEqualTo(200);
            assertThat(whole.body()).startsWith("{\"Nodes\":{\"metadata\":{},\"items\":[")
                    .contains(new String(body, StandardCharsets.UTF_8).substring(
                            new String(body, StandardCharsets.UTF_8).indexOf("\"items\":[") + 9,
                            new String(body, StandardCharsets.UTF_8).lastIndexOf("]},\"NodeNames\"")));
        }
        try (ExtenderTestServer small = new ExtenderTestServer("/kn/ext", body.length - 1)) {
            HttpResponse<String> over = small.send(HttpRequest.newBuilder(small.uri("/kn/ext/filter"))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));

            assertJsonError(over, 413, "request body is larger than http.maxBodyBytes");
            assertThat(small.backend.calls).isEmpty();
            assertThat(small.post("/kn/ext/bind", resource("bind-request.json")).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void theRoutesServeTheConfiguredPrefixOnly() throws Exception {
        try (ExtenderTestServer custom = new ExtenderTestServer("/kn/ext", 4096)) {
            assertThat(custom.routes.path(ExtenderVerb.BIND)).isEqualTo("/kn/ext/bind");
            assertThat(custom.post("/kn/ext/bind", resource("bind-request.json")).statusCode()).isEqualTo(200);
            assertThat(custom.post("/extender/bind", resource("bind-request.json")).statusCode()).isEqualTo(404);
        }
    }

    static void assertJsonError(HttpResponse<String> response, int status, String messagePart) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        JsonObject body = new JsonObject(response.body());
        assertThat(body.fieldNames()).containsExactly("error");
        assertThat(body.getString("error")).contains(messagePart);
    }

    /** The items of the fixture's {@code Nodes} list as the raw text the shell script wrote. */
    private static List<String> fixtureItems(String request) {
        int start = request.indexOf("\"items\":[") + "\"items\":[".length();
        int end = request.lastIndexOf("]},\"NodeNames\":null");
        String[] parts = request.substring(start, end).split(",(?=\\{\"metadata\":\\{\"name\":)");
        assertThat(parts).hasSize(3);
        return List.of(parts);
    }
}
