package io.kubenexus.scheduler.extender.protocol;

import io.kubenexus.scheduler.extender.http.JsonErrors;
import io.kubenexus.scheduler.extender.http.OnRequestContext;
import io.kubenexus.scheduler.extender.server.HttpServerSettings;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kube-scheduler HTTP extender endpoints: {@code POST {prefix}/filter}, {@code /prioritize},
 * {@code /bind} and {@code /preempt} (see {@link ExtenderVerb}), mounted on a Vert.x router the
 * caller owns.
 *
 * <p>Each request is read whole (up to {@code maxBodyBytes}, beyond which it is answered 413),
 * decoded and checked, and only a well-formed request reaches the {@link ExtenderBackend}. The
 * backend's stage is answered on the request's own Vert.x context whenever it completes; no handler
 * blocks. Every error answer is JSON ({@link JsonErrors}): 400 for a malformed request, 404 for an
 * unknown path under the prefix, 405 (with {@code Allow: POST}) for another method, 413 for an
 * oversize body, 500 when the backend fails or answers something kube-scheduler could not use.
 *
 * <p>Decoding and encoding run on the event loop: they are linear in the body (a 1,000-node
 * {@code Nodes} list of a few MB takes milliseconds). Prefer {@code nodeCacheCapable: true}, whose
 * bodies are a few KB.
 */
public final class ExtenderRoutes {
    /** The default {@code http.extenderPrefix}. */
    public static final String DEFAULT_PREFIX = "/extender";
    /** The default {@code http.maxBodyBytes}: room for a few thousand full Node objects. */
    public static final long DEFAULT_MAX_BODY_BYTES = HttpServerSettings.DEFAULT_MAX_BODY_BYTES;

    private static final Logger LOG = LoggerFactory.getLogger(ExtenderRoutes.class);

    private final ExtenderBackend backend;
    private final String prefix;
    private final long maxBodyBytes;
    private final ExtenderRequestDecoder decoder;
    private final ExtenderResponseEncoder encoder = new ExtenderResponseEncoder();

    /**
     * @param prefix the path prefix, starting with {@code /} and not ending with one (for example
     *     {@value #DEFAULT_PREFIX}); kube-scheduler's {@code urlPrefix} ends with it
     * @param maxBodyBytes the largest request body accepted, positive
     */
    public ExtenderRoutes(ExtenderBackend backend, String prefix, long maxBodyBytes) {
        this(backend, prefix, maxBodyBytes, new ExtenderRequestDecoder());
    }

    public ExtenderRoutes(ExtenderBackend backend, String prefix, long maxBodyBytes, ExtenderRequestDecoder decoder) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        if (prefix == null || !prefix.startsWith("/") || prefix.endsWith("/") || prefix.contains("*")
                || prefix.contains(":")) {
            throw new IllegalArgumentException("http.extenderPrefix must start with '/', not end with '/' and "
                    + "hold no '*' or ':', got " + prefix);
        }
        if (maxBodyBytes <= 0) {
            throw new IllegalArgumentException("http.maxBodyBytes must be positive, got " + maxBodyBytes);
        }
        this.prefix = prefix;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** With {@link #DEFAULT_PREFIX} and {@link #DEFAULT_MAX_BODY_BYTES}. */
    public static ExtenderRoutes withDefaults(ExtenderBackend backend) {
        return new ExtenderRoutes(backend, DEFAULT_PREFIX, DEFAULT_MAX_BODY_BYTES);
    }

    public String prefix() {
        return prefix;
    }

    public long maxBodyBytes() {
        return maxBodyBytes;
    }

    /** The full path a verb is served at, {@code prefix + "/" + verb}. */
    public String path(ExtenderVerb verb) {
        return prefix + "/" + verb.path();
    }

    /** Adds the routes to {@code router}; they answer every path under the prefix. */
    public void mountOn(Router router) {
        for (ExtenderVerb verb : ExtenderVerb.values()) {
            router.post(path(verb))
                    .handler(ctx -> readBody(verb, ctx))
                    .failureHandler(this::failed);
            router.route(path(verb)).handler(ctx -> JsonErrors.methodNotAllowed(ctx, HttpMethod.POST));
        }
        router.route(prefix).handler(JsonErrors.notFound());
        router.route(prefix + "/*").handler(JsonErrors.notFound());
    }

    /**
     * Reads the body as {@code BodyHandler} would, with one copy instead of a dozen: the chunks Vert.x
     * delivers (heap buffers of their own) are kept and copied once into an array of the received
     * length at the end. {@code BodyHandler} grew a buffer from 64 KB (a 5 MB Node list was copied
     * about ten times) and {@code getBytes} copied it again. Nothing is allocated ahead for a declared
     * length, so a client declaring a large body and sending little costs only what it sends. Over
     * {@code maxBodyBytes}, declared or received, the route fails with 413.
     */
    private void readBody(ExtenderVerb verb, RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        long declared = declaredLength(request);
        long limit = Math.min(maxBodyBytes, Integer.MAX_VALUE - 16); // one array holds the body
        if (declared > limit) {
            ctx.fail(413);
            return;
        }
        BodyChunks body = new BodyChunks();
        if (request.isEnded()) {
            serve(verb, ctx, body.bytes());
            return;
        }
        request.handler(chunk -> {
            if (body.failed) {
                return;
            }
            if (body.length + chunk.length() > limit) {
                body.failed = true;
                ctx.fail(413);
                return;
            }
            body.append(chunk);
        });
        request.endHandler(ended -> {
            if (!body.failed) {
                serve(verb, ctx, body.bytes());
            }
        });
        request.resume();
    }

    private static long declaredLength(HttpServerRequest request) {
        String header = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A request body's chunks as they arrive. */
    private static final class BodyChunks {
        private final List<Buffer> chunks = new ArrayList<>();
        private long length;
        private boolean failed;

        void append(Buffer chunk) {
            chunks.add(chunk);
            length += chunk.length();
        }

        byte[] bytes() {
            byte[] bytes = new byte[(int) length];
            int at = 0;
            for (Buffer chunk : chunks) {
                chunk.getBytes(0, chunk.length(), bytes, at);
                at += chunk.length();
            }
            chunks.clear();
            return bytes;
        }
    }

    private void serve(ExtenderVerb verb, RoutingContext ctx, byte[] bytes) {
        try {
            switch (verb) {
                case FILTER -> {
                    ExtenderArgs args = decoder.extenderArgs(bytes);
                    answer(ctx, verb, () -> backend.filter(args.pod(), args.nodes().names()),
                            verdicts -> encoder.filterResult(args.nodes(), verdicts));
                }
                case PRIORITIZE -> {
                    ExtenderArgs args = decoder.extenderArgs(bytes);
                    answer(ctx, verb, () -> backend.prioritize(args.pod(), args.nodes().names()),
                            scores -> encoder.hostPriorities(args.nodes(), scores));
                }
                case BIND -> {
                    BindingArgs args = decoder.bindingArgs(bytes);
                    answer(ctx, verb, () -> backend.bind(args.podNamespace(), args.podName(), args.podUid(), args.node()),
                            encoder::bindingResult);
                }
                case PREEMPT -> {
                    PreemptionArgs args = decoder.preemptionArgs(bytes);
                    answer(ctx, verb, () -> backend.preempt(args.pod(), args.victimUidsByNode()),
                            accepted -> encoder.preemptionResult(args, accepted));
                }
            }
        } catch (BadExtenderRequestException e) {
            JsonErrors.send(ctx, 400, e.getMessage());
        }
    }

    private <T> void answer(RoutingContext ctx, ExtenderVerb verb, Supplier<CompletionStage<T>> call,
            Function<T, Buffer> encode) {
        CompletionStage<T> stage;
        try {
            stage = Objects.requireNonNull(call.get(), "the backend returned no answer");
        } catch (RuntimeException e) {
            backendFailed(ctx, verb, e);
            return;
        }
        OnRequestContext.whenDone(ctx, stage, (value, failure) -> {
            if (failure != null) {
                backendFailed(ctx, verb, failure);
                return;
            }
            Buffer out;
            try {
                out = encode.apply(Objects.requireNonNull(value, "the backend answered null"));
            } catch (RuntimeException e) {
                backendFailed(ctx, verb, e);
                return;
            }
            if (!ctx.response().ended() && !ctx.response().closed()) {
                ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(out);
            }
        });
    }

    private static void backendFailed(RoutingContext ctx, ExtenderVerb verb, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        LOG.warn("extender {} failed", verb.path(), cause);
        JsonErrors.send(ctx, 500, verb.path() + " failed: "
                + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()));
    }

    private void failed(RoutingContext ctx) {
        if (ctx.statusCode() == 413) {
            JsonErrors.send(ctx, 413, "request body is larger than http.maxBodyBytes (" + maxBodyBytes + " bytes)");
        } else {
            JsonErrors.failureHandler().handle(ctx);
        }
    }
}
