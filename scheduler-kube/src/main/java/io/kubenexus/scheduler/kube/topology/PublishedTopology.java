package io.kubenexus.scheduler.kube.topology;

import io.kubenexus.scheduler.numa.GpuInterconnect;
import io.kubenexus.scheduler.numa.NodeTopology;
import io.kubenexus.scheduler.numa.TopologySource;
import java.util.Objects;

/**
 * What a node's topology is taken to be: the facts handed to
 * {@link io.kubenexus.scheduler.numa.NumaZones#setTopology}.
 *
 * @param topology     the zones and Topology Manager settings
 * @param interconnect the NVLink islands, or null when none are published (or they do not fit)
 * @param source       where the topology came from
 */
public record PublishedTopology(NodeTopology topology, GpuInterconnect interconnect, TopologySource source) {
    public PublishedTopology {
        Objects.requireNonNull(topology, "topology");
        Objects.requireNonNull(source, "source");
    }
}
