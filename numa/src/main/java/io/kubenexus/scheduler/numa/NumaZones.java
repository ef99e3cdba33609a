package io.kubenexus.scheduler.numa;

import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.state.StateExtension;

/** Per-zone accounting beside the cluster state (being written). */
public final class NumaZones implements StateExtension {

    public NumaZones(NumaSettings settings) {
    }

    /**
     * Publishes or replaces a node's topology; may arrive before or after the node itself.
     * Loop thread only (post through {@code SchedulingLoop.onStateUpdate}).
     *
     * @param interconnect the node's NVLink islands, or null
     */
    public void setTopology(String nodeName, NodeTopology topology, GpuInterconnect interconnect, TopologySource source) {
        throw new UnsupportedOperationException("not yet");
    }

    /** The node's topology is unknown from now on (object deleted, annotation removed or malformed). */
    public void clearTopology(String nodeName) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Where the pod's aligned resources are charged, or null. */
    public ZonePlacement placement(PodKey pod) {
        throw new UnsupportedOperationException("not yet");
    }
}
