package io.kubenexus.scheduler.kube.embedded;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What kubectl needs from an API server beyond stored objects, put in front of the mock's CRUD
 * handling: discovery documents ({@link ApiDiscovery}), server-side printing for
 * {@code kubectl get} ({@link TableView}), field selectors on lists ({@link FieldSelector}), JSON
 * merge patch as RFC 7386 says and strategic merge patch ({@link ObjectPatches}, which
 * {@code kubectl apply} sends for an object that already exists), and OpenAPI v3 documents that
 * say only which PATCH operations accept {@code fieldValidation} (enough for kubectl to send
 * objects without a client-side schema; nothing is validated here). Lists are named by their kind
 * ({@code EventList}, not the mock's {@code List}), as typed clients decode them. Everything else goes
 * to the mock unchanged.
 *
 * <p>Called on the mock's dispatcher threads; holds no state of its own.
 */
final class ApiServerViews {
    private static final Pattern WATCH = Pattern.compile("[?&]watch=(true|1)(&|$)");
    private static final String MERGE_PATCH = "merge-patch+json";
    private static final String STRATEGIC_MERGE_PATCH = "strategic-merge-patch+json";
    private static final int MAX_PATCH_ATTEMPTS = 5;

    private final ApiDiscovery discovery;
    private final TableView tables;
    private final KubernetesCrudDispatcher store;
    private final ObjectMapper mapper = new ObjectMapper();

    /** @param store the mock's CRUD handling, for the read and write of a merge patch */
    ApiServerViews(ApiDiscovery discovery, Clock clock, KubernetesCrudDispatcher store) {
        this.discovery = Objects.requireNonNull(discovery, "discovery");
        this.tables = new TableView(clock);
        this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * Answers {@code request}, with {@code mock} answering whatever is not changed here.
     */
    MockResponse dispatch(RecordedRequest request, Function<RecordedRequest, MockResponse> mock) {
        MockResponse response = answer(request, mock);
        // The mock sends no Content-Type; a client that asked for protobuf first (kubectl describe)
        // then tries to read JSON as protobuf.
        if (response.getWebSocketListener() == null && response.header("Content-Type") == null) {
            response.setHeader("Content-Type", "application/json");
        }
        return response;
    }

    private MockResponse answer(RecordedRequest request, Function<RecordedRequest, MockResponse> mock) {
        String fullPath = request.getPath() == null ? "" : request.getPath();
        int query = fullPath.indexOf('?');
        String path = query < 0 ? fullPath : fullPath.substring(0, query);
        String method = request.getMethod() == null ? "" : request.getMethod().toUpperCase(Locale.ROOT);
        if ("GET".equals(method)) {
            if (ApiDiscovery.isDiscoveryPath(path)) {
                Optional<String> document = discovery.document(path);
                return document.map(body -> json(HttpURLConnection.HTTP_OK, body))
                        .orElseGet(() -> notFound("the server could not find the requested resource"));
            }
            if (path.startsWith("/openapi/") || "/swagger.json".equals(path)) {
                return discovery.openApiV3(path).map(body -> json(HttpURLConnection.HTTP_OK, body))
                        .orElseGet(() -> notFound("the embedded API serves OpenAPI v3 without schemas only"));
            }
            if (WATCH.matcher(fullPath).find()) {
                return mock.apply(request);
            }
            return view(request, fullPath, path, mock);
        }
        if ("PATCH".equals(method)) {
            String type = Objects.toString(request.getHeader("Content-Type"), "");
            if (type.contains(STRATEGIC_MERGE_PATCH)) {
                return patch(path, request.getUtf8Body(), true);
            }
            if (type.contains(MERGE_PATCH)) {
                return patch(path, request.getUtf8Body(), false);
            }
        }
        return mock.apply(request);
    }

    /** A GET answered by the mock, then filtered by its field selector and printed as a Table when asked. */
    private MockResponse view(RecordedRequest request, String fullPath, String path,
                              Function<RecordedRequest, MockResponse> mock) {
        Optional<ResourcePath> resource = ResourcePath.parse(path);
        FieldSelector selector;
        try {
            selector = FieldSelector.fromQuery(fullPath);
        } catch (IllegalArgumentException e) {
            return status(HttpURLConnection.HTTP_BAD_REQUEST, "BadRequest", e.getMessage());
        }
        boolean table = TableView.wanted(request.getHeader("Accept"));
        // The mock reads a few field selectors itself and answers nothing for the rest (involvedObject.*):
        // it gets the request without one, and the selector is applied here.
        MockResponse response = mock.apply(selector == null ? request : new RecordedRequest(request.getHttpVersion(),
                request.method(), FieldSelector.withoutSelector(fullPath), request.getHeaders(), request.getBody()));
        Optional<ApiDiscovery.Resource> known = resource.flatMap(r -> discovery.resource(r.group(), r.version(),
                r.resource()));
        boolean typedList = known.isPresent() && resource.get().isList() && resource.get().subresource().isEmpty();
        if (resource.isEmpty() || (selector == null && !table && !typedList)
                || response.code() != HttpURLConnection.HTTP_OK) {
            return response;
        }
        JsonNode body;
        try {
            body = mapper.readTree(response.getBody().readUtf8());
        } catch (JsonProcessingException | RuntimeException e) {
            return response;
        }
        if (selector != null && body.path("items").isArray()) {
            ArrayNode kept = mapper.createArrayNode();
            body.get("items").forEach(item -> {
                if (selector.matches(item)) {
                    kept.add(item);
                }
            });
            ((ObjectNode) body).set("items", kept);
        }
        if (typedList && body.isObject() && "List".equals(body.path("kind").asText())) {
            // The mock calls every list "List"; typed clients (kubectl describe's Events) decode "EventList".
            ((ObjectNode) body).put("kind", known.get().kind() + "List");
        }
        return json(HttpURLConnection.HTTP_OK, table ? tables.render(resource.get(), body) : body.toString());
    }

    /** Reads the object, applies the patch and writes it back with the read resourceVersion; retried on a conflict. */
    private MockResponse patch(String path, String patchBody, boolean strategic) {
        JsonNode patch;
        try {
            patch = mapper.readTree(patchBody);
        } catch (JsonProcessingException e) {
            return status(HttpURLConnection.HTTP_BAD_REQUEST, "BadRequest", "invalid patch: " + e.getOriginalMessage());
        }
        if (patch == null || !patch.isObject()) {
            return status(HttpURLConnection.HTTP_BAD_REQUEST, "BadRequest", "a merge patch must be a JSON object");
        }
        // Without a resourceVersion of its own the patch applies to whatever is stored now (the API
        // server's behaviour), so a conflict with a concurrent writer is retried, not returned.
        boolean optimistic = patch.path("metadata").hasNonNull("resourceVersion");
        String objectPath = path.endsWith("/status") ? path.substring(0, path.length() - "/status".length()) : path;
        MockResponse written = null;
        for (int attempt = 0; attempt < MAX_PATCH_ATTEMPTS; attempt++) {
            MockResponse current = store.handleGet(objectPath);
            if (current.code() != HttpURLConnection.HTTP_OK) {
                return current;
            }
            JsonNode stored;
            try {
                stored = mapper.readTree(current.getBody().readUtf8());
            } catch (JsonProcessingException e) {
                return status(HttpURLConnection.HTTP_INTERNAL_ERROR, "InternalError", "stored object unreadable");
            }
            JsonNode merged = strategic ? ObjectPatches.strategicMergePatch(stored, patch)
                    : ObjectPatches.mergePatch(stored, patch);
            written = store.handleUpdate(new RecordedRequest("HTTP/1.1", HttpMethod.PUT, path,
                    Headers.builder().add("Content-Type", "application/json").build(),
                    new Buffer(merged.toString().getBytes(StandardCharsets.UTF_8))));
            if (written.code() != HttpURLConnection.HTTP_CONFLICT || optimistic) {
                return written;
            }
        }
        return written;
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body);
    }

    private MockResponse notFound(String message) {
        return status(HttpURLConnection.HTTP_NOT_FOUND, "NotFound", message);
    }

    private MockResponse status(int code, String reason, String message) {
        ObjectNode status = mapper.createObjectNode().put("kind", "Status").put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Failure").put("message", message).put("reason", reason).put("code", code);
        return json(code, status.toString());
    }
}
