package io.kubenexus.scheduler.numa;

import io.kubenexus.scheduler.core.state.NodeZoneUsage;
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
 * <p>Free amount of a zone = reported available - our charges not yet reflected in a report.
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
    /**
     * Every charge's amounts, reported or not ({@code slot * zoneCount + position}): what the pods we
     * know of hold per zone. Allocatable minus this is the most a zone can have free, however stale
     * the report; the isolation rules use it.
     */
    final long[] known;
    /** Aligned pods on this node the kubelet has not started yet (bound or assumed, not Running). */
    int admitting;
    /** Whether some zone lists the slot, even at 0 (a device the kubelet aligns on this node). */
    final boolean[] reports;
    final int gpuSlot;
    final int[] islandPosition;
    final int[] islandSize;
    final int[] islandUsed;
    final String[] islandName;
    final List<Charge> charges = new ArrayList<>();
    /**
     * For each slot and width w, the largest amount any w zones together hold on the empty node, as
     * the kubelet's hint providers size a request: whole CPUs of capacity, allocatable memory and
     * hugepages, device capacity. Index {@code slot * (zoneCount + 1) + w}. Gives a request's minimal
     * width without enumerating zone sets.
     */
    final long[] sizingByWidth;
    /**
     * What the filter reads, in one array so a node costs a cache line or two: free amounts
     * ({@code slot * zoneCount + zone}, already floored at 0 and 0 in isolated zones), then
     * {@link #sizingByWidth} at {@link #sizingBase}, then allocatable at {@link #allocatableBase}.
     * Refreshed by {@link #refreshFree()} after every charge and report.
     */
    final long[] hot;
    final int sizingBase;
    final int allocatableBase;
    /** Bit per slot listed by some zone (slots beyond 63 fall back to {@link #reports}). */
    final long reportedSlots;
    final boolean restrictive;
    final boolean singleNumaNode;

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
        this.known = new long[slotCount * zoneCount];
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
        this.sizingByWidth = new long[slotCount * (zoneCount + 1)];
        for (int s = 0; s < slotCount; s++) {
            String name = slots.name(s);
            boolean memory = name.equals("memory") || name.startsWith("hugepages-");
            for (int mask : masks) {
                long sum = 0;
                for (int z = 0; z < zoneCount; z++) {
                    if ((mask & (1 << z)) != 0) {
                        int i = s * zoneCount + z;
                        sum += s == ResourceSlots.CPU ? capacity[i] / 1000 * 1000 : memory ? allocatable[i] : capacity[i];
                    }
                }
                int at = s * (zoneCount + 1) + Integer.bitCount(mask);
                sizingByWidth[at] = Math.max(sizingByWidth[at], sum);
            }
        }
        this.sizingBase = slotCount * zoneCount;
        this.allocatableBase = sizingBase + slotCount * (zoneCount + 1);
        this.hot = new long[allocatableBase + slotCount * zoneCount];
        System.arraycopy(sizingByWidth, 0, hot, sizingBase, sizingByWidth.length);
        System.arraycopy(allocatable, 0, hot, allocatableBase, allocatable.length);
        long bits = 0;
        for (int s = 0; s < Math.min(slotCount, 64); s++) {
            bits |= reports[s] ? 1L << s : 0;
        }
        this.reportedSlots = bits;
        this.restrictive = topology.policy() == TopologyManagerPolicy.RESTRICTED
                || topology.policy() == TopologyManagerPolicy.SINGLE_NUMA_NODE;
        this.singleNumaNode = topology.policy() == TopologyManagerPolicy.SINGLE_NUMA_NODE;
        refreshFree();
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
        if (source == TopologySource.NODE_RESOURCE_TOPOLOGY) {
            for (int z = 0; z < zoneCount; z++) {
                for (Map.Entry<String, Long> e : report.zones().get(z).available().entrySet()) {
                    int s = slots.slotOf(e.getKey());
                    if (s >= 0 && s < slotCount) {
                        reported[s * zoneCount + z] = e.getValue();
                    }
                }
            }
        }
        if (hot != null) {
            refreshFree();
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

    /**
     * The fewest zones that could hold {@code amount} of the slot on the empty node (the hint
     * providers' "preferred" width); the zone count when even all of them cannot.
     */
    int minWidth(int slot, long amount) {
        if (slot >= 0 && slot < slotCount) {
            int base = sizingBase + slot * (zoneCount + 1);
            for (int w = 1; w <= zoneCount; w++) {
                if (hot[base + w] >= amount) {
                    return w;
                }
            }
        }
        return zoneCount;
    }

    long free(int slot, int z) {
        return slot >= 0 && slot < slotCount ? hot[slot * zoneCount + z] : 0;
    }

    /** Recomputes the free amounts the filter reads; call after changing reports, charges or isolation. */
    void refreshFree() {
        for (int s = 0; s < slotCount; s++) {
            for (int z = 0; z < zoneCount; z++) {
                int i = s * zoneCount + z;
                long free = reported[i] - charged[i];
                hot[i] = free > 0 ? free : 0;
            }
        }
        int isolated = 0;
        for (int z = 0; z < zoneCount; z++) {
            isolated |= isolatedPods[z] > 0 ? 1 << z : 0;
        }
        isolatedMask = isolated;
        if (columns != null) {
            columns.write(index, this);
        }
    }

    /** Zones (bits over positions) an isolated pod holds: no other aligned pod may be placed there. */
    int isolatedMask;
    /** Where the filter's flat copy lives, once the node is installed at a state index. */
    private ZoneColumns columns;
    private int index = -1;

    void attach(ZoneColumns target, int nodeIndex) {
        this.columns = target;
        this.index = nodeIndex;
        target.write(nodeIndex, this);
    }

    /** The most the zone can have free of the slot: allocatable minus every pod we know there. */
    long mostFree(int slot, int z) {
        if (slot < 0 || slot >= slotCount) {
            return 0;
        }
        int i = slot * zoneCount + z;
        return Math.max(0, allocatable[i] - known[i]);
    }

    long capacity(int slot, int z) {
        return slot < 0 || slot >= slotCount ? 0 : capacity[slot * zoneCount + z];
    }

    long allocatable(int slot, int z) {
        return slot < 0 || slot >= slotCount ? 0 : hot[allocatableBase + slot * zoneCount + z];
    }

    boolean reports(int slot) {
        if (slot < 64) {
            return slot >= 0 && (reportedSlots & (1L << slot)) != 0;
        }
        return slot < slotCount && reports[slot];
    }

    /** Free GPUs of island {@code i}: our count of its GPUs in use, capped by its zone's free GPUs. */
    /** The zones as people read them: allocatable and free per resource the zone lists, islands' free GPUs. */
    NodeZoneUsage usage(ResourceSlots slots) {
        List<NodeZoneUsage.Zone> zones = new ArrayList<>(zoneCount);
        for (int z = 0; z < zoneCount; z++) {
            Map<String, Long> zoneAllocatable = new HashMap<>();
            Map<String, Long> zoneFree = new HashMap<>();
            for (int s = 0; s < slotCount; s++) {
                int i = s * zoneCount + z;
                if (reports[s]) { // listed by some zone of the node, even at 0
                    zoneAllocatable.put(slots.name(s), allocatable[i]);
                    zoneFree.put(slots.name(s), free(s, z));
                }
            }
            Map<String, Integer> islands = new HashMap<>();
            for (int i = 0; i < islandName.length; i++) {
                if (islandPosition[i] == z) {
                    islands.put(islandName[i], islandFree(i));
                }
            }
            zones.add(new NodeZoneUsage.Zone(zoneIds[z], zoneAllocatable, zoneFree,
                    alignedPods[z], islands));
        }
        return new NodeZoneUsage(topology.policy().apiName(),
                source == TopologySource.NODE_RESOURCE_TOPOLOGY ? "NodeResourceTopology" : "node annotation", zones);
    }

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
        return bestIsland(mask, gpus, false);
    }

    /**
     * Like {@link #bestIsland(int, long)}; with {@code alreadyHeld} the GPUs are among the zone's used
     * ones already (a pod a report counts), so only our island bookkeeping limits the choice.
     */
    int bestIsland(int mask, long gpus, boolean alreadyHeld) {
        int best = -1;
        int bestFree = Integer.MAX_VALUE;
        for (int i = 0; i < islandPosition.length; i++) {
            int position = islandPosition[i];
            if (position < 0 || (mask & (1 << position)) == 0) {
                continue;
            }
            int free = alreadyHeld ? islandSize[i] - islandUsed[i] : islandFree(i);
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
        int mask;
        /** Amount per {@code slot * zoneCount + position}, sized for this node. */
        long[] amounts;
        final boolean isolated;
        int island;
        int islandGpus;
        long runningSequence;
        boolean reflected;
        /** When it was made, among all charges: a node's list stays in this order (reports are attributed in it). */
        long order;
        /**
         * The pod's charged slots, how the kubelet aligns each and the amount it pins (0 for shared-pool
         * CPU and listed-only amounts), shared with its {@code PodDemand}: what a report must hold to count it.
         */
        final int[] demandSlots;
        final byte[] pinnedKinds;
        final long[] pinnedAmounts;

        Charge(io.kubenexus.scheduler.core.model.PodKey key, int node, int mask, long[] amounts, boolean isolated,
               int island, int islandGpus, int[] demandSlots, byte[] pinnedKinds,
               long[] pinnedAmounts) {
            this.key = key;
            this.node = node;
            this.mask = mask;
            this.amounts = amounts;
            this.isolated = isolated;
            this.island = island;
            this.islandGpus = islandGpus;
            this.demandSlots = demandSlots;
            this.pinnedKinds = pinnedKinds;
            this.pinnedAmounts = pinnedAmounts;
        }
    }
}
