package io.kubenexus.scheduler.kube.embedded;

import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watch side of the fault layer: watches the server closes mid-stream, watches that answer
 * 410 Gone, and the close handling that keeps the mock's event loop free.
 *
 * <p>The mock's own watch listener, when its socket closes, shuts its sender down and waits for it
 * (up to a minute) on the server's event loop, which stalls every other request meanwhile. With
 * the fault layer active, watches are closed all the time, so every watch's close and failure
 * callbacks are handed to {@code closer} instead of running on the event loop. Off the event loop
 * the listener would shut its sender down while the mock still holds it among its watchers, and the
 * next change would fail in the middle of a write with the sender's RejectedExecutionException
 * (and its request never be answered): so the listener is first taken out of the mock's watchers
 * ({@code unregister}, on the event loop) and closed a moment later, when no change that saw it can
 * still be sending to it.
 */
final class FaultyWatches {
    private static final Logger LOG = LoggerFactory.getLogger(FaultyWatches.class);
    /** RFC 6455 "going away": the server ends the stream, as an API server restarting does. */
    private static final int GOING_AWAY = 1001;

    /** Long enough for a change that saw the listener before it was taken out to have sent to it. */
    private static final Duration CLOSE_DELAY = Duration.ofSeconds(1);

    private final ScheduledExecutorService closer;
    private final Consumer<WebSocketListener> unregister;

    FaultyWatches(ScheduledExecutorService closer, Consumer<WebSocketListener> unregister) {
        this.closer = closer;
        this.unregister = unregister;
    }

    /** The mock's watch answer, its close callbacks off the event loop and, if given, closed after {@code lifetime}. */
    MockResponse guarded(MockResponse watch, Duration lifetime) {
        WebSocketListener delegate = watch.getWebSocketListener();
        if (delegate == null) {
            return watch; // not upgraded (an error answer): nothing to guard
        }
        return watch.withWebSocketUpgrade(new GuardedListener(delegate, lifetime));
    }

    /**
     * A watch that sends what the API server sends to a client resuming from a compacted
     * resourceVersion: one ERROR event with a 410 Status, then the end of the stream.
     */
    MockResponse gone(String resourceVersion) {
        String rv = resourceVersion == null || resourceVersion.isEmpty() ? "0" : resourceVersion;
        String event = "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
                + "\"status\":\"Failure\",\"message\":\"too old resource version: " + rv + "\","
                + "\"reason\":\"Expired\",\"code\":410}}";
        return new MockResponse().withWebSocketUpgrade(new WebSocketListener() {
            @Override
            public void onOpen(WebSocket webSocket, Response response) {
                webSocket.send(event);
                webSocket.close(1000, "");
            }
        });
    }

    private final class GuardedListener extends WebSocketListener {
        private final WebSocketListener delegate;
        private final Duration lifetime;

        GuardedListener(WebSocketListener delegate, Duration lifetime) {
            this.delegate = delegate;
            this.lifetime = lifetime;
        }

        @Override
        public void onBeforeAccept(WebSocket webSocket, Response response) {
            delegate.onBeforeAccept(webSocket, response);
        }

        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            delegate.onOpen(webSocket, response);
            if (lifetime != null) {
                offload(() -> webSocket.close(GOING_AWAY, "watch closed by the embedded API (fault injection)"),
                        lifetime);
            }
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            delegate.onMessage(webSocket, text);
        }

        @Override
        public void onMessage(WebSocket webSocket, ByteString bytes) {
            delegate.onMessage(webSocket, bytes);
        }

        @Override
        public void onMessage(WebSocket webSocket, byte[] bytes) {
            delegate.onMessage(webSocket, bytes);
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            delegate.onClosing(webSocket, code, reason);
        }

        @Override
        public void onClosed(WebSocket webSocket, int code, String reason) {
            unregister.accept(delegate);
            offload(() -> delegate.onClosed(webSocket, code, reason), CLOSE_DELAY);
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable t, Response response) {
            unregister.accept(delegate);
            offload(() -> delegate.onFailure(webSocket, t, response), CLOSE_DELAY);
        }
    }

    private void offload(Runnable task, Duration delay) {
        Runnable guarded = () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.debug("closing an embedded watch failed", e);
            }
        };
        try {
            closer.schedule(guarded, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            guarded.run(); // the API is shutting down: close here rather than leave the watch open
        }
    }
}
