package io.kubenexus.scheduler.kube.embedded;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.net.URI;

/**
 * Cuts one replica off the API the way a killed process or a network partition does: once
 * {@link #sever}ed, every new request of its client goes to a port nobody listens on and fails,
 * so nothing more is written (no renewal, no release of the Lease, no bind). Watches already open
 * keep delivering, which is harmless: a replica that cannot write cannot do any damage. Used by the
 * failover tests and by {@code demo --failover}.
 */
public final class ApiPartition {
    private static final String UNREACHABLE = "http://127.0.0.1:1";

    private volatile boolean severed;

    /** A client of the API behind this partition; the caller closes it. */
    public KubernetesClient client(Config config) {
        return new KubernetesClientBuilder().withConfig(config)
                .withHttpClientBuilderConsumer(builder -> builder.addOrReplaceInterceptor("api-partition", new Interceptor() {
                    @Override
                    public void before(BasicBuilder request, HttpRequest original, RequestTags tags) {
                        if (severed) {
                            URI uri = original.uri();
                            request.uri(URI.create(UNREACHABLE + uri.getRawPath()
                                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())));
                        }
                    }
                }))
                .build();
    }

    public void sever() {
        severed = true;
    }

    public boolean severed() {
        return severed;
    }
}
