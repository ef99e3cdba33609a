package io.kubenexus.scheduler.numa;

import java.util.List;

/**
 * The NUMA filter's per-node decision over {@link NodeZones}' arrays: the kubelet's Topology Manager
 * admission (fast path of {@link KubeletAdmission} for the common shapes) and the pod's own policy.
 * Returns a zone mask over node positions when the pod fits, or a negative rejection code.
 *
 * <p>The fast path is exact for the kubelet model whenever the pod scope applies or at most one
 * container has aligned resources: then the admission is one merge over per-resource hints, and
 * <ul>
 *   <li>{@code single-numa-node} admits iff some zone alone holds every aligned resource and each
 *       resource's minimal width on the empty node is 1;</li>
 *   <li>{@code restricted} admits iff all aligned resources have the same minimal width w and some
 *       set of exactly w zones holds them all now (a merged hint is preferred only when every
 *       resource's hint is preferred and the masks are equal).</li>
 * </ul>
 * Several aligned containers under container scope, and nodes with more than 8 zones, take the full
 * model. {@code NumaTopologyFastPathTest} checks the fast path against the full model on random cases.
 */
final class ZoneChecks {
    static final int NO_TOPOLOGY = -1;
    static final int KUBELET_REJECTS = -2;
    static final int NO_SINGLE_ZONE = -3;
    static final int NO_MINIMAL_ZONES = -4;
    static final int NO_FREE_ZONE_TO_ISOLATE = -5;
    static final int NOT_REPORTED = -6;

    private static final int FAST_PATH_ZONES = 8;

    private ZoneChecks() {
    }

    /** Zone mask (> 0) the pod would take on the node, 0 when it passes without a fitting set (best-effort), or a rejection code. */
    static int check(NodeZones n, PodDemand d, KubeletAdmission model, ResourceSlots slots) {
        if (!kubeletAdmits(n, d, model, slots)) {
            return KUBELET_REJECTS;
        }
        NumaPolicy policy = d.policy();
        if (policy != null && policy.isRequired()) {
            if (!d.unknownListed.isEmpty() || !listedReported(n, d)) {
                return NOT_REPORTED;
            }
            int mask = policyMask(n, d);
            if (mask == 0) {
                return policy == NumaPolicy.RESTRICTED ? NO_MINIMAL_ZONES
                        : policy == NumaPolicy.ISOLATED ? NO_FREE_ZONE_TO_ISOLATE : NO_SINGLE_ZONE;
            }
            return mask;
        }
        return chooseMask(n, d);
    }

    // ------------------------------------------------------------------ kubelet

    static boolean kubeletAdmits(NodeZones n, PodDemand d, KubeletAdmission model, ResourceSlots slots) {
        TopologyManagerPolicy policy = n.topology.policy();
        if (policy != TopologyManagerPolicy.RESTRICTED && policy != TopologyManagerPolicy.SINGLE_NUMA_NODE) {
            return true;
        }
        int cpu = -1;
        boolean memory = false;
        boolean any = false;
        for (int i = 0; i < d.slots.length; i++) {
            byte kind = d.kubeletKind[i];
            if (kind == PodDemand.DEVICE && !n.reports(d.slots[i]) || kind == PodDemand.NOT_ALIGNED) {
                continue;
            }
            any = true;
            if (kind == PodDemand.CPU) {
                cpu = i;
            } else if (kind == PodDemand.MEMORY) {
                memory = true;
            }
        }
        if (!any) {
            return true;
        }
        if (n.zoneCount > FAST_PATH_ZONES
                || d.severalAlignedContainers && n.topology.scope() == TopologyManagerScope.CONTAINER) {
            return model.admit(n.withOurFree(slots), d.containers, d.guaranteed).admitted();
        }
        // Every aligned resource must share one minimal width: 1 for single-numa-node.
        int width = -1;
        if (cpu >= 0) {
            width = minWidth(n, d, cpu, PodDemand.CPU);
        }
        if (memory) {
            int w = minWidth(n, d, -1, PodDemand.MEMORY);
            if (width >= 0 && w != width) {
                return false;
            }
            width = w;
        }
        for (int i = 0; i < d.slots.length; i++) {
            if (d.kubeletKind[i] == PodDemand.DEVICE && n.reports(d.slots[i])) {
                int w = minWidth(n, d, i, PodDemand.DEVICE);
                if (width >= 0 && w != width) {
                    return false;
                }
                width = w;
            }
        }
        if (policy == TopologyManagerPolicy.SINGLE_NUMA_NODE && width != 1) {
            return false;
        }
        for (int mask : n.masks) {
            int bits = Integer.bitCount(mask);
            if (bits < width) {
                continue;
            }
            if (bits > width) {
                break;
            }
            if (alignedFit(n, d, cpu, memory, mask)) {
                return true;
            }
        }
        return false;
    }

    private static boolean alignedFit(NodeZones n, PodDemand d, int cpu, boolean memory, int mask) {
        if (cpu >= 0 && !fits(n, d, cpu, PodDemand.CPU, mask, false)) {
            return false;
        }
        if (memory && !fits(n, d, -1, PodDemand.MEMORY, mask, false)) {
            return false;
        }
        for (int i = 0; i < d.slots.length; i++) {
            if (d.kubeletKind[i] == PodDemand.DEVICE && n.reports(d.slots[i])
                    && !fits(n, d, i, PodDemand.DEVICE, mask, false)) {
                return false;
            }
        }
        return true;
    }

    /** The hint providers' minimal width: on the empty node; the zone count when no set holds it. */
    private static int minWidth(NodeZones n, PodDemand d, int index, byte kind) {
        for (int mask : n.masks) {
            if (fits(n, d, index, kind, mask, true)) {
                return Integer.bitCount(mask);
            }
        }
        return n.zoneCount;
    }

    /**
     * Whether the zones of {@code mask} hold the aligned amount: whole CPUs per zone (capacity when
     * {@code empty}), memory types jointly (allocatable when empty), devices (capacity when empty).
     */
    private static boolean fits(NodeZones n, PodDemand d, int index, byte kind, int mask, boolean empty) {
        if (kind == PodDemand.MEMORY) {
            for (int i = 0; i < d.slots.length; i++) {
                if (d.kubeletKind[i] == PodDemand.MEMORY && !fitsAmount(n, d.slots[i], d.kubeletAmounts[i], mask,
                        empty, false)) {
                    return false;
                }
            }
            return true;
        }
        if (kind == PodDemand.CPU) {
            long cores = d.kubeletAmounts[index] / 1000;
            long sum = 0;
            for (int z = 0; z < n.zoneCount; z++) {
                if ((mask & (1 << z)) != 0) {
                    sum += (empty ? n.capacity(ResourceSlots.CPU, z) : n.free(ResourceSlots.CPU, z)) / 1000;
                }
            }
            return sum >= cores;
        }
        return fitsAmount(n, d.slots[index], d.kubeletAmounts[index], mask, empty, true);
    }

    private static boolean fitsAmount(NodeZones n, int slot, long amount, int mask, boolean empty, boolean byCapacity) {
        long sum = 0;
        for (int z = 0; z < n.zoneCount; z++) {
            if ((mask & (1 << z)) != 0) {
                sum += empty ? (byCapacity ? n.capacity(slot, z) : n.allocatable(slot, z)) : n.free(slot, z);
            }
        }
        return sum >= amount;
    }

    // ------------------------------------------------------------------ our policies

    private static boolean listedReported(NodeZones n, PodDemand d) {
        for (int i = 0; i < d.slots.length; i++) {
            if (d.listed[i] && !n.reports(d.slots[i])) {
                return false;
            }
        }
        return true;
    }

    /** The mask the pod's policy accepts (lowest zones first, as the kubelet picks), or 0. */
    static int policyMask(NodeZones n, PodDemand d) {
        NumaPolicy policy = d.policy();
        if (policy.isSingleZone()) {
            for (int z = 0; z < n.zoneCount; z++) {
                if (policy == NumaPolicy.ISOLATED && n.alignedPods[z] > 0) {
                    continue;
                }
                if (listedFit(n, d, 1 << z)) {
                    return 1 << z;
                }
            }
            return 0;
        }
        if (policy == NumaPolicy.RESTRICTED) {
            int width = -1;
            for (int i = 0; i < d.slots.length; i++) {
                if (!d.listed[i]) {
                    continue;
                }
                int w = n.zoneCount;
                // The memory manager sizes zone sets by allocatable memory; CPUs and devices by capacity.
                boolean byCapacity = !d.memoryType[i];
                for (int mask : n.masks) {
                    if (fitsAmount(n, d.slots[i], d.amounts[i], mask, true, byCapacity)) {
                        w = Integer.bitCount(mask);
                        break;
                    }
                }
                if (width >= 0 && w != width) {
                    return 0;
                }
                width = w;
            }
            if (width < 0) {
                return n.masks[0];
            }
            for (int mask : n.masks) {
                int bits = Integer.bitCount(mask);
                if (bits == width && listedFit(n, d, mask)) {
                    return mask;
                }
                if (bits > width) {
                    break;
                }
            }
            return 0;
        }
        for (int mask : n.masks) {
            if (listedFit(n, d, mask)) {
                return mask;
            }
        }
        return 0;
    }

    private static boolean listedFit(NodeZones n, PodDemand d, int mask) {
        for (int i = 0; i < d.slots.length; i++) {
            if (d.listed[i] && !fitsAmount(n, d.slots[i], d.amounts[i], mask, false, true)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Where the kubelet would put the pod's charged resources: its policy's mask when it has a required
     * one, else the narrowest set holding everything charged, lowest zones first; 0 when none does.
     */
    static int chooseMask(NodeZones n, PodDemand d) {
        NumaPolicy policy = d.policy();
        if (policy != null && policy.isRequired()) {
            int mask = policyMask(n, d);
            if (mask != 0) {
                return mask;
            }
        }
        for (int mask : n.masks) {
            boolean fit = true;
            for (int i = 0; i < d.slots.length && fit; i++) {
                if (n.reports(d.slots[i])) {
                    fit = fitsAmount(n, d.slots[i], d.amounts[i], mask, false, true);
                }
            }
            if (fit) {
                return mask;
            }
        }
        return 0;
    }

    static String reason(int code) {
        return switch (code) {
            case NO_TOPOLOGY -> "node(s) had no NUMA topology";
            case KUBELET_REJECTS -> "node(s) would fail the kubelet's topology admission (TopologyAffinityError)";
            case NO_SINGLE_ZONE -> "node(s) had no single NUMA zone with enough free resources";
            case NO_MINIMAL_ZONES -> "node(s) had no minimal set of NUMA zones with enough free resources";
            case NO_FREE_ZONE_TO_ISOLATE -> "node(s) had no NUMA zone free of other aligned pods";
            case NOT_REPORTED -> "node(s) did not report a requested resource per NUMA zone";
            default -> throw new IllegalArgumentException("not a rejection code: " + code);
        };
    }

    static List<Integer> rejectionCodes() {
        return List.of(NO_TOPOLOGY, KUBELET_REJECTS, NO_SINGLE_ZONE, NO_MINIMAL_ZONES, NO_FREE_ZONE_TO_ISOLATE,
                NOT_REPORTED);
    }
}
