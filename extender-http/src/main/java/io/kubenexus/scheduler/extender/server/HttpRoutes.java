package io.kubenexus.scheduler.extender.server;

import io.vertx.ext.web.Router;

/**
 * A group of endpoints the scheduler's HTTP server serves (the extender verbs, the debug pages).
 * Handlers run on a Vert.x event loop: they must not block, and answer asynchronously.
 */
public interface HttpRoutes {
    /** Adds this group's routes to {@code router}; called once, before the server listens. */
    void mount(Router router, HttpServerSettings settings);
}
