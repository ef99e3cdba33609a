package io.kubenexus.scheduler.extender.server;

import java.nio.file.Path;

/**
 * What the scheduler's HTTP server listens on; validated by the configuration that builds it
 * ({@code http.*} keys in docs/configuration.md).
 *
 * @param port           the TCP port; 0 picks a free one (the demo's loopback server)
 * @param bindAddress    the address to listen on
 * @param extenderPrefix where the kube-scheduler extender verbs are served, e.g. {@code /extender}
 * @param tlsCertFile    PEM certificate chain for HTTPS, or null for plain HTTP
 * @param tlsKeyFile     PEM private key for HTTPS, or null
 * @param maxBodyBytes   the largest request body read; larger ones get 413
 */
public record HttpServerSettings(int port, String bindAddress, String extenderPrefix, Path tlsCertFile,
                                 Path tlsKeyFile, long maxBodyBytes) {
    /**
     * {@code http.maxBodyBytes}'s default: kube-scheduler sends every candidate Node object when
     * nodeCacheCapable is false, a few KiB each, so 5,000 nodes need tens of MiB.
     */
    public static final long DEFAULT_MAX_BODY_BYTES = 128L * 1024 * 1024;

    public boolean tls() {
        return tlsCertFile != null;
    }

    /** A server on a free loopback port with the default paths: the demo's and the tests'. */
    public static HttpServerSettings loopback() {
        return new HttpServerSettings(0, "127.0.0.1", "/extender", null, null, DEFAULT_MAX_BODY_BYTES);
    }
}
