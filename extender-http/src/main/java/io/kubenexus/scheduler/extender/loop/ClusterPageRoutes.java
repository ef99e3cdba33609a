package io.kubenexus.scheduler.extender.loop;

import io.kubenexus.scheduler.core.query.ClusterOverview;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
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

    /**
     * Pages open at once share snapshots: a question to the loop is asked again only when the last
     * one for the same node has been answered and is older than this. The loop then pays for at most
     * one snapshot a second however many pages are open (at 5,000 nodes and 150,000 pods one costs
     * the loop about a tenth of a second, docs/benchmarks.md).
     */
    static final long SHARE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final SchedulerQueries loop;
    private final SchedulingRates rates;
    private final String poolLabel;
    private final Buffer page;
    private final LongSupplier nanoTime;
    /** The last question asked of the loop; any thread (Vert.x event loops). */
    private final AtomicReference<Asked> last = new AtomicReference<>();

    /** A snapshot asked for {@code node} (null: no node) at {@code nanos}. */
    private record Asked(String node, long nanos, CompletableFuture<ClusterOverview> answer) {
    }

    /**
     * @param poolLabel the node label that names a node's pool ({@code metrics.nodePoolLabel}), or null
     */
    public ClusterPageRoutes(SchedulerQueries loop, SchedulingRates rates, String poolLabel) {
        this(loop, rates, poolLabel, System::nanoTime);
    }

    ClusterPageRoutes(SchedulerQueries loop, SchedulingRates rates, String poolLabel, LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
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
        DebugRoutes.answer(ctx, overview(node), overview -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("overview", overview);
            body.put("rates", rates.rates());
            body.put("poolLabel", poolLabel);
            ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
            SchedulerHttpServer.json(ctx, 200, body);
        });
    }

    /** The snapshot being asked or answered less than {@link #SHARE_NANOS} ago for {@code node}, else a new one. */
    private CompletableFuture<ClusterOverview> overview(String node) {
        long now = nanoTime.getAsLong();
        Asked current = last.get();
        if (current != null && Objects.equals(current.node(), node)
                && (!current.answer().isDone() || now - current.nanos() < SHARE_NANOS)
                && !current.answer().isCompletedExceptionally()) {
            return current.answer();
        }
        Asked asked = new Asked(node, now, loop.overview(new OverviewRequest(poolLabel, node, MAX_GROUPS)));
        last.set(asked);
        return asked.answer();
    }
}
