package io.kubenexus.scheduler.extender.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Error answers of this server's HTTP endpoints, all in one shape: the status code and the body
 * {@code {"error":"<what is wrong>"}} with content-type {@code application/json}. Clients (and people
 * reading logs) get a reason instead of Vert.x's plain-text pages.
 */
public final class JsonErrors {
    private JsonErrors() {
    }

    /** Ends the response with {@code status} and {@code {"error": message}}; a no-op when it has already ended. */
    public static void send(RoutingContext ctx, int status, String message) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(new JsonObject().put("error", message == null ? "" : message).toBuffer());
    }

    /** 405 with the {@code Allow} header listing {@code allowed}. */
    public static void methodNotAllowed(RoutingContext ctx, HttpMethod... allowed) {
        String allow = Arrays.stream(allowed).map(HttpMethod::name).collect(Collectors.joining(", "));
        if (!ctx.response().ended()) {
            ctx.response().putHeader(HttpHeaders.ALLOW, allow);
        }
        send(ctx, 405, "method " + ctx.request().method().name() + " is not allowed on "
                + ctx.request().path() + "; allowed: " + allow);
    }

    /** A handler answering 404 for any path it is mounted on. */
    public static Handler<RoutingContext> notFound() {
        return ctx -> send(ctx, 404, "no such endpoint: " + ctx.request().path());
    }

    /**
     * A failure handler ({@code Route.failureHandler}) that answers a failed route in the JSON shape:
     * the status the route failed with (500 when it failed with an exception) and the failure's
     * message, or the status's reason phrase.
     */
    public static Handler<RoutingContext> failureHandler() {
        return ctx -> {
            int status = ctx.statusCode() < 400 ? 500 : ctx.statusCode();
            Throwable failure = ctx.failure();
            String message = failure != null && failure.getMessage() != null
                    ? failure.getMessage()
                    : HttpResponseStatus.valueOf(status).reasonPhrase().toLowerCase(java.util.Locale.ROOT);
            send(ctx, status, message);
        };
    }
}
