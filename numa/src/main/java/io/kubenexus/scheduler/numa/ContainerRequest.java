package io.kubenexus.scheduler.numa;

import java.util.Map;

/**
 * One app container's resource requests in scheduler units (cpu millicores, memory bytes, device
 * counts). Init containers are not modelled (see {@link KubeletAdmission}).
 *
 * @param name     the container name, unique within the pod
 * @param requests the requests; missing resources are zero
 */
public record ContainerRequest(String name, Map<String, Long> requests) {

    public ContainerRequest {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("container name must not be blank");
        }
        if (requests == null) {
            throw new IllegalArgumentException("container " + name + ": requests must not be null");
        }
        requests.forEach((resource, amount) -> {
            if (amount == null || amount < 0) {
                throw new IllegalArgumentException("container " + name + ": request of " + resource
                        + " must be >= 0, got " + amount);
            }
        });
        requests = Map.copyOf(requests);
    }

    public long requestOf(String resource) {
        return requests.getOrDefault(resource, 0L);
    }
}
