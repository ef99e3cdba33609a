package io.kubenexus.scheduler.sim.importer;

import io.kubenexus.scheduler.core.model.ContainerResources;
import io.kubenexus.scheduler.core.model.NodeAffinity;
import io.kubenexus.scheduler.core.model.NodeSelectorOperator;
import io.kubenexus.scheduler.core.model.NodeSelectorRequirement;
import io.kubenexus.scheduler.core.model.NodeSelectorTerm;
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

/**
 * Pending pods as the Kubernetes adapter would translate them: one container with the given
 * requests, effective and non-zero requests and QoS computed by the core's own rules.
 */
public final class TaskPods {
    /** The node label that carries a GPU node's model, as NVIDIA's GPU feature discovery sets it. */
    public static final String GPU_MODEL_LABEL = "nvidia.com/gpu.product";
    public static final String HOSTNAME_LABEL = "kubernetes.io/hostname";

    private TaskPods() {
    }

    /** cpu (milli), memory (bytes) and, when positive, nvidia.com/gpu; zero amounts left out. */
    public static ResourceList requests(long cpuMilli, long memoryBytes, long gpus) {
        Map<String, Long> amounts = new LinkedHashMap<>();
        if (cpuMilli > 0) {
            amounts.put(ResourceNames.CPU, cpuMilli);
        }
        if (memoryBytes > 0) {
            amounts.put(ResourceNames.MEMORY, memoryBytes);
        }
        if (gpus > 0) {
            amounts.put(ResourceNames.NVIDIA_GPU, gpus);
        }
        return ResourceList.of(amounts);
    }

    /** Required node affinity: the node's {@link #GPU_MODEL_LABEL} is one of {@code models}; null when none. */
    public static NodeAffinity gpuModelAffinity(List<String> models) {
        if (models == null || models.isEmpty()) {
            return null;
        }
        return new NodeAffinity(List.of(new NodeSelectorTerm(List.of(
                new NodeSelectorRequirement(GPU_MODEL_LABEL, NodeSelectorOperator.IN, models)), List.of())), List.of());
    }

    public static PodInfo pending(PodKey key, String schedulerName, int priority, Instant createdAt,
                                  Map<String, String> labels, Map<String, String> annotations, ResourceList requests,
                                  Map<String, String> nodeSelector, NodeAffinity affinity, List<Toleration> tolerations,
                                  boolean guaranteed) {
        // Limits equal to requests make the pod Guaranteed, the only QoS the kubelet NUMA-aligns.
        List<ContainerResources> containers = List.of(guaranteed
                ? new ContainerResources("main", requests, requests, List.of(), false)
                : ContainerResources.of("main", requests));
        return new PodInfo(key, key.namespace() + "/" + key.name(), schedulerName, null, PodPhase.PENDING, false,
                priority, createdAt, labels, annotations, PodRequests.effective(containers, List.of(), null),
                PodRequests.nonZero(containers, List.of(), null), List.of(), nodeSelector, affinity, tolerations,
                PodRequests.qosClass(containers, List.of()), List.of(), false, null, containers);
    }
}
