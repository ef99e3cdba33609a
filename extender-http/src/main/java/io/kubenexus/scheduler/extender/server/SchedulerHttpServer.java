package io.kubenexus.scheduler.extender.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.kubenexus.scheduler.extender.http.JsonErrors;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The scheduler's one HTTP server (Vert.x): {@code /metrics} (Prometheus text, or OpenMetrics when
 * the Accept header asks for it), the probes {@code /healthz}, {@code /livez} and {@code /readyz},
 * and whatever {@link HttpRoutes} are added (the extender verbs, {@code /debug/*}).
 *
 * <p>Every answer that is not 2xx carries a JSON body {@code {"error": "..."}}: unknown paths get
 * 404, a known path with the wrong method 405 with an {@code Allow} header, a handler's failure
 * 500, and the server keeps serving. The server owns its Vert.x instance; handlers never block an
 * event loop (a scrape, which walks every meter, runs on a worker thread).
 *
 * <p>Lifecycle: {@link #start} once, then {@link #close}; both may be called from any thread.
 */
public final class SchedulerHttpServer implements AutoCloseable {
    static final String OPENMETRICS = "application/openmetrics-text";
    /** The two exposition formats Prometheus negotiates, as the Prometheus client library names them. */
    static final String OPENMETRICS_CONTENT_TYPE = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    static final String PROMETHEUS_TEXT_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** The JSON the probes and debug pages write: ISO-8601 instants, no failure on empty records. */
    public static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private final HttpServerSettings settings;
    private final PrometheusMeterRegistry registry;
    private final Supplier<HealthReport> health;
    private final List<HttpRoutes> routes;
    private final Vertx vertx;
    private volatile HttpServer server;

    public SchedulerHttpServer(HttpServerSettings settings, PrometheusMeterRegistry registry,
                               Supplier<HealthReport> health, List<HttpRoutes> routes) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.health = Objects.requireNonNull(health, "health");
        this.routes = List.copyOf(routes);
        // Two event loops are plenty for probes, scrapes and extender calls; the work is on the scheduling loop.
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(2));
    }

    /** Listens; completes with the port (the chosen one when the settings say 0) or fails, e.g. when the port is taken. */
    public CompletionStage<Integer> start() {
        HttpServerOptions options = new HttpServerOptions()
                .setHost(settings.bindAddress())
                .setPort(settings.port())
                .setCompressionSupported(true)
                // No cleartext HTTP/2 upgrade: kube-scheduler (Go), Prometheus and browsers never ask for
                // it, and the JDK's HttpClient, which does by default, lost a response in about one
                // connection in a few hundred over Vert.x's upgrade path (the client then waits forever).
                .setHttp2ClearTextEnabled(false);
        if (settings.tls()) {
            options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                    .setCertPath(settings.tlsCertFile().toString())
                    .setKeyPath(settings.tlsKeyFile().toString()));
        }
        return vertx.createHttpServer(options).requestHandler(router()).listen()
                .map(listening -> {
                    server = listening;
                    return listening.actualPort();
                })
                .toCompletionStage();
    }

    /** The port listened on, or -1 before {@link #start} completed. */
    public int port() {
        HttpServer current = server;
        return current == null ? -1 : current.actualPort();
    }

    /** {@code http://host:port} (or https) as a client on this machine reaches it. */
    public String baseUrl() {
        String host = settings.bindAddress().equals("0.0.0.0") || settings.bindAddress().equals("::")
                ? "127.0.0.1" : settings.bindAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return (settings.tls() ? "https" : "http") + "://" + host + ":" + port();
    }

    Router router() {
        Router router = Router.router(vertx);
        router.get("/metrics").handler(this::metrics);
        router.get("/livez").handler(ctx -> probe(ctx, health.get().live()));
        router.get("/healthz").handler(ctx -> probe(ctx, health.get().live()));
        router.get("/readyz").handler(ctx -> probe(ctx, health.get().ready()));
        for (HttpRoutes group : routes) {
            group.mount(router, settings);
        }
        router.errorHandler(404, ctx -> JsonErrors.send(ctx, 404, "no such endpoint: " + ctx.request().method() + " "
                + ctx.request().path()));
        // Every route of this server but the extender's (which answer their own 405s) is a GET.
        router.errorHandler(405, ctx -> JsonErrors.methodNotAllowed(ctx, HttpMethod.GET));
        router.errorHandler(500, JsonErrors.failureHandler());
        return router;
    }

    private void metrics(RoutingContext ctx) {
        String accept = ctx.request().getHeader(HttpHeaders.ACCEPT);
        boolean openMetrics = accept != null && accept.contains(OPENMETRICS);
        String contentType = openMetrics ? OPENMETRICS_CONTENT_TYPE : PROMETHEUS_TEXT_CONTENT_TYPE;
        vertx.<String>executeBlocking(() -> registry.scrape(contentType), false).onComplete(scrape -> {
            if (scrape.succeeded()) {
                ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, contentType).end(scrape.result());
            } else {
                JsonErrors.send(ctx, 500, "scrape failed: " + scrape.cause());
            }
        });
    }

    /**
     * 200 or 503 with a JSON body that says what the replica is doing, for people and scripts; the
     * kubelet reads only the status code.
     */
    private void probe(RoutingContext ctx, boolean healthy) {
        HealthReport report = health.get();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", healthy ? "ok" : "failing");
        body.put("live", report.live());
        body.put("synced", report.synced());
        body.put("ready", report.ready());
        body.put("leader", report.leading());
        body.put("leadership", report.leadership());
        body.put("since", report.since() == null ? null : report.since().toString());
        body.put("identity", report.identity());
        json(ctx, healthy ? 200 : 503, body);
    }

    /** Writes {@code body} as JSON with {@code status}. */
    public static void json(RoutingContext ctx, int status, Object body) {
        String text;
        try {
            text = JSON.writeValueAsString(body);
        } catch (Exception e) {
            JsonErrors.send(ctx, 500, "cannot render the answer: " + e.getMessage());
            return;
        }
        if (!ctx.response().ended() && !ctx.response().closed()) {
            ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(text);
        }
    }

    /** Stops listening and the Vert.x instance; waits a few seconds at most. */
    @Override
    public void close() {
        CompletableFuture<Void> closed = vertx.close().toCompletionStage().toCompletableFuture();
        try {
            closed.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // Nothing to do: the process is stopping anyway.
        }
    }
}
