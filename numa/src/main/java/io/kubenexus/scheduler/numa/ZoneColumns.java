package io.kubenexus.scheduler.numa;

import java.util.Arrays;

/**
 * Every node's NUMA filter data in flat columns indexed by node, like the cluster state's resource
 * columns: the filter walks nodes in index order, so these stream through the cache where one object
 * per node would miss on each. Mirrors {@link NodeZones} (the bookkeeping) after every change.
 *
 * <p>Per node: {@link #meta} packs the zone count and flags; per slot, {@link #free} and
 * {@link #allocatable} hold {@value #MAX_ZONES} zones per node, {@link #maxZone} the most one zone can
 * hold on the empty node (as the kubelet sizes requests: whole CPUs, allocatable memory, device
 * capacity), which answers "is the minimal width 1?" in one read. Nodes with more zones, or
 * resources beyond slot 31, are marked for the full path.
 */
final class ZoneColumns {
    static final int MAX_ZONES = 8;
    static final long ZONE_COUNT_BITS = 0xF;
    static final long RESTRICTIVE = 1L << 4;
    static final long SINGLE_NUMA_NODE = 1L << 5;
    static final long POLICY_NONE = 1L << 6;
    /** This node takes the full path (more than {@value #MAX_ZONES} zones or too many resources). */
    static final long FULL_PATH = 1L << 7;
    static final long CONTAINER_SCOPE = 1L << 24;
    /** The node has NVLink islands (GPU locality needs the node object). */
    static final long HAS_ISLANDS = 1L << 25;
    /** The node's GPUs are not {@code nvidia.com/gpu} (scored through the node object). */
    static final long OTHER_GPU_RESOURCE = 1L << 26;
    static final int ISOLATED_SHIFT = 8;
    static final int OCCUPIED_SHIFT = 16;
    static final int REPORTED_SHIFT = 32;
    private static final int MAX_FAST_SLOTS = 32;

    long[] meta = new long[64];
    long[][] free = new long[0][];
    long[][] allocatable = new long[0][];
    long[][] maxZone = new long[0][];

    void write(int index, NodeZones n) {
        ensure(index, n.slotCount);
        int zones = n.zoneCount;
        long bits = 0;
        if (zones > MAX_ZONES || n.slotCount > MAX_FAST_SLOTS) {
            meta[index] = FULL_PATH | 1;
            return;
        }
        bits |= zones;
        bits |= n.restrictive ? RESTRICTIVE : 0;
        bits |= n.singleNumaNode ? SINGLE_NUMA_NODE : 0;
        bits |= n.topology.policy() == TopologyManagerPolicy.NONE ? POLICY_NONE : 0;
        bits |= n.topology.scope() == TopologyManagerScope.CONTAINER ? CONTAINER_SCOPE : 0;
        bits |= n.islandPosition.length > 0 ? HAS_ISLANDS : 0;
        bits |= n.gpuSlot != ResourceSlots.GPU ? OTHER_GPU_RESOURCE : 0;
        int occupied = 0;
        for (int z = 0; z < zones; z++) {
            occupied |= n.alignedPods[z] > 0 ? 1 << z : 0;
        }
        bits |= (long) n.isolatedMask << ISOLATED_SHIFT;
        bits |= (long) occupied << OCCUPIED_SHIFT;
        for (int s = 0; s < n.slotCount; s++) {
            bits |= n.reports(s) ? 1L << (REPORTED_SHIFT + s) : 0;
            int base = index * MAX_ZONES;
            for (int z = 0; z < zones; z++) {
                free[s][base + z] = n.free(s, z);
                allocatable[s][base + z] = n.allocatable(s, z);
            }
            maxZone[s][index] = n.sizingByWidth[s * (zones + 1) + 1];
        }
        meta[index] = bits;
    }

    void clear(int index) {
        if (index < meta.length) {
            meta[index] = 0;
        }
    }

    private void ensure(int index, int slotCount) {
        if (index >= meta.length) {
            int size = Math.max(index + 1, meta.length * 2);
            meta = Arrays.copyOf(meta, size);
            for (int s = 0; s < free.length; s++) {
                free[s] = Arrays.copyOf(free[s], size * MAX_ZONES);
                allocatable[s] = Arrays.copyOf(allocatable[s], size * MAX_ZONES);
                maxZone[s] = Arrays.copyOf(maxZone[s], size);
            }
        }
        if (slotCount > free.length) {
            int old = free.length;
            free = Arrays.copyOf(free, slotCount);
            allocatable = Arrays.copyOf(allocatable, slotCount);
            maxZone = Arrays.copyOf(maxZone, slotCount);
            for (int s = old; s < slotCount; s++) {
                free[s] = new long[meta.length * MAX_ZONES];
                allocatable[s] = new long[meta.length * MAX_ZONES];
                maxZone[s] = new long[meta.length];
            }
        }
    }

    static int zoneCount(long meta) {
        return (int) (meta & ZONE_COUNT_BITS);
    }

    static boolean reports(long meta, int slot) {
        return slot < MAX_FAST_SLOTS && (meta & (1L << (REPORTED_SHIFT + slot))) != 0;
    }
}
