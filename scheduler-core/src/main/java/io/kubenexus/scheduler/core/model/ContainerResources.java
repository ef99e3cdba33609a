package io.kubenexus.scheduler.core.model;

import java.util.List;

/**
 * What one container asks for, already converted to the scheduler's units.
 *
 * @param restartable true for an init container with {@code restartPolicy: Always} (a sidecar),
 *                    which keeps running beside the app containers
 */
public record ContainerResources(String name, ResourceList requests, ResourceList limits,
                                 List<HostPort> hostPorts, boolean restartable) {
    public ContainerResources {
        requests = requests == null ? ResourceList.EMPTY : requests;
        limits = limits == null ? ResourceList.EMPTY : limits;
        hostPorts = hostPorts == null ? List.of() : List.copyOf(hostPorts);
    }

    public static ContainerResources of(String name, ResourceList requests) {
        return new ContainerResources(name, requests, ResourceList.EMPTY, List.of(), false);
    }
}
