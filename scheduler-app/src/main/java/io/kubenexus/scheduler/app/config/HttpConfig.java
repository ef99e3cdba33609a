package io.kubenexus.scheduler.app.config;

import io.kubenexus.scheduler.extender.server.HttpServerSettings;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The scheduler's one HTTP server: {@code /metrics}, the health probes, {@code /debug/*} and the
 * kube-scheduler extender verbs under {@link #extenderPrefix}.
 *
 * @param port           TCP port, 1..65535, or 0 for no server at all
 * @param bindAddress    the address to listen on, an IP literal or a host name ({@code 0.0.0.0}: every interface)
 * @param extenderPrefix path under which the extender verbs are served; starts with {@code /}, no trailing {@code /}
 * @param tls            certificate and key for HTTPS, or null for plain HTTP
 * @param maxBodyBytes   the largest request body accepted; larger bodies get 413 and are not read further
 * @param clusterPage    serve the cluster page ({@code GET /} and {@code GET /api/cluster}); off by default
 */
public record HttpConfig(int port, String bindAddress, String extenderPrefix, Tls tls, long maxBodyBytes,
                         boolean clusterPage) {
    public static final int DEFAULT_PORT = 8080;
    public static final String DEFAULT_BIND_ADDRESS = "0.0.0.0";
    public static final String DEFAULT_EXTENDER_PREFIX = "/extender";
    public static final long DEFAULT_MAX_BODY_BYTES = HttpServerSettings.DEFAULT_MAX_BODY_BYTES;

    /** PEM files for HTTPS; both are read at start-up, so a wrong path fails there. */
    public record Tls(Path certFile, Path keyFile) {
        public Tls {
            Objects.requireNonNull(certFile, "certFile");
            Objects.requireNonNull(keyFile, "keyFile");
        }
    }

    public HttpConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("http.port: must be 0..65535 (0 = no HTTP server), was " + port);
        }
        if (bindAddress == null || bindAddress.isBlank()) {
            throw new IllegalArgumentException("http.bindAddress: must not be empty (0.0.0.0 listens on every interface)");
        }
        if (extenderPrefix == null || !extenderPrefix.matches("(/[A-Za-z0-9._~-]+)+")) {
            throw new IllegalArgumentException("http.extenderPrefix: must be a path such as /extender (segments of "
                    + "letters, digits, '.', '_', '~' or '-', no trailing /), was '" + extenderPrefix + "'");
        }
        if (extenderPrefix.equals("/metrics") || extenderPrefix.startsWith("/debug") || extenderPrefix.startsWith("/api/cluster")
                || extenderPrefix.matches("/(healthz|livez|readyz)")) {
            throw new IllegalArgumentException("http.extenderPrefix: '" + extenderPrefix
                    + "' is taken by another endpoint (/metrics, /healthz, /livez, /readyz, /debug, /api/cluster)");
        }
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("http.maxBodyBytes: must be at least 1024, was " + maxBodyBytes);
        }
        if (clusterPage && port == 0) {
            throw new IllegalArgumentException("http.clusterPage: needs the HTTP server, but http.port is 0 (no server)");
        }
    }

    /** Without the cluster page. */
    public HttpConfig(int port, String bindAddress, String extenderPrefix, Tls tls, long maxBodyBytes) {
        this(port, bindAddress, extenderPrefix, tls, maxBodyBytes, false);
    }

    public boolean enabled() {
        return port != 0;
    }

    public static HttpConfig defaults() {
        return new HttpConfig(DEFAULT_PORT, DEFAULT_BIND_ADDRESS, DEFAULT_EXTENDER_PREFIX, null, DEFAULT_MAX_BODY_BYTES, false);
    }
}
