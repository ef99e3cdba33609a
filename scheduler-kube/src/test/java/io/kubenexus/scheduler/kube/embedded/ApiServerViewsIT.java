package io.kubenexus.scheduler.kube.embedded;

import static io.kubenexus.scheduler.kube.testing.PodObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What kubectl reads from the embedded API, over plain HTTP as kubectl sends it. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ApiServerViewsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NS = "spark-jobs";
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
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

    @Test
    void discoveryDocumentsNameEveryGroupAndResource() throws Exception {
        JsonNode core = get("/api", null);
        assertThat(core.path("kind").asText()).isEqualTo("APIVersions");
        assertThat(core.path("versions").get(0).asText()).isEqualTo("v1");
        JsonNode v1 = get("/api/v1", null);
        assertThat(names(v1.path("resources"))).contains("pods", "pods/status", "pods/binding", "nodes", "events",
                "namespaces");
        JsonNode groups = get("/apis", null);
        assertThat(names(groups.path("groups"))).contains("scheduling.k8s.io", "scheduling.x-k8s.io",
                "sparkoperator.k8s.io", "coordination.k8s.io", "events.k8s.io", "topology.node.k8s.io", "policy");
        JsonNode spark = get("/apis/sparkoperator.k8s.io/v1beta2", null);
        assertThat(spark.path("resources").get(0).path("kind").asText()).isEqualTo("SparkApplication");
        assertThat(spark.path("resources").get(0).path("shortNames").get(0).asText()).isEqualTo("sparkapp");
        assertThat(status("/apis/apps/v1")).isEqualTo(404);
        JsonNode openApi = get("/openapi/v3", null);
        assertThat(openApi.path("paths").has("apis/sparkoperator.k8s.io/v1beta2")).isTrue();
    }

    @Test
    void listsAreTypedFilteredAndPrintedAsTables() throws Exception {
        client.pods().inNamespace(NS).resource(pod("a").namespace(NS).forCreate().build()).create();
        client.pods().inNamespace(NS).resource(pod("b").namespace(NS).forCreate().build()).create();
        for (String involved : List.of("a", "b")) {
            client.v1().events().inNamespace(NS).resource(new EventBuilder().withNewMetadata()
                    .withName(involved + ".1").endMetadata().withNewInvolvedObject().withKind("Pod").withName(involved)
                    .withNamespace(NS).endInvolvedObject().withReason("Scheduled").withType("Normal").build()).create();
        }
        JsonNode events = get("/api/v1/namespaces/" + NS + "/events?fieldSelector=involvedObject.name%3Da", null);
        assertThat(events.path("kind").asText()).isEqualTo("EventList");
        assertThat(events.path("items")).hasSize(1);
        assertThat(events.path("items").get(0).path("involvedObject").path("name").asText()).isEqualTo("a");

        JsonNode table = get("/api/v1/namespaces/" + NS + "/pods",
                "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
        assertThat(table.path("kind").asText()).isEqualTo("Table");
        assertThat(names(table.path("columnDefinitions"))).containsExactly("Name", "Ready", "Status", "Restarts", "Age",
                "IP", "Node", "Nominated Node", "Readiness Gates");
        assertThat(table.path("rows")).hasSize(2);
        assertThat(table.path("rows").get(0).path("cells").get(2).asText()).isEqualTo("Pending");
        assertThat(table.path("rows").get(0).path("cells").get(6).asText()).isEqualTo("<none>");
    }

    @Test
    void mergePatchReplacesListsInsteadOfAppending() {
        client.pods().inNamespace(NS).resource(pod("p").namespace(NS).forCreate().build()).create();
        String condition = "{\"status\":{\"conditions\":[{\"type\":\"PodScheduled\",\"status\":\"False\"}]}}";
        for (int i = 0; i < 3; i++) {
            client.pods().inNamespace(NS).withName("p").subresource("status")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), condition);
        }
        assertThat(client.pods().inNamespace(NS).withName("p").get().getStatus().getConditions()).hasSize(1);
    }

    @Test
    void strategicMergePatchIsApplied() {
        client.pods().inNamespace(NS).resource(pod("p").namespace(NS).forCreate().build()).create();
        client.pods().inNamespace(NS).withName("p").patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
                "{\"metadata\":{\"labels\":{\"team\":\"a\"}}}");
        assertThat(client.pods().inNamespace(NS).withName("p").get().getMetadata().getLabels()).containsEntry("team", "a");
    }

    @Test
    void humanDurationsReadAsKubectlPrintsThem() {
        assertThat(TableView.humanDuration(Duration.ofSeconds(42))).isEqualTo("42s");
        assertThat(TableView.humanDuration(Duration.ofSeconds(190))).isEqualTo("3m10s");
        assertThat(TableView.humanDuration(Duration.ofMinutes(25))).isEqualTo("25m");
        assertThat(TableView.humanDuration(Duration.ofMinutes(303))).isEqualTo("5h3m");
        assertThat(TableView.humanDuration(Duration.ofDays(3))).isEqualTo("3d");
    }

    private JsonNode get(String path, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.url().replaceAll("/$", "") + path))
                .timeout(Duration.ofSeconds(10));
        if (accept != null) {
            request.header("Accept", accept);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        return JSON.readTree(response.body());
    }

    private int status(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(api.url().replaceAll("/$", "") + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static List<String> names(JsonNode list) {
        List<String> names = new ArrayList<>();
        list.forEach(entry -> names.add(entry.path("name").asText()));
        return names;
    }
}
