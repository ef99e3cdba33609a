package io.kubenexus.scheduler.app;

import io.kubenexus.scheduler.app.config.HttpConfig;
import io.kubenexus.scheduler.extender.server.HealthReport;
import io.kubenexus.scheduler.extender.server.HttpRoutes;
import io.kubenexus.scheduler.extender.server.HttpServerSettings;
import io.kubenexus.scheduler.extender.server.SchedulerHttpServer;
import io.kubenexus.scheduler.kube.KubeScheduler;
import io.kubenexus.scheduler.kube.leader.Leadership;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The HTTP endpoints of one scheduler replica, as {@code run} and {@code demo} serve them: metrics,
 * probes, debug pages and the extender verbs, all answered from that replica's scheduling loop.
 */
final class HttpSurface implements AutoCloseable {
    /**
     * The loop begins an iteration or a wait at least every second; one attempt takes microseconds to
     * a few milliseconds. A minute without either is a loop stuck or dead: liveness fails and the
     * kubelet restarts the container.
     */
    static final Duration LOOP_STALL = Duration.ofMinutes(1);

    private final SchedulerHttpServer server;

    private HttpSurface(SchedulerHttpServer server) {
        this.server = server;
    }

    /** The server settings of the {@code http.*} keys. */
    static HttpServerSettings settings(HttpConfig http) {
        return new HttpServerSettings(http.port(), http.bindAddress(), http.extenderPrefix(),
                http.tls() == null ? null : http.tls().certFile(), http.tls() == null ? null : http.tls().keyFile(),
                http.maxBodyBytes());
    }

    /** Listens, or throws with a message naming the address when it cannot (a port in use). */
    static HttpSurface start(HttpServerSettings settings, KubeScheduler scheduler, PrometheusMeterRegistry registry,
                             List<HttpRoutes> routes) {
        SchedulerHttpServer server = new SchedulerHttpServer(settings, registry, () -> health(scheduler), routes);
        try {
            server.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            server.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the HTTP server", e);
        } catch (ExecutionException | TimeoutException e) {
            server.close();
            throw new IllegalStateException("cannot serve HTTP on " + settings.bindAddress() + ":" + settings.port()
                    + " (http.port, http.bindAddress): " + KubenexusScheduler.describe(e.getCause() == null ? e : e.getCause()), e);
        }
        return new HttpSurface(server);
    }

    static HealthReport health(KubeScheduler scheduler) {
        Leadership leadership = scheduler.leadership();
        boolean live = !scheduler.exitRequested().toCompletableFuture().isDone()
                && scheduler.sinceLoopHeartbeat().compareTo(LOOP_STALL) < 0;
        return new HealthReport(live, scheduler.stats().synced(), leadership.state().name(), leadership.since(),
                scheduler.options().identity());
    }

    String baseUrl() {
        return server.baseUrl();
    }

    @Override
    public void close() {
        server.close();
    }
}
