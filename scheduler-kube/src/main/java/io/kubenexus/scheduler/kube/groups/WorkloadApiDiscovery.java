package io.kubenexus.scheduler.kube.groups;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds, at start-up, which version of Kubernetes' PodGroups the cluster serves: asks API discovery
 * ({@code GET /apis/scheduling.k8s.io/<version>}) for each {@link WorkloadApiVersion}, most preferred
 * first, and takes the first that lists {@code podgroups}. A cluster serves one stored object under
 * every version it enables, so reading one version sees every PodGroup once; reading two would see
 * each twice.
 *
 * <p>Discovery needs no RBAC rule (the built-in {@code system:discovery} role grants it to every
 * authenticated user). A version the server does not know answers 404 and is skipped; if discovery
 * itself fails (another error), the most preferred version is assumed, and the PodGroup source then
 * finds out for itself whether it is there (it is optional and looked for again periodically).
 */
public final class WorkloadApiDiscovery {
    private static final Logger LOG = LoggerFactory.getLogger(WorkloadApiDiscovery.class);

    private final KubernetesClient client;

    public WorkloadApiDiscovery(KubernetesClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /** What discovery found: the PodGroup version to read (empty: none served) and what each version serves. */
    public record Result(Optional<WorkloadApiVersion> podGroups, List<String> served) {
        public Result {
            Objects.requireNonNull(podGroups, "podGroups");
            served = List.copyOf(served);
        }
    }

    /** Asks the API server; never throws. */
    public Result discover() {
        List<String> served = new ArrayList<>();
        WorkloadApiVersion chosen = null;
        for (WorkloadApiVersion version : WorkloadApiVersion.values()) {
            APIResourceList resources;
            try {
                resources = client.getApiResources(version.apiVersion());
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    continue;
                }
                WorkloadApiVersion assumed = WorkloadApiVersion.values()[0];
                LOG.warn("API discovery of {} failed ({} {}); assuming {} for Kubernetes PodGroups", version.apiVersion(),
                        e.getCode(), e.getMessage(), assumed.apiVersion());
                return new Result(Optional.of(assumed), served);
            }
            boolean podGroups = lists(resources, WorkloadApiVersion.POD_GROUPS);
            boolean workloads = lists(resources, WorkloadApiVersion.WORKLOADS);
            if (podGroups || workloads) {
                served.add(version.apiVersion() + " (" + (podGroups ? WorkloadApiVersion.POD_GROUPS : "")
                        + (podGroups && workloads ? ", " : "") + (workloads ? WorkloadApiVersion.WORKLOADS : "") + ")");
            }
            if (podGroups && chosen == null) {
                chosen = version;
            }
        }
        if (chosen == null) {
            LOG.info("the cluster serves no Kubernetes PodGroups (neither {} nor {}); they are not read",
                    WorkloadApiVersion.V1BETA1.apiVersion(), WorkloadApiVersion.V1ALPHA2.apiVersion());
        } else {
            LOG.info("Kubernetes PodGroups read as {} (served: {})", chosen.apiVersion(), String.join("; ", served));
        }
        return new Result(Optional.ofNullable(chosen), served);
    }

    private static boolean lists(APIResourceList resources, String name) {
        if (resources == null || resources.getResources() == null) {
            return false;
        }
        for (APIResource resource : resources.getResources()) {
            if (resource != null && name.equals(resource.getName())) {
                return true;
            }
        }
        return false;
    }
}
