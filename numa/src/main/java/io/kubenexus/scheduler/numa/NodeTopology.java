package io.kubenexus.scheduler.numa;

import java.util.Comparator;
import java.util.List;

/**
 * A node's NodeResourceTopology: its NUMA zones and the kubelet Topology Manager settings from the
 * {@code topologyManagerPolicy} and {@code topologyManagerScope} attributes.
 *
 * @param zones  the zones, stored sorted by id; ids are distinct
 * @param policy the Topology Manager policy
 * @param scope  the Topology Manager scope
 */
public record NodeTopology(List<NumaZone> zones, TopologyManagerPolicy policy, TopologyManagerScope scope) {

    public NodeTopology {
        if (zones == null || zones.isEmpty()) {
            throw new IllegalArgumentException("a NodeTopology needs at least one NUMA zone");
        }
        if (policy == null || scope == null) {
            throw new IllegalArgumentException("topologyManagerPolicy and topologyManagerScope must be set");
        }
        // The kubelet refuses more than 8 NUMA nodes unless max-allowable-numa-nodes raises it; hint
        // generation enumerates 2^zones sets, so we cap where that stays cheap.
        if (zones.size() > NumaMask.MAX_ENUMERABLE_ZONES) {
            throw new IllegalArgumentException("at most " + NumaMask.MAX_ENUMERABLE_ZONES
                    + " NUMA zones are supported, got " + zones.size());
        }
        zones = zones.stream().sorted(Comparator.comparingInt(NumaZone::id)).toList();
        for (int i = 1; i < zones.size(); i++) {
            if (zones.get(i).id() == zones.get(i - 1).id()) {
                throw new IllegalArgumentException("duplicate NUMA zone id " + zones.get(i).id());
            }
        }
    }

    /** All zone ids: the kubelet's default affinity. */
    public NumaMask allZones() {
        NumaMask all = NumaMask.EMPTY;
        for (NumaZone zone : zones) {
            all = all.or(NumaMask.of(zone.id()));
        }
        return all;
    }
}
