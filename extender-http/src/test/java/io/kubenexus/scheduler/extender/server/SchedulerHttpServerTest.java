package io.kubenexus.scheduler.extender.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.http.HttpHeaders;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The server's own endpoints over a real loopback connection: metrics, probes, and errors as JSON. */
class SchedulerHttpServerTest {
    private static final Instant SINCE = Instant.parse("2026-12-07T10:00:00Z");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicReference<HealthReport> health =
            new AtomicReference<>(new HealthReport(true, true, "LEADING", SINCE, "replica-0_1"));
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private SchedulerHttpServer server;

    @BeforeEach
    void start() throws Exception {
        Counter.builder("kubenexus.test.events").register(registry).increment(3);
        server = new SchedulerHttpServer(HttpServerSettings.loopback(), registry, health::get, List.of());
        server.start().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void metricsAreServedInThePrometheusTextFormat() throws Exception {
        HttpResponse<String> response = get("/metrics", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.body()).contains("# TYPE kubenexus_test_events_total counter")
                .contains("kubenexus_test_events_total 3.0");
    }

    @Test
    void openMetricsIsServedWhenTheAcceptHeaderAsksForIt() throws Exception {
        HttpResponse<String> response = get("/metrics",
                "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type").orElseThrow()).startsWith("application/openmetrics-text");
        assertThat(response.body()).contains("# TYPE kubenexus_test_events counter").endsWith("# EOF\n");
    }

    @ParameterizedTest(name = "{0}: live={1} synced={2} {3} -> {4}")
    @CsvSource({
        "/readyz,  true,  true,  LEADING, 200",
        "/readyz,  true,  true,  STANDBY, 200",
        "/readyz,  true,  false, LEADING, 503",
        "/readyz,  true,  true,  STOPPED, 503",
        "/livez,   true,  false, STOPPED, 200",
        "/livez,   false, true,  LEADING, 503",
        "/healthz, true,  false, STANDBY, 200",
        "/healthz, false, true,  LEADING, 503",
    })
    void probesAnswerByStatusCodeAndSayWhetherThisReplicaLeads(String path, boolean live, boolean synced,
                                                             String leadership, int status) throws Exception {
        health.set(new HealthReport(live, synced, leadership, SINCE, "replica-0_1"));

        HttpResponse<String> response = get(path, null);

        assertThat(response.statusCode()).isEqualTo(status);
        JsonNode body = SchedulerHttpServer.JSON.readTree(response.body());
        assertThat(body.get("status").asText()).isEqualTo(status == 200 ? "ok" : "failing");
        assertThat(body.get("leader").asBoolean()).isEqualTo(leadership.equals("LEADING"));
        assertThat(body.get("leadership").asText()).isEqualTo(leadership);
        assertThat(body.get("synced").asBoolean()).isEqualTo(synced);
        assertThat(body.get("identity").asText()).isEqualTo("replica-0_1");
        assertThat(body.get("since").asText()).isEqualTo("2026-12-07T10:00:00Z");
    }

    @Test
    void anUnknownPathIsA404WithAJsonErrorAndTheServerKeepsServing() throws Exception {
        HttpResponse<String> response = get("/nothing/here", null);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(SchedulerHttpServer.JSON.readTree(response.body()).get("error").asText())
                .isEqualTo("no such endpoint: GET /nothing/here");
        assertThat(get("/readyz", null).statusCode()).isEqualTo(200);
    }

    @Test
    void aWrongMethodIsA405NamingTheAllowedOne() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/metrics"))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue(HttpHeaders.ALLOW.toString())).hasValue("GET");
        assertThat(SchedulerHttpServer.JSON.readTree(response.body()).get("error").asText())
                .isEqualTo("method POST is not allowed on /metrics; allowed: GET");
    }

    @Test
    void aClientAskingForACleartextHttp2UpgradeIsAnsweredInHttp11() throws Exception {
        // The JDK's client asks for h2c by default; Vert.x's upgrade path lost about one response in a
        // few hundred connections (a CI run hung on it), and no client of ours needs HTTP/2.
        HttpClient asksForUpgrade = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();

        HttpResponse<String> response = asksForUpgrade.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/readyz"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    }

    private HttpResponse<String> get(String path, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).GET()
                .timeout(Duration.ofSeconds(10));
        if (accept != null) {
            request.header("Accept", accept);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
