package io.kubenexus.scheduler.extender.loop;

import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.query.GroupSummary;
import io.kubenexus.scheduler.core.query.SchedulerQueries;
import io.kubenexus.scheduler.extender.http.JsonErrors;
import io.kubenexus.scheduler.extender.http.OnRequestContext;
import io.kubenexus.scheduler.extender.server.HttpRoutes;
import io.kubenexus.scheduler.extender.server.HttpServerSettings;
import io.kubenexus.scheduler.extender.server.SchedulerHttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * "Why is it pending?" over HTTP, from the live state of the scheduling loop:
 * <ul>
 *   <li>{@code GET /debug/explain?namespace=NS&name=POD}: the pod's {@code PodExplanation} as JSON
 *       (where it stands, the message of its PodScheduled condition, how many nodes refuse it for each
 *       reason now, and for a gang member its group's side); 404 when the scheduler knows no such pod;</li>
 *   <li>{@code GET /debug/gangs?limit=N&continue=TOKEN}: every group with its state, members and
 *       reservations, sorted by id, {@value #DEFAULT_LIMIT} a page by default (at most
 *       {@value #MAX_LIMIT}); {@code continue} is the id to start after, as the answer's
 *       {@code continue} gives it (null on the last page).</li>
 * </ul>
 * Read-only: nothing here changes the scheduler's state. Bad parameters get 400 with a JSON error.
 */
public final class DebugRoutes implements HttpRoutes {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    /** Namespaces are DNS-1123 labels, pod names DNS-1123 subdomains. */
    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

    private final SchedulerQueries loop;

    public DebugRoutes(SchedulerQueries loop) {
        this.loop = Objects.requireNonNull(loop, "loop");
    }

    @Override
    public void mount(Router router, HttpServerSettings settings) {
        router.get("/debug/explain").handler(this::explain);
        router.get("/debug/gangs").handler(this::gangs);
    }

    private void explain(RoutingContext ctx) {
        String namespace = ctx.request().getParam("namespace");
        String name = ctx.request().getParam("name");
        if (namespace == null || !NAMESPACE.matcher(namespace).matches()) {
            JsonErrors.send(ctx, 400, "namespace: " + (namespace == null ? "missing" : "not a namespace name '"
                    + namespace + "'") + " (use /debug/explain?namespace=NS&name=POD)");
            return;
        }
        if (name == null || !NAME.matcher(name).matches()) {
            JsonErrors.send(ctx, 400, "name: " + (name == null ? "missing" : "not a pod name '" + name + "'")
                    + " (use /debug/explain?namespace=NS&name=POD)");
            return;
        }
        answer(ctx, loop.explain(new PodKey(namespace, name)), explanation -> {
            if (explanation.isEmpty()) {
                JsonErrors.send(ctx, 404, "the scheduler knows no pod " + namespace + "/" + name
                        + " (not created yet, gone, or neither pending for this scheduler nor bound)");
            } else {
                SchedulerHttpServer.json(ctx, 200, explanation.get());
            }
        });
    }

    private void gangs(RoutingContext ctx) {
        String limitParam = ctx.request().getParam("limit");
        int limit;
        try {
            limit = limitParam == null ? DEFAULT_LIMIT : Integer.parseInt(limitParam);
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            JsonErrors.send(ctx, 400, "limit: must be a whole number 1.." + MAX_LIMIT + ", was '" + limitParam + "'");
            return;
        }
        String after = ctx.request().getParam("continue");
        int pageSize = limit;
        answer(ctx, loop.groups(), groups -> SchedulerHttpServer.json(ctx, 200, page(groups, after, pageSize)));
    }

    /** The groups after {@code after} (by id), at most {@code limit}, with the token of the next page. */
    static Map<String, Object> page(List<GroupSummary> groups, String after, int limit) {
        int start = 0;
        if (after != null && !after.isEmpty()) {
            while (start < groups.size() && groups.get(start).groupId().compareTo(after) <= 0) {
                start++;
            }
        }
        int end = Math.min(groups.size(), start + limit);
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("total", groups.size());
        page.put("items", groups.subList(start, end));
        page.put("continue", end < groups.size() ? groups.get(end - 1).groupId() : null);
        return page;
    }

    /** Writes the loop's answer back on the request's own context; a failed question is a 500. */
    static <T> void answer(RoutingContext ctx, CompletionStage<T> question, Consumer<T> write) {
        OnRequestContext.whenDone(ctx, question, (value, failure) -> {
            if (failure != null) {
                JsonErrors.send(ctx, 500, "the scheduling loop could not answer: " + failure.getMessage());
            } else {
                write.accept(value);
            }
        });
    }
}
