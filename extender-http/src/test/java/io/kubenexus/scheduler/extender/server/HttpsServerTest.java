package io.kubenexus.scheduler.extender.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code http.tls.certFile} and {@code keyFile}: the server speaks HTTPS with a PEM pair, as a
 * cert-manager Secret mounts it. The pair is made by the openssl binary; without one the test is
 * skipped, saying so.
 */
class HttpsServerTest {
    @TempDir
    Path dir;

    @Test
    void servesHttpsWithAPemCertificateAndKey() throws Exception {
        Path cert = dir.resolve("tls.crt");
        Path key = dir.resolve("tls.key");
        assumeTrue(selfSigned(cert, key), "no openssl binary to make a certificate: HTTPS not tested here");
        HttpServerSettings settings = new HttpServerSettings(0, "127.0.0.1", "/extender", cert, key, 1 << 20);
        SchedulerHttpServer server = new SchedulerHttpServer(settings, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                () -> new HealthReport(true, true, "STANDBY", Instant.EPOCH, "replica-1"), List.of());
        try {
            server.start().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(server.baseUrl()).startsWith("https://127.0.0.1:");

            HttpResponse<String> ready = HttpClient.newBuilder().sslContext(trusting(cert)).build().send(
                    HttpRequest.newBuilder(URI.create(server.baseUrl() + "/readyz")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).contains("\"leadership\":\"STANDBY\"");
        } finally {
            server.close();
        }
    }

    private static boolean selfSigned(Path cert, Path key) throws Exception {
        Process openssl;
        try {
            openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", key.toString(), "-out", cert.toString()).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            return false;
        }
        openssl.getInputStream().readAllBytes();
        return openssl.waitFor(60, TimeUnit.SECONDS) && openssl.exitValue() == 0 && Files.size(cert) > 0;
    }

    private static SSLContext trusting(Path cert) throws Exception {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            Certificate certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
            trusted.setCertificateEntry("kubenexus", certificate);
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
