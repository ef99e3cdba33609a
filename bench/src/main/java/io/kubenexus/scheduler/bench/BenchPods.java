package io.kubenexus.scheduler.bench;

import io.kubenexus.scheduler.core.model.ContainerResources;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.model.PodPhase;
import io.kubenexus.scheduler.core.model.PodRequests;
import io.kubenexus.scheduler.core.model.QosClass;
import io.kubenexus.scheduler.core.model.ResourceList;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Pods for benchmarks, built the way the Kubernetes adapter translates them. */
final class BenchPods {
    private BenchPods() {
    }

    /**
     * A pod with one container.
     *
     * @param guaranteed limits equal to requests (QoS Guaranteed: what the kubelet aligns to NUMA zones)
     * @param nodeName   the node it is bound to, or null for a pending pod
     */
    static PodInfo pod(String name, Map<String, Long> requests, boolean guaranteed, Map<String, String> annotations,
                       String nodeName) {
        ResourceList list = ResourceList.of(requests);
        List<ContainerResources> containers = List.of(new ContainerResources("main", list,
                guaranteed ? list : ResourceList.EMPTY, List.of(), false));
        QosClass qos = PodRequests.qosClass(containers, List.of());
        return new PodInfo(new PodKey("bench", name), "uid-" + name, "kubenexus-scheduler", nodeName,
                nodeName == null ? PodPhase.PENDING : PodPhase.RUNNING, false, 0, Instant.EPOCH, Map.of(), annotations,
                PodRequests.effective(containers, List.of(), null), PodRequests.nonZero(containers, List.of(), null),
                List.of(), Map.of(), null, List.of(), qos, List.of(), false, null, containers);
    }
}
