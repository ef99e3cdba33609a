package io.kubenexus.scheduler.sim.replay;

import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.model.ResourceNames;
import io.kubenexus.scheduler.sim.model.SimCluster;
import java.util.HashMap;
import java.util.Map;

/**
 * What the simulated cluster has bound: each pod's node and the sums per resource, kept as the
 * binds and departures happen (the report reads allocation without asking the loop). Used on the
 * replay's thread only.
 */
final class Ledger {
    record Placement(String node, long cpuMilli, long memoryBytes, long gpus) {
    }

    private final Map<PodKey, Placement> placements = new HashMap<>();
    final long cpuTotal;
    final long memoryTotal;
    final long gpuTotal;
    private long cpu;
    private long memory;
    private long gpus;

    Ledger(SimCluster cluster) {
        this.cpuTotal = cluster.total(ResourceNames.CPU);
        this.memoryTotal = cluster.total(ResourceNames.MEMORY);
        this.gpuTotal = cluster.totalGpus();
    }

    void bound(PodInfo pod, String node) {
        Placement placement = new Placement(node, pod.requests().get(ResourceNames.CPU),
                pod.requests().get(ResourceNames.MEMORY), pod.requests().get(ResourceNames.NVIDIA_GPU));
        Placement previous = placements.put(pod.key(), placement);
        if (previous != null) {
            release(previous);
        }
        cpu += placement.cpuMilli;
        memory += placement.memoryBytes;
        gpus += placement.gpus;
    }

    /** The pod left; returns where it was, or null when it was never bound. */
    Placement departed(PodKey key) {
        Placement placement = placements.remove(key);
        if (placement != null) {
            release(placement);
        }
        return placement;
    }

    private void release(Placement placement) {
        cpu -= placement.cpuMilli;
        memory -= placement.memoryBytes;
        gpus -= placement.gpus;
    }

    Placement placement(PodKey key) {
        return placements.get(key);
    }

    boolean isBound(PodKey key) {
        return placements.containsKey(key);
    }

    long allocatedGpus() {
        return gpus;
    }

    double gpuShare() {
        return gpuTotal == 0 ? 0 : (double) gpus / gpuTotal;
    }

    double cpuShare() {
        return cpuTotal == 0 ? 0 : (double) cpu / cpuTotal;
    }

    double memoryShare() {
        return memoryTotal == 0 ? 0 : (double) memory / memoryTotal;
    }
}
