package io.kubenexus.scheduler.numa;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One node's NUMA zones in primitive arrays ({@code slot * zoneCount + position}, positions in
 * ascending zone id): what the topology reports, what we charged on top, and which zones hold aligned
 * or isolated pods; plus the node's NVLink islands. The checks here are the NUMA filter's per-node
 * work: they allocate nothing (except the rare fallback to the full kubelet model).
 *
 * <p>Free amount of a zone = reported available - our charges not yet reflected in a report, and 0 in
 * a zone an isolated pod holds (no other aligned pod we place may join it).
 */
final class NodeZones {
    /** Zone sets of up to this many zones come from a shared table; wider nodes build their own. */
    private static final int TABLE_ZONES = 8;
    private static final int[][] SHARED_MASKS = new int[TABLE_ZONES + 1][];

    static {
        for (int z = 1; z <= TABLE_ZONES; z++) {
            SHARED_MASKS[z] = masksByWidth(z);
        }
    }

    final String nodeName;
    final NodeTopology topology;
    final GpuInterconnect interconnect;
    final TopologySource source;
    final int zoneCount;
    final int[] zoneIds;
    /** Zone sets as bit masks over positions, by width ascending then value: the kubelet's preference order. */
    final int[] masks;
    final int slotCount;
    final long[] capacity;
    final long[] allocatable;
    final long[] reported;
    final long[] charged;
    final int[] alignedPods;
    final int[] isolatedPods;
    /** Whether some zone lists the slot, even at 0 (a device the kubelet aligns on this node). */
    final boolean[] reports;
    final int gpuSlot;
    final int[] islandPosition;
    final int[] islandSize;
    final int[] islandUsed;
    final String[] islandName;
    final List<Charge> charges = new ArrayList<>();

    NodeZones(String nodeName, NodeTopology topology, GpuInterconnect interconnect, TopologySource source,
              ResourceSlots slots) {
        this.nodeName = nodeName;
        this.topology = topology;
        this.interconnect = interconnect;
        this.source = source;
        List<NumaZone> zones = topology.zones();
        this.zoneCount = zones.size();
        this.zoneIds = new int[zoneCount];
        for (NumaZone zone : zones) {
            zone.capacity().keySet().forEach(slots::register);
            zone.allocatable().keySet().forEach(slots::register);
        }
        if (interconnect != null) {
            slots.register(interconnect.resource());
        }
        this.slotCount = slots.count();
        this.masks = zoneCount <= TABLE_ZONES ? SHARED_MASKS[zoneCount] : masksByWidth(zoneCount);
        this.capacity = new long[slotCount * zoneCount];
        this.allocatable = new long[slotCount * zoneCount];
        this.reported = new long[slotCount * zoneCount];
        this.charged = new long[slotCount * zoneCount];
        this.alignedPods = new int[zoneCount];
        this.isolatedPods = new int[zoneCount];
        this.reports = new boolean[slotCount];
        Map<Integer, Integer> positionById = new HashMap<>();
        for (int z = 0; z < zoneCount; z++) {
            NumaZone zone = zones.get(z);
            zoneIds[z] = zone.id();
            positionById.put(zone.id(), z);
            for (int s = 0; s < slotCount; s++) {
                String name = slots.name(s);
                int i = s * zoneCount + z;
                capacity[i] = zone.capacityOf(name);
                allocatable[i] = zone.allocatable().containsKey(name) ? zone.allocatableOf(name) : capacity[i];
                // Listed at all, even at 0: the kubelet's device manager then has hints (none fitting).
                if (zone.capacity().containsKey(name) || zone.allocatable().containsKey(name)) {
                    reports[s] = true;
                }
            }
        }
        setReported(topology, slots);
        this.gpuSlot = slots.slotOf(interconnect == null ? "nvidia.com/gpu" : interconnect.resource());
        int islands = interconnect == null ? 0 : interconnect.islands().size();
        islandPosition = new int[islands];
        islandSize = new int[islands];
        islandUsed = new int[islands];
        islandName = new String[islands];
        for (int i = 0; i < islands; i++) {
            GpuIsland island = interconnect.islands().get(i);
            Integer position = positionById.get(island.zone());
            // An island on a zone the topology does not have is ignored (the translator reports it).
            islandPosition[i] = position == null ? -1 : position;
            islandSize[i] = island.gpus();
            islandName[i] = island.name();
        }
    }

    /**
     * Takes a report's available amounts: from an NRT object as reported (a resource without
     * {@code available} counts as allocatable); from the annotation the allocatable amounts, since we
     * count every pod on such a node ourselves.
     */
    void setReported(NodeTopology report, ResourceSlots slots) {
        System.arraycopy(allocatable, 0, reported, 0, reported.length);
        if (source != TopologySource.NODE_RESOURCE_TOPOLOGY) {
            return;
        }
        for (int z = 0; z < zoneCount; z++) {
            for (Map.Entry<String, Long> e : report.zones().get(z).available().entrySet()) {
                int s = slots.slotOf(e.getKey());
                if (s >= 0 && s < slotCount) {
                    reported[s * zoneCount + z] = e.getValue();
                }
            }
        }
    }

    /** Whether {@code other} has the same zones and resources, so charges carry over as they are. */
    boolean sameLayout(NodeTopology other, GpuInterconnect otherInterconnect, TopologySource otherSource) {
        if (other.zones().size() != zoneCount || otherSource != source
                || !java.util.Objects.equals(otherInterconnect, interconnect)
                || other.policy() != topology.policy() || other.scope() != topology.scope()) {
            return false;
        }
        for (int z = 0; z < zoneCount; z++) {
            NumaZone zone = other.zones().get(z);
            NumaZone mine = topology.zones().get(z);
            if (zone.id() != mine.id() || !zone.capacity().equals(mine.capacity())
                    || !zone.allocatable().equals(mine.allocatable())) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ amounts

    long free(int slot, int z) {
        if (slot < 0 || slot >= slotCount || isolatedPods[z] > 0) {
            return 0;
        }
        int i = slot * zoneCount + z;
        long free = reported[i] - charged[i];
        return free > 0 ? free : 0;
    }

    long capacity(int slot, int z) {
        return slot < 0 || slot >= slotCount ? 0 : capacity[slot * zoneCount + z];
    }

    long allocatable(int slot, int z) {
        return slot < 0 || slot >= slotCount ? 0 : allocatable[slot * zoneCount + z];
    }

    boolean reports(int slot) {
        return slot >= 0 && slot < slotCount && reports[slot];
    }

    /** Free GPUs of island {@code i}: our count of its GPUs in use, capped by its zone's free GPUs. */
    int islandFree(int i) {
        int position = islandPosition[i];
        if (position < 0) {
            return 0;
        }
        long zoneFree = free(gpuSlot, position);
        return (int) Math.max(0, Math.min(islandSize[i] - islandUsed[i], zoneFree));
    }

    /**
     * The island in {@code mask} with the fewest free GPUs that still holds {@code gpus} (best fit, as
     * NVIDIA's device plugin prefers keeping whole islands free), or -1.
     */
    int bestIsland(int mask, long gpus) {
        int best = -1;
        int bestFree = Integer.MAX_VALUE;
        for (int i = 0; i < islandPosition.length; i++) {
            int position = islandPosition[i];
            if (position < 0 || (mask & (1 << position)) == 0) {
                continue;
            }
            int free = islandFree(i);
            if (free >= gpus && free < bestFree) {
                best = i;
                bestFree = free;
            }
        }
        return best;
    }

    String zoneList(int mask) {
        StringBuilder text = new StringBuilder();
        for (int z = 0; z < zoneCount; z++) {
            if ((mask & (1 << z)) != 0) {
                text.append(text.length() == 0 ? "" : ",").append(zoneIds[z]);
            }
        }
        return text.toString();
    }

    NumaMask toNumaMask(int mask) {
        NumaMask result = NumaMask.EMPTY;
        for (int z = 0; z < zoneCount; z++) {
            if ((mask & (1 << z)) != 0) {
                result = result.or(NumaMask.of(zoneIds[z]));
            }
        }
        return result;
    }

    /** The topology with our free amounts as available, for the full kubelet model (rare path). */
    NodeTopology withOurFree(ResourceSlots slots) {
        List<NumaZone> zones = new ArrayList<>(zoneCount);
        for (int z = 0; z < zoneCount; z++) {
            NumaZone zone = topology.zones().get(z);
            Map<String, Long> available = new HashMap<>();
            for (int s = 0; s < slotCount; s++) {
                if (reports[s]) {
                    available.put(slots.name(s), free(s, z));
                }
            }
            zones.add(zone.withAvailable(available));
        }
        return new NodeTopology(zones, topology.policy(), topology.scope());
    }

    static int[] masksByWidth(int zones) {
        int[] result = new int[(1 << zones) - 1];
        int n = 0;
        for (int width = 1; width <= zones; width++) {
            for (int mask = 1; mask < (1 << zones); mask++) {
                if (Integer.bitCount(mask) == width) {
                    result[n++] = mask;
                }
            }
        }
        return result;
    }

    /** A pod charged to zones of this node. */
    static final class Charge {
        final io.kubenexus.scheduler.core.model.PodKey key;
        /** The node's index in the cluster state. */
        final int node;
        final int mask;
        /** Amount per {@code slot * zoneCount + position}, sized for this node. */
        final long[] amounts;
        final boolean isolated;
        final int island;
        final int islandGpus;
        long runningSequence;
        boolean reflected;

        Charge(io.kubenexus.scheduler.core.model.PodKey key, int node, int mask, long[] amounts, boolean isolated,
               int island, int islandGpus) {
            this.key = key;
            this.node = node;
            this.mask = mask;
            this.amounts = amounts;
            this.isolated = isolated;
            this.island = island;
            this.islandGpus = islandGpus;
        }
    }
}
