package io.kubenexus.scheduler.extender.protocol;

import static io.kubenexus.scheduler.extender.protocol.NodeListFixture.resourceText;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Garbage in, a 4xx JSON error out, nothing reaches the backend, and the server keeps serving: random
 * bytes, truncated requests, type-confused fields, wrong methods and unknown paths, on every verb.
 * Seeded, so a failure names the case that reproduces it.
 */
class ExtenderProtocolFuzzTest {
    private static final long SEED = 20261207L;
    private static final int CASES = 1500;

    /** A valid body per verb, and the fields it reads, each with wrong-typed values for it. */
    private record Target(String verb, String body, List<Confusion> confusions) {
    }

    /** A path into the body (object keys, or array indexes as numbers) and values of the wrong type there. */
    private record Confusion(List<Object> path, List<Object> wrong) {
    }

    private static final Object NULL = new Object();
    private static final List<Object> NOT_OBJECT = List.of("x", 7, true, new JsonArray());
    private static final List<Object> NOT_ARRAY = List.of("x", 7, true, new JsonObject());
    private static final List<Object> NOT_REQUIRED_STRING = List.of(7, true, new JsonObject(), new JsonArray(), NULL, "");
    private static final List<Object> NOT_STRING = List.of(7, 1.5, false, new JsonObject(), new JsonArray());
    private static final List<Object> NOT_INTEGER = List.of("1", 1.5, true, new JsonObject(), new JsonArray());
    private static final List<Object> NOT_OBJECT_OR_NULL = List.of("x", 7, true, new JsonArray(), NULL);

    private static ExtenderTestServer server;
    private static List<Target> targets;

    @BeforeAll
    static void start() {
        server = new ExtenderTestServer();
        String namesRequest = resourceText("filter-nodenames-request.json");
        String nodesRequest = resourceText("filter-nodes-request.json");
        List<Confusion> names = List.of(
                new Confusion(List.of("Pod"), NOT_OBJECT),
                new Confusion(List.of("Pod", "metadata"), NOT_OBJECT),
                new Confusion(List.of("NodeNames"), NOT_ARRAY),
                new Confusion(List.of("NodeNames", 1), NOT_REQUIRED_STRING));
        List<Confusion> nodes = List.of(
                new Confusion(List.of("Pod"), NOT_OBJECT),
                new Confusion(List.of("Nodes"), NOT_OBJECT),
                new Confusion(List.of("Nodes", "items"), NOT_ARRAY),
                new Confusion(List.of("Nodes", "items", 2), NOT_OBJECT_OR_NULL),
                new Confusion(List.of("Nodes", "items", 0, "metadata"), NOT_OBJECT_OR_NULL),
                new Confusion(List.of("Nodes", "items", 1, "metadata", "name"), NOT_REQUIRED_STRING));
        List<Confusion> preempt = List.of(
                new Confusion(List.of("Pod"), NOT_OBJECT),
                new Confusion(List.of("NodeNameToMetaVictims"), NOT_OBJECT),
                new Confusion(List.of("NodeNameToMetaVictims", "gpu-b1"), NOT_OBJECT_OR_NULL),
                new Confusion(List.of("NodeNameToMetaVictims", "gpu-b1", "Pods"), NOT_ARRAY),
                new Confusion(List.of("NodeNameToMetaVictims", "gpu-b1", "Pods", 0), NOT_OBJECT_OR_NULL),
                new Confusion(List.of("NodeNameToMetaVictims", "gpu-a1", "Pods", 0, "UID"), NOT_REQUIRED_STRING),
                new Confusion(List.of("NodeNameToMetaVictims", "gpu-a1", "NumPDBViolations"), NOT_INTEGER));
        List<Confusion> preemptPods = List.of(
                new Confusion(List.of("NodeNameToVictims", "gpu-b1", "Pods", 1), NOT_OBJECT_OR_NULL),
                new Confusion(List.of("NodeNameToVictims", "gpu-b1", "Pods", 1, "metadata", "uid"), NOT_REQUIRED_STRING));
        List<Confusion> bind = List.of(
                new Confusion(List.of("PodName"), NOT_REQUIRED_STRING),
                new Confusion(List.of("PodNamespace"), NOT_REQUIRED_STRING),
                new Confusion(List.of("Node"), NOT_REQUIRED_STRING),
                new Confusion(List.of("PodUID"), NOT_STRING));
        targets = List.of(
                new Target("filter", namesRequest, names),
                new Target("filter", nodesRequest, nodes),
                new Target("prioritize", namesRequest, names),
                new Target("prioritize", nodesRequest, nodes),
                new Target("bind", resourceText("bind-request.json"), bind),
                new Target("preempt", resourceText("preempt-metavictims-request.json"), preempt),
                new Target("preempt", resourceText("preempt-victims-request.json"), preemptPods));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void everyGarbageRequestIsA4xxJsonErrorAndTheNextGoodOneSucceeds() {
        Random random = new Random(SEED);
        for (int i = 0; i < CASES; i++) {
            Target target = targets.get(random.nextInt(targets.size()));
            int kind = random.nextInt(10);
            String description;
            HttpResponse<String> response;
            int callsBefore = server.backend.calls.size();
            if (kind < 3) {
                int length = random.nextInt(target.body().length());
                description = target.verb() + " truncated to " + length + " bytes";
                response = server.post("/extender/" + target.verb(), target.body().substring(0, length));
            } else if (kind < 5) {
                byte[] noise = new byte[random.nextInt(300)];
                random.nextBytes(noise);
                if (noise.length > 0 && random.nextBoolean()) {
                    noise[0] = '{';
                }
                description = target.verb() + " with " + noise.length + " random bytes";
                response = server.post("/extender/" + target.verb(), noise);
            } else if (kind < 9) {
                Confusion confusion = target.confusions().get(random.nextInt(target.confusions().size()));
                Object wrong = confusion.wrong().get(random.nextInt(confusion.wrong().size()));
                String body = replace(target.body(), confusion.path(), wrong);
                description = target.verb() + " with " + confusion.path() + " = " + (wrong == NULL ? "null" : wrong);
                response = server.post("/extender/" + target.verb(), body);
            } else {
                String method = List.of("GET", "PUT", "DELETE", "PATCH", "POST").get(random.nextInt(5));
                String path = method.equals("POST")
                        ? "/extender/" + target.verb() + "x" + random.nextInt(100)
                        : "/extender/" + target.verb();
                description = method + " " + path;
                response = server.send(HttpRequest.newBuilder(server.uri(path))
                        .method(method, HttpRequest.BodyPublishers.ofString(target.body())));
            }
            String context = "case " + i + " (seed " + SEED + "): " + description + " -> " + response.body();
            assertThat(response.statusCode()).as(context).isBetween(400, 499);
            assertThat(response.headers().firstValue("content-type")).as(context).hasValue("application/json");
            JsonObject error = new JsonObject(response.body());
            assertThat(error.fieldNames()).as(context).containsExactly("error");
            assertThat(error.getString("error")).as(context).isNotBlank();
            assertThat(server.backend.calls).as(context).hasSize(callsBefore);

            Target good = targets.get(random.nextInt(targets.size()));
            HttpResponse<String> ok = server.post("/extender/" + good.verb(), good.body());
            assertThat(ok.statusCode()).as("good request after " + context).isEqualTo(200);
        }
    }

    /** {@code body} with the value at {@code path} replaced by {@code value}. */
    private static String replace(String body, List<Object> path, Object value) {
        JsonObject root = new JsonObject(body);
        Object parent = root;
        for (int i = 0; i < path.size() - 1; i++) {
            parent = step(parent, path.get(i));
        }
        Object last = path.get(path.size() - 1);
        Object json = value == NULL ? null : copy(value);
        if (parent instanceof JsonObject object) {
            object.put((String) last, json);
        } else {
            ((JsonArray) parent).set((Integer) last, json);
        }
        return root.encode();
    }

    private static Object step(Object parent, Object key) {
        return parent instanceof JsonObject object ? object.getValue((String) key) : ((JsonArray) parent).getValue((Integer) key);
    }

    private static Object copy(Object value) {
        if (value instanceof JsonObject object) {
            return object.copy();
        }
        if (value instanceof JsonArray array) {
            return array.copy();
        }
        return value;
    }
}
