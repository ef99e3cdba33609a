package io.kubenexus.scheduler.extender.loop;

import io.kubenexus.scheduler.core.query.OverviewRequest;
import io.kubenexus.scheduler.core.query.SchedulerQueries;
import io.kubenexus.scheduler.extender.http.JsonErrors;
import io.kubenexus.scheduler.extender.metrics.SchedulingRates;
import io.kubenexus.scheduler.extender.server.HttpRoutes;
import io.kubenexus.scheduler.extender.server.HttpServerSettings;
import io.kubenexus.scheduler.extender.server.SchedulerHttpServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The cluster page: {@code GET /} serves one self-contained HTML file (inline script and style, no
 * external asset: it works offline and behind a cluster's proxy), which polls
 * {@code GET /api/cluster[?node=NAME]} for one JSON snapshot per tick: the loop's
 * {@link io.kubenexus.scheduler.core.query.ClusterOverview} (nodes, gangs, pending pods, the NUMA
 * zones of the node asked for) and the {@link SchedulingRates} read from the registry {@code /metrics}
 * serves. Read-only; served only when {@code http.clusterPage} is on.
 */
public final class ClusterPageRoutes implements HttpRoutes {
    /** Where the page is in the jar. */
    static final String PAGE_RESOURCE = "/io/kubenexus/scheduler/extender/page/cluster.html";
    /** Gangs listed per snapshot, waiting ones first; the snapshot gives the total. */
    static final int MAX_GROUPS = 500;
    /** Node names are DNS-1123 subdomains. */
    private static final Pattern NODE_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    /** Nothing but the page itself and its own origin's JSON: enforced by the browser. */
    private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'unsafe-inline'; "
            + "style-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'";

    private final SchedulerQueries loop;
    private final SchedulingRates rates;
    private final String poolLabel;
    private final Buffer page;

    /**
     * @param poolLabel the node label that names a node's pool ({@code metrics.nodePoolLabel}), or null
     */
    public ClusterPageRoutes(SchedulerQueries loop, SchedulingRates rates, String poolLabel) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.rates = Objects.requireNonNull(rates, "rates");
        this.poolLabel = poolLabel;
        this.page = Buffer.buffer(readPage());
    }

    private static byte[] readPage() {
        try (InputStream in = ClusterPageRoutes.class.getResourceAsStream(PAGE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the cluster page is missing from the jar: " + PAGE_RESOURCE);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the cluster page " + PAGE_RESOURCE, e);
        }
    }

    @Override
    public void mount(Router router, HttpServerSettings settings) {
        router.get("/").handler(this::page);
        router.get("/api/cluster").handler(this::snapshot);
    }

    private void page(RoutingContext ctx) {
        ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
                .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                .end(page);
    }

    private void snapshot(RoutingContext ctx) {
        String node = ctx.request().getParam("node");
        if (node != null && (node.isEmpty() || !NODE_NAME.matcher(node).matches())) {
            JsonErrors.send(ctx, 400, "node: not a node name '" + node + "' (use /api/cluster?node=NAME, or no node)");
            return;
        }
        DebugRoutes.answer(ctx, loop.overview(new OverviewRequest(poolLabel, node, MAX_GROUPS)), overview -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("overview", overview);
            body.put("rates", rates.rates());
            body.put("poolLabel", poolLabel);
            ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
            SchedulerHttpServer.json(ctx, 200, body);
        });
    }
}
