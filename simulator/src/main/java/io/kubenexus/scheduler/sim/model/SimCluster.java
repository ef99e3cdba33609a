package io.kubenexus.scheduler.sim.model;

import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.ResourceNames;
import io.kubenexus.scheduler.numa.NodeTopology;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The nodes a simulation starts with, as the scheduler's model sees them, and the NUMA topology of
 * those that declare one.
 *
 * @param source     where the nodes came from (a file name), for the report
 * @param topologies NUMA topology by node name; nodes absent here have an unknown topology
 */
public record SimCluster(String source, List<NodeInfo> nodes, Map<String, NodeTopology> topologies) {
    public SimCluster {
        Objects.requireNonNull(source, "source");
        nodes = List.copyOf(nodes);
        topologies = topologies == null ? Map.of() : Map.copyOf(topologies);
        Set<String> names = new HashSet<>();
        for (NodeInfo node : nodes) {
            if (!names.add(node.name())) {
                throw new IllegalArgumentException(source + ": node '" + node.name() + "' is listed twice");
            }
        }
    }

    /** Whole {@code nvidia.com/gpu} over every node. */
    public long total(String resource) {
        long sum = 0;
        for (NodeInfo node : nodes) {
            sum += node.allocatable().get(resource);
        }
        return sum;
    }

    /** The values the nodes give label {@code key}, sorted (e.g. the GPU models there are). */
    public Set<String> labelValues(String key) {
        Set<String> values = new TreeSet<>();
        for (NodeInfo node : nodes) {
            String value = node.labels().get(key);
            if (value != null) {
                values.add(value);
            }
        }
        return values;
    }

    public long totalGpus() {
        return total(ResourceNames.NVIDIA_GPU);
    }
}
