package io.kubenexus.scheduler.core.model;

import java.util.List;

/**
 * A pod's effective requests computed as kube-scheduler computes them: the sum of the app
 * containers, plus restartable init containers (sidecars) that keep running beside them, at least
 * the largest init-container phase, plus the pod overhead.
 */
public final class PodRequests {
    /** kube-scheduler's stand-ins for a container with no cpu or memory request, used for scoring only. */
    public static final long DEFAULT_NON_ZERO_CPU_MILLI = 100;
    public static final long DEFAULT_NON_ZERO_MEMORY_BYTES = 200L * 1024 * 1024;

    private PodRequests() {
    }

    /** Requests that NodeResourcesFit checks against a node's free capacity. */
    public static ResourceList effective(List<ContainerResources> containers,
                                         List<ContainerResources> initContainers,
                                         ResourceList overhead) {
        return compute(containers, initContainers, overhead, false);
    }

    /**
     * Requests with missing cpu and memory replaced by kube-scheduler's non-zero defaults, so that
     * scoring does not see pods without requests as free (the fit check never uses these).
     */
    public static ResourceList nonZero(List<ContainerResources> containers,
                                       List<ContainerResources> initContainers,
                                       ResourceList overhead) {
        return compute(containers, initContainers, overhead, true);
    }

    private static ResourceList compute(List<ContainerResources> containers,
                                        List<ContainerResources> initContainers,
                                        ResourceList overhead, boolean nonZero) {
        ResourceList apps = ResourceList.EMPTY;
        for (ContainerResources container : containers) {
            apps = apps.plus(requests(container, nonZero));
        }
        ResourceList sidecars = ResourceList.EMPTY;
        ResourceList initPeak = ResourceList.EMPTY;
        for (ContainerResources init : initContainers) {
            ResourceList phase;
            if (init.restartable()) {
                // A sidecar starts here and keeps running through later init containers and the apps.
                sidecars = sidecars.plus(requests(init, nonZero));
                phase = sidecars;
            } else {
                phase = requests(init, nonZero).plus(sidecars);
            }
            initPeak = initPeak.max(phase);
        }
        ResourceList total = apps.plus(sidecars).max(initPeak);
        return overhead == null ? total : total.plus(overhead);
    }

    private static ResourceList requests(ContainerResources container, boolean nonZero) {
        ResourceList requests = container.requests();
        if (!nonZero) {
            return requests;
        }
        if (requests.get(ResourceNames.CPU) == 0) {
            requests = requests.with(ResourceNames.CPU, DEFAULT_NON_ZERO_CPU_MILLI);
        }
        if (requests.get(ResourceNames.MEMORY) == 0) {
            requests = requests.with(ResourceNames.MEMORY, DEFAULT_NON_ZERO_MEMORY_BYTES);
        }
        return requests;
    }

    /**
     * The kubelet's QoS class: Guaranteed when every container sets cpu and memory limits equal to
     * its requests (a missing request defaults to the limit), BestEffort when no container sets
     * any cpu or memory request or limit, Burstable otherwise.
     */
    public static QosClass qosClass(List<ContainerResources> containers, List<ContainerResources> initContainers) {
        boolean any = false;
        boolean guaranteed = true;
        for (List<ContainerResources> group : List.of(containers, initContainers)) {
            for (ContainerResources container : group) {
                for (String resource : List.of(ResourceNames.CPU, ResourceNames.MEMORY)) {
                    long request = container.requests().get(resource);
                    long limit = container.limits().get(resource);
                    if (request > 0 || limit > 0) {
                        any = true;
                    }
                    long effectiveRequest = request == 0 ? limit : request;
                    if (limit == 0 || effectiveRequest != limit) {
                        guaranteed = false;
                    }
                }
            }
        }
        if (!any) {
            return QosClass.BEST_EFFORT;
        }
        return guaranteed ? QosClass.GUARANTEED : QosClass.BURSTABLE;
    }
}
