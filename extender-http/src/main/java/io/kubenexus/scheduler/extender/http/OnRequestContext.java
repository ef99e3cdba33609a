package io.kubenexus.scheduler.extender.http;

import io.vertx.core.Context;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * Answers that other threads complete (the scheduling loop) are written back on the request's own
 * Vert.x context, whichever thread completes them: a response is only touched from its event loop.
 */
public final class OnRequestContext {
    private OnRequestContext() {
    }

    /**
     * Runs {@code then} with the stage's value or failure on {@code ctx}'s context once the stage
     * completes. Call it on the request's event loop (in a handler).
     */
    public static <T> void whenDone(RoutingContext ctx, CompletionStage<T> stage, BiConsumer<T, Throwable> then) {
        Context context = ctx.vertx().getOrCreateContext();
        stage.whenComplete((value, failure) -> context.runOnContext(ignored -> then.accept(value, failure)));
    }
}
