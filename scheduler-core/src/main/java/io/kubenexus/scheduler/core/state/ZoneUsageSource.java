package io.kubenexus.scheduler.core.state;

/**
 * A {@link StateExtension} that can show a node's NUMA zones as it counts them, for people (the
 * cluster page). The core knows no NUMA model: the numa module's per-zone accounting implements
 * this, and readers find it with {@link ClusterSnapshot#extension}.
 *
 * <p>Called on the scheduling loop thread only, like every extension.
 */
public interface ZoneUsageSource {
    /** The node's zones with their allocatable and free amounts now, or null when its topology is unknown. */
    NodeZoneUsage zoneUsage(String nodeName);

    /** Whether the node's topology is known; cheaper than {@link #zoneUsage} for every node of a table. */
    default boolean knowsZones(String nodeName) {
        return zoneUsage(nodeName) != null;
    }
}
