package io.kubenexus.scheduler.sim.synthetic;

import java.util.List;

/**
 * How a synthetic node's resources split over its NUMA zones, and how its kubelet aligns them: what a
 * NodeResourceTopology exporter on such a node would publish. Every zone is alike (real servers have
 * identical sockets); the kubelet's settings are kept as the API spells them, since the scheduler's
 * core knows no NUMA types.
 *
 * @param zones                 NUMA zones, 1..16, ids {@code 0..zones-1}
 * @param cpuMilliPerZone       cpu per zone in millicores, whole cores
 * @param memoryBytesPerZone    memory per zone in bytes
 * @param gpusPerZone           {@code nvidia.com/gpu} attached to each zone; 0 on CPU-only nodes
 * @param topologyManagerPolicy the kubelet's {@code --topology-manager-policy}: none, best-effort,
 *                              restricted or single-numa-node
 * @param topologyManagerScope  the kubelet's {@code --topology-manager-scope}: container or pod
 * @param nvlinkIslandPerZone   whether each zone's GPUs form one NVLink island (published in the
 *                              node annotation {@code numa.scheduling.kubenexus.io/gpu-islands})
 */
public record NumaLayout(
        int zones,
        long cpuMilliPerZone,
        long memoryBytesPerZone,
        int gpusPerZone,
        String topologyManagerPolicy,
        String topologyManagerScope,
        boolean nvlinkIslandPerZone) {

    public static final List<String> POLICIES = List.of("none", "best-effort", "restricted", "single-numa-node");
    public static final List<String> SCOPES = List.of("container", "pod");

    public NumaLayout {
        if (zones < 1 || zones > 16) {
            throw new IllegalArgumentException("NUMA layout: zones must be 1..16, was " + zones);
        }
        if (cpuMilliPerZone <= 0 || cpuMilliPerZone % 1000 != 0) {
            throw new IllegalArgumentException("NUMA layout: cpu per zone must be a positive number of whole cores, was "
                    + cpuMilliPerZone + "m");
        }
        if (memoryBytesPerZone <= 0 || gpusPerZone < 0) {
            throw new IllegalArgumentException("NUMA layout: memory per zone must be positive and GPUs not negative");
        }
        if (!POLICIES.contains(topologyManagerPolicy)) {
            throw new IllegalArgumentException("NUMA layout: topologyManagerPolicy '" + topologyManagerPolicy
                    + "' is not one of " + POLICIES);
        }
        if (!SCOPES.contains(topologyManagerScope)) {
            throw new IllegalArgumentException("NUMA layout: topologyManagerScope '" + topologyManagerScope
                    + "' is not one of " + SCOPES);
        }
        if (nvlinkIslandPerZone && gpusPerZone == 0) {
            throw new IllegalArgumentException("NUMA layout: NVLink islands need GPUs");
        }
    }

    /** A two-socket GPU server: each socket with its share of cores, memory and one NVLink island of GPUs. */
    public static NumaLayout gpuSockets(int zones, int coresPerZone, int memoryGiPerZone, int gpusPerZone) {
        return new NumaLayout(zones, coresPerZone * 1000L, memoryGiPerZone * NodeShape.GI, gpusPerZone,
                "single-numa-node", "container", true);
    }

    /** A CPU server with several NUMA zones whose kubelet runs {@code restricted} with pod scope. */
    public static NumaLayout cpuZones(int zones, int coresPerZone, int memoryGiPerZone) {
        return new NumaLayout(zones, coresPerZone * 1000L, memoryGiPerZone * NodeShape.GI, 0, "restricted", "pod",
                false);
    }

    public long totalCpuMilli() {
        return zones * cpuMilliPerZone;
    }

    public long totalMemoryBytes() {
        return zones * memoryBytesPerZone;
    }

    public int totalGpus() {
        return zones * gpusPerZone;
    }
}
