package io.kubenexus.scheduler.sim.synthetic;

import io.kubenexus.scheduler.core.model.ContainerResources;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.model.PodPhase;
import io.kubenexus.scheduler.core.model.PodRequests;
import io.kubenexus.scheduler.core.model.ResourceList;
import io.kubenexus.scheduler.core.model.ResourceNames;
import io.kubenexus.scheduler.core.model.Toleration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A pending pod to create, as {@link WorkloadGenerator} draws it: one container's requests and the
 * scheduling constraints. Adapters turn it into an API Pod (the demo) or a {@code PodInfo}
 * (benchmarks).
 *
 * @param priority      the pod's {@code spec.priority} (0, or the generator's high priority)
 * @param workloadClass which size range it was drawn from
 */
public record PodSpecTemplate(
        String name,
        String namespace,
        long cpuMilli,
        long memoryBytes,
        int gpus,
        int priority,
        List<Toleration> tolerations,
        Map<String, String> nodeSelector,
        Map<String, String> labels,
        WorkloadClass workloadClass) {

    public PodSpecTemplate {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(workloadClass, "workloadClass");
        if (cpuMilli < 0 || memoryBytes < 0 || gpus < 0) {
            throw new IllegalArgumentException("pod " + name + ": requests must not be negative");
        }
        tolerations = tolerations == null ? List.of() : List.copyOf(tolerations);
        nodeSelector = nodeSelector == null ? Map.of() : Map.copyOf(nodeSelector);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** The container's requests: cpu, memory and, when asked for, nvidia.com/gpu (not the implicit pod slot). */
    public ResourceList requests() {
        Map<String, Long> amounts = new LinkedHashMap<>();
        amounts.put(ResourceNames.CPU, cpuMilli);
        amounts.put(ResourceNames.MEMORY, memoryBytes);
        amounts.put(ResourceNames.NVIDIA_GPU, (long) gpus);
        return ResourceList.of(amounts);
    }

    /**
     * Whether the pod could run on this node if the node were empty: the node is schedulable, its
     * allocatable covers the requests and a pod slot, the node selector matches and every
     * NoSchedule/NoExecute taint is tolerated. Lets the demo and benchmarks know which pods are
     * unschedulable by construction rather than by contention; it is not the scheduler's filter.
     */
    /**
     * The pending pod this template describes, as the scheduler's model sees it (one container with
     * these requests), for benchmarks and for checking placements with the production plugins.
     */
    public PodInfo toPodInfo(String schedulerName, Instant createdAt) {
        List<ContainerResources> containers = List.of(ContainerResources.of("main", requests()));
        return new PodInfo(new PodKey(namespace, name), namespace + "-" + name, schedulerName, null, PodPhase.PENDING,
                false, priority, createdAt, labels, Map.of(), PodRequests.effective(containers, List.of(), null),
                PodRequests.nonZero(containers, List.of(), null), List.of(), nodeSelector, null, tolerations,
                PodRequests.qosClass(containers, List.of()), List.of(), false, null, containers);
    }
}
