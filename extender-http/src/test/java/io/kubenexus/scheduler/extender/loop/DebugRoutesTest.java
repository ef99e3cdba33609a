package io.kubenexus.scheduler.extender.loop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubenexus.scheduler.extender.server.HealthReport;
import io.kubenexus.scheduler.extender.server.HttpServerSettings;
import io.kubenexus.scheduler.extender.server.SchedulerHttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** /debug/explain and /debug/gangs over a real loopback server, with the loop's answers fixed. */
class DebugRoutesTest {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private SchedulerHttpServer server;

    @BeforeEach
    void start() throws Exception {
        server = new SchedulerHttpServer(HttpServerSettings.loopback(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                () -> new HealthReport(true, true, "LEADING", Instant.EPOCH, "r"), List.of(new DebugRoutes(new FakeQueries(250))));
        server.start().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void explainAnswersThePodsExplanationAsJson() throws Exception {
        HttpResponse<String> response = get("/debug/explain?namespace=jobs&name=etl-driver");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = SchedulerHttpServer.JSON.readTree(response.body());
        assertThat(body.get("key").asText()).isEqualTo("jobs/etl-driver");
        assertThat(body.get("state").asText()).isEqualTo("UNSCHEDULABLE");
        assertThat(body.get("lastUnschedulableMessage").asText()).isEqualTo(FakeQueries.MESSAGE);
        assertThat(body.get("nodeReasons").get("Insufficient cpu").asInt()).isEqualTo(40);
        assertThat(body.get("reasonsByPlugin").get("TaintToleration").size()).isOne();
        assertThat(body.get("gang").get("membersMissing").asInt()).isEqualTo(2);
    }

    @Test
    void anUnknownPodIsA404SayingSo() throws Exception {
        HttpResponse<String> response = get("/debug/explain?namespace=jobs&name=nobody");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(SchedulerHttpServer.JSON.readTree(response.body()).get("error").asText())
                .startsWith("the scheduler knows no pod jobs/nobody");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "/debug/explain                                 | namespace: missing",
        "/debug/explain?namespace=jobs                  | name: missing",
        "/debug/explain?namespace=Jobs_1&name=p         | namespace: not a namespace name 'Jobs_1'",
        "/debug/explain?namespace=jobs&name=%2E%2E%2Fx   | name: not a pod name '../x'",
        "/debug/gangs?limit=0                           | limit: must be a whole number 1..1000, was '0'",
        "/debug/gangs?limit=many                        | limit: must be a whole number 1..1000, was 'many'",
    })
    void badParametersAre400sNamingTheParameter(String path, String error) throws Exception {
        HttpResponse<String> response = get(path);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(SchedulerHttpServer.JSON.readTree(response.body()).get("error").asText()).startsWith(error);
        assertThat(get("/debug/explain?namespace=jobs&name=etl-driver").statusCode()).as("still serving").isEqualTo(200);
    }

    @Test
    void gangsArePagedByTheIdToContinueAfterUntilTheLastPage() throws Exception {
        List<String> seen = new ArrayList<>();
        String next = null;
        int pages = 0;
        do {
            JsonNode page = SchedulerHttpServer.JSON.readTree(get("/debug/gangs?limit=100"
                    + (next == null ? "" : "&continue=" + next)).body());
            assertThat(page.get("total").asInt()).isEqualTo(250);
            page.get("items").forEach(item -> seen.add(item.get("groupId").asText()));
            next = page.get("continue").isNull() ? null : page.get("continue").asText();
            pages++;
        } while (next != null);

        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(250).doesNotHaveDuplicates().isSorted();
        assertThat(seen.get(0)).isEqualTo("jobs/g-000");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
