package io.kubenexus.scheduler.extender.loop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubenexus.scheduler.extender.metrics.MicrometerSchedulerMetrics;
import io.kubenexus.scheduler.extender.metrics.SchedulingRates;
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
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The cluster page and its snapshot over a real loopback server, with the loop's answers fixed. */
class ClusterPageRoutesTest {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final FakeQueries queries = new FakeQueries(0);
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();
    private SchedulerHttpServer server;

    @BeforeEach
    void start() throws Exception {
        new MicrometerSchedulerMetrics(registry).bind(io.kubenexus.scheduler.core.ports.BindOutcome.BOUND, 2_000_000);
        server = new SchedulerHttpServer(HttpServerSettings.loopback(), registry,
                () -> new HealthReport(true, true, "LEADING", Instant.EPOCH, "r"),
                List.of(new ClusterPageRoutes(queries, new SchedulingRates(registry), "pool", nanos::get)));
        server.start().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void thePageIsOneSelfContainedHtmlFileThatLoadsNothingFromElsewhere() throws Exception {
        HttpResponse<String> response = get("/");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        assertThat(response.headers().firstValue("content-security-policy").orElseThrow())
                .startsWith("default-src 'none'").contains("connect-src 'self'");
        assertThat(response.body()).contains("<title>kubenexus-scheduler · cluster</title>", "api/cluster")
                .doesNotContain("http://", "https://", "src=\"", "<link");
    }

    @Test
    void theSnapshotIsTheLoopsOverviewWithTheRatesOfTheSameRegistryAsMetrics() throws Exception {
        HttpResponse<String> response = get("/api/cluster");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("cache-control")).hasValue("no-store");
        JsonNode body = SchedulerHttpServer.JSON.readTree(response.body());
        JsonNode nodes = body.at("/overview/nodes");
        assertThat(nodes.get("names").toString()).isEqualTo("[\"gpu-0\",\"cpu-0\"]");
        assertThat(nodes.at("/resources/0/reserved").toString()).isEqualTo("[4000,0]");
        assertThat(body.at("/overview/groups/0/why").asText()).isEqualTo(FakeQueries.MESSAGE);
        assertThat(body.at("/overview/groups/0/waitingSince").asText()).isEqualTo("2026-12-07T10:00:00Z");
        assertThat(body.at("/overview/pending/reasons/0/reason").asText()).isEqualTo("Insufficient cpu");
        assertThat(body.at("/overview/zones").isNull()).isTrue();
        assertThat(body.at("/rates/boundTotal").asLong()).isEqualTo(1);
        assertThat(body.get("poolLabel").asText()).isEqualTo("pool");
        assertThat(queries.lastOverviewRequest.poolLabel()).isEqualTo("pool");
        assertThat(queries.lastOverviewRequest.zonesOfNode()).isNull();
        assertThat(queries.lastOverviewRequest.maxGroups()).isEqualTo(ClusterPageRoutes.MAX_GROUPS);
    }

    @Test
    void aNodeAskedForComesWithItsZones() throws Exception {
        JsonNode body = SchedulerHttpServer.JSON.readTree(get("/api/cluster?node=gpu-0").body());

        assertThat(queries.lastOverviewRequest.zonesOfNode()).isEqualTo("gpu-0");
        assertThat(body.at("/overview/zones/policy").asText()).isEqualTo("single-numa-node");
        assertThat(body.at("/overview/zones/zones/0/free/cpu").asLong()).isEqualTo(25000);
        assertThat(body.at("/overview/zones/zones/0/gpuIslands/nvl0").asInt()).isEqualTo(4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Node_1", "%2E%2E%2Fetc", "-a"})
    void aBadNodeNameIsA400NamingTheParameter(String node) throws Exception {
        HttpResponse<String> response = get("/api/cluster?node=" + node);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(SchedulerHttpServer.JSON.readTree(response.body()).get("error").asText()).startsWith("node: not a node name");
        assertThat(get("/api/cluster").statusCode()).as("still serving").isEqualTo(200);
    }

    @Test
    void pagesOpenAtOnceShareOneSnapshotASecondPerNode() throws Exception {
        get("/api/cluster");
        get("/api/cluster");
        assertThat(queries.overviewCalls).as("a second page within the second").hasValue(1);

        get("/api/cluster?node=gpu-0");
        assertThat(queries.overviewCalls).as("another node is another question").hasValue(2);

        nanos.addAndGet(ClusterPageRoutes.SHARE_NANOS);
        get("/api/cluster?node=gpu-0");
        assertThat(queries.overviewCalls).as("a second later").hasValue(3);
    }

    @Test
    void thePageIsReadOnly() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/cluster"))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(405);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
