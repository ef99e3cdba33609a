package io.kubenexus.scheduler.kube.testing;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * Another identity that takes a Lease over as a competing replica would (holder, acquire and renew
 * times, one more transition) and then never renews it, so it expires after the lease duration.
 */
public final class LeaseThief {
    private final KubernetesClient client;
    private final String namespace;
    private final String name;

    public LeaseThief(KubernetesClient client, String namespace, String name) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
    }

    /** Writes {@code identity} as the holder, renewed now; retried while the owner's renewals conflict. */
    public void steal(String identity) {
        await().atMost(Duration.ofSeconds(10)).ignoreExceptionsMatching(LeaseThief::conflict).until(() -> {
            Lease lease = client.leases().inNamespace(namespace).withName(name).get();
            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
            int transitions = lease.getSpec().getLeaseTransitions() == null ? 0 : lease.getSpec().getLeaseTransitions();
            // update() sends the resourceVersion read above: a renewal in between makes it 409 and we retry.
            client.leases().inNamespace(namespace).resource(new LeaseBuilder(lease).editSpec()
                    .withHolderIdentity(identity).withAcquireTime(now).withRenewTime(now)
                    .withLeaseTransitions(transitions + 1).endSpec().build()).update();
            return true;
        });
    }

    public String holder() {
        Lease lease = client.leases().inNamespace(namespace).withName(name).get();
        return lease == null ? null : lease.getSpec().getHolderIdentity();
    }

    private static boolean conflict(Throwable e) {
        return e instanceof KubernetesClientException k && k.getCode() == HttpURLConnection.HTTP_CONFLICT;
    }
}
