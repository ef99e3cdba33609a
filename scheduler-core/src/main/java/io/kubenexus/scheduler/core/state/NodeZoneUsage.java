package io.kubenexus.scheduler.core.state;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One node's NUMA zones as the scheduler counts them (see {@link ZoneUsageSource}).
 *
 * @param policy the kubelet's Topology Manager policy on the node, e.g. {@code single-numa-node}
 * @param source where the topology came from, e.g. {@code NodeResourceTopology}
 * @param zones  by zone id
 */
public record NodeZoneUsage(String policy, String source, List<Zone> zones) {
    public NodeZoneUsage {
        zones = List.copyOf(zones);
    }

    /**
     * One zone, amounts in the scheduler's units (cpu in millicores, memory in bytes, devices as counts).
     *
     * @param id          the zone id ({@code node-<id>} in NodeResourceTopology)
     * @param allocatable what pods may use of the zone
     * @param free        what the scheduler counts as free now: the last report minus what it placed
     *                    since, 0 while an isolated pod holds the zone
     * @param alignedPods pods with aligned resources charged to the zone
     * @param gpuIslands  NVLink islands on the zone: name to free GPUs of the island
     */
    public record Zone(int id, Map<String, Long> allocatable, Map<String, Long> free, int alignedPods,
                       Map<String, Integer> gpuIslands) {
        public Zone {
            allocatable = Collections.unmodifiableMap(new TreeMap<>(allocatable));
            free = Collections.unmodifiableMap(new TreeMap<>(free));
            gpuIslands = Collections.unmodifiableMap(new TreeMap<>(gpuIslands));
        }
    }
}
