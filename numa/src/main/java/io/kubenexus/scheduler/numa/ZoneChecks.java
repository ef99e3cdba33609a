package io.kubenexus.scheduler.numa;

/**
 * The NUMA filter's per-node decision over {@link NodeZones}' arrays: the kubelet's Topology Manager
 * admission (fast path of {@link KubeletAdmission} for the common shapes) and the pod's own policy.
 * Returns a zone mask over node positions when the pod fits, or a negative rejection code. Allocates
 * nothing on the fast path.
 *
 * <p>The fast path is exact for the kubelet model whenever the pod scope applies or at most one
 * container has aligned resources: then the admission is one merge over per-resource hints, and
 * <ul>
 *   <li>{@code single-numa-node} admits iff each aligned resource's minimal width on the empty node
 *       is 1 and some zone alone holds every aligned resource now;</li>
 *   <li>{@code restricted} admits iff all aligned resources have the same minimal width w and some
 *       set of exactly w zones holds them all now (a merged hint is preferred only when every
 *       resource's hint is preferred and the masks are equal).</li>
 * </ul>
 * Several aligned containers under container scope, memory together with hugepages (sized jointly),
 * and nodes with more than 8 zones take the full model. {@code NumaTopologyFastPathTest} checks the
 * fast path against the full model on random cases.
 */
final class ZoneChecks {
    static final int NO_TOPOLOGY = -1;
    static final int KUBELET_REJECTS = -2;
    static final int NO_SINGLE_ZONE = -3;
    static final int NO_MINIMAL_ZONES = -4;
    static final int NO_FREE_ZONE_TO_ISOLATE = -5;
    static final int NOT_REPORTED = -6;
    static final int ADMITTING = -7;

    private static final int FAST_PATH_ZONES = 8;
    /** {@link #fastCheck} cannot decide: take {@link #check} on the node's full data. */
    static final int SLOW = Integer.MIN_VALUE;

    private ZoneChecks() {
    }

    /**
     * The zone mask (> 0) the pod would take on the node, 0 when it passes without a fitting set
     * (best-effort, or nothing charged), or a negative rejection code.
     *
     * <p>Where the kubelet pins the pod ({@link #kubeletPin}), that zone set is the pod's, whatever
     * we would prefer: so the policy is checked on it, and a node whose kubelet would put the pod into
     * a zone an isolated pod holds is rejected.
     */
    static int check(NodeZones n, PodDemand d, KubeletAdmission model, ResourceSlots slots) {
        int pinned = kubeletPin(n, d, model, slots);
        if (pinned < 0) {
            return KUBELET_REJECTS;
        }
        int isolation = isolation(n, d, pinned);
        if (isolation < 0) {
            return isolation;
        }
        NumaPolicy policy = d.policy();
        if (policy != null && policy.isRequired()) {
            if (!d.unknownListed.isEmpty() || !listedReported(n, d)) {
                return NOT_REPORTED;
            }
            if (pinned != 0 && (pinned & n.isolatedMask) != 0) {
                return NO_FREE_ZONE_TO_ISOLATE;
            }
            int mask = policyMask(n, d, pinned);
            if (mask == 0) {
                return policy == NumaPolicy.RESTRICTED ? NO_MINIMAL_ZONES
                        : policy == NumaPolicy.ISOLATED ? NO_FREE_ZONE_TO_ISOLATE : NO_SINGLE_ZONE;
            }
            return mask;
        }
        if (pinned != 0) {
            return (pinned & n.isolatedMask) != 0 ? NO_FREE_ZONE_TO_ISOLATE : pinned;
        }
        return chooseMask(n, d, model, slots);
    }

    /**
     * Isolation cannot rest on predicting the kubelet's zone exactly: reports lag and binds reach the
     * kubelet in any order. So where isolation is at stake (an isolated pod, or an aligned pod on a node
     * with an isolated zone) we decide only when the node has no other aligned pod waiting for the
     * kubelet, and refuse the node if a zone that must stay apart could hold the pod even at its most
     * free (allocatable minus every pod we know there): then the kubelet cannot pick that zone,
     * whatever the reports say. 0 when fine, else a rejection code.
     */
    private static int isolation(NodeZones n, PodDemand d, int pinned) {
        boolean isolated = d.policy() == NumaPolicy.ISOLATED;
        boolean aligned = pinned != 0 || d.requiresAlignment();
        if (!isolated && (n.isolatedMask == 0 || !aligned)) {
            return 0;
        }
        if (n.admitting > 0) {
            return ADMITTING;
        }
        for (int z = 0; z < n.zoneCount; z++) {
            boolean apart = isolated ? n.alignedPods[z] > 0 : (n.isolatedMask & (1 << z)) != 0;
            if (apart && couldHold(n, d, z)) {
                return NO_FREE_ZONE_TO_ISOLATE;
            }
        }
        return 0;
    }

    /** Whether zone {@code z} could hold the pod's aligned (or listed) resources at its most free. */
    private static boolean couldHold(NodeZones n, PodDemand d, int z) {
        boolean any = false;
        for (int i = 0; i < d.slots.length; i++) {
            boolean counts = d.kubeletKind[i] != PodDemand.NOT_ALIGNED ? alignedHere(n, d, i) : d.listed[i];
            if (!counts || !n.reports(d.slots[i])) {
                continue;
            }
            any = true;
            long amount = d.kubeletKind[i] != PodDemand.NOT_ALIGNED ? d.kubeletAmounts[i] : d.amounts[i];
            if (n.mostFree(d.slots[i], z) < amount) {
                return false;
            }
        }
        return any;
    }

    /**
     * The kubelet's admission and, when it admits, the zones it pins the pod's aligned resources to:
     * the narrowest set that holds them all, lowest zone ids first (its hint merge keeps the first of
     * equally good hints). Returns -1 when a {@code restricted} or {@code single-numa-node} kubelet
     * rejects the pod; 0 when it admits without pinning here (policy none: the CPU manager places
     * without hints; nothing aligned; best-effort with no set holding it); else the mask.
     */
    static int kubeletPin(NodeZones n, PodDemand d, KubeletAdmission model, ResourceSlots slots) {
        if (n.topology.policy() == TopologyManagerPolicy.NONE) {
            return 0;
        }
        int width = -1;
        boolean any = false;
        for (int i : d.alignedIndices) {
            if (!alignedHere(n, d, i)) {
                continue;
            }
            any = true;
            if (n.zoneCount > FAST_PATH_ZONES || d.alignedMemoryTypes > 1
                    || d.severalAlignedContainers && n.topology.scope() == TopologyManagerScope.CONTAINER) {
                return fullModelPin(n, d, model, slots);
            }
            if (n.restrictive) {
                int w = n.minWidth(d.slots[i], d.kubeletAmounts[i]);
                if (width >= 0 && w != width) {
                    return -1;
                }
                width = w;
            }
        }
        if (!any) {
            return 0;
        }
        if (n.restrictive) {
            if (n.singleNumaNode && width != 1) {
                return -1;
            }
            int mask = firstFit(n, d, width);
            return mask == 0 ? -1 : mask;
        }
        for (int w = 1; w <= n.zoneCount; w++) {
            int mask = firstFit(n, d, w);
            if (mask != 0) {
                return mask;
            }
        }
        return 0;
    }

    /** Whether the kubelet admits the pod (for tests against the full model). */
    static boolean kubeletAdmits(NodeZones n, PodDemand d, KubeletAdmission model, ResourceSlots slots) {
        return kubeletPin(n, d, model, slots) >= 0;
    }

    private static int fullModelPin(NodeZones n, PodDemand d, KubeletAdmission model, ResourceSlots slots) {
        Admission admission = model.admit(n.withOurFree(slots), d.containers, d.guaranteed);
        if (!admission.admitted()) {
            return n.restrictive ? -1 : 0;
        }
        int mask = 0;
        for (NumaMask affinity : admission.affinityPerContainer().values()) {
            for (int z = 0; z < n.zoneCount; z++) {
                mask |= affinity.contains(n.zoneIds[z]) ? 1 << z : 0;
            }
        }
        return mask;
    }

    /** The first set of exactly {@code width} zones holding every aligned resource, or 0. */
    private static int firstFit(NodeZones n, PodDemand d, int width) {
        if (width == 1) {
            for (int z = 0; z < n.zoneCount; z++) {
                if (alignedFitZone(n, d, z)) {
                    return 1 << z;
                }
            }
            return 0;
        }
        for (int mask : n.masks) {
            int bits = Integer.bitCount(mask);
            if (bits > width) {
                break;
            }
            if (bits == width && alignedFit(n, d, mask)) {
                return mask;
            }
        }
        return 0;
    }

    private static boolean alignedFitZone(NodeZones n, PodDemand d, int z) {
        for (int i : d.alignedIndices) {
            int slot = d.slots[i];
            if (d.kubeletKind[i] == PodDemand.DEVICE && !n.reports(slot)) {
                continue;
            }
            long free = n.free(slot, z);
            // Exclusive CPUs are whole CPUs.
            if ((slot == ResourceSlots.CPU ? free / 1000 * 1000 : free) < d.kubeletAmounts[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean alignedHere(NodeZones n, PodDemand d, int i) {
        return d.kubeletKind[i] != PodDemand.DEVICE || n.reports(d.slots[i]);
    }

    private static boolean alignedFit(NodeZones n, PodDemand d, int mask) {
        for (int i : d.alignedIndices) {
            if (!alignedHere(n, d, i)) {
                continue;
            }
            int slot = d.slots[i];
            long sum = 0;
            for (int z = 0; z < n.zoneCount; z++) {
                if ((mask & (1 << z)) != 0) {
                    long free = n.free(slot, z);
                    // Exclusive CPUs are whole CPUs of one zone each.
                    sum += slot == ResourceSlots.CPU ? free / 1000 * 1000 : free;
                }
            }
            if (sum < d.kubeletAmounts[i]) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ our policies

    private static boolean listedReported(NodeZones n, PodDemand d) {
        for (int i : d.listedIndices) {
            if (!n.reports(d.slots[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * The mask the pod's required policy accepts, or 0: the kubelet's {@code pinned} set when it pins
     * one (it is the pod's, so it must satisfy the policy), else the lowest zones that do, avoiding
     * zones an isolated pod holds.
     */
    static int policyMask(NodeZones n, PodDemand d, int pinned) {
        NumaPolicy policy = d.policy();
        if (policy.isSingleZone()) {
            if (pinned != 0) {
                int z = Integer.numberOfTrailingZeros(pinned);
                return Integer.bitCount(pinned) == 1 && singleZoneOk(n, d, policy, z) ? pinned : 0;
            }
            for (int z = 0; z < n.zoneCount; z++) {
                if (singleZoneOk(n, d, policy, z)) {
                    return 1 << z;
                }
            }
            return 0;
        }
        int width = -1;
        for (int i : d.listedIndices) {
            int w = n.minWidth(d.slots[i], d.amounts[i]);
            if (width >= 0 && w != width) {
                return 0;
            }
            width = w;
        }
        if (width < 0) {
            width = 1;
        }
        if (pinned != 0) {
            return Integer.bitCount(pinned) == width && listedFit(n, d, pinned) ? pinned : 0;
        }
        for (int mask : n.masks) {
            int bits = Integer.bitCount(mask);
            if (bits > width) {
                break;
            }
            if (bits == width && (mask & n.isolatedMask) == 0 && listedFit(n, d, mask)) {
                return mask;
            }
        }
        return 0;
    }

    private static boolean singleZoneOk(NodeZones n, PodDemand d, NumaPolicy policy, int z) {
        if ((n.isolatedMask & (1 << z)) != 0 || policy == NumaPolicy.ISOLATED && n.alignedPods[z] > 0) {
            return false;
        }
        return listedFitZone(n, d, z);
    }

    private static boolean listedFitZone(NodeZones n, PodDemand d, int z) {
        for (int i : d.listedIndices) {
            if (n.free(d.slots[i], z) < d.amounts[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean listedFit(NodeZones n, PodDemand d, int mask) {
        for (int i : d.listedIndices) {
            if (!fitsNow(n, d.slots[i], d.amounts[i], mask)) {
                return false;
            }
        }
        return true;
    }

    private static boolean fitsNow(NodeZones n, int slot, long amount, int mask) {
        long sum = 0;
        for (int z = 0; z < n.zoneCount; z++) {
            if ((mask & (1 << z)) != 0) {
                sum += n.free(slot, z);
            }
        }
        return sum >= amount;
    }

    /**
     * Where the pod's charged resources go: the kubelet's pinned set when it pins one; else its
     * required policy's set; else the narrowest set holding everything charged, lowest zones first,
     * avoiding zones an isolated pod holds when it can; 0 when none holds it.
     */
    static int chooseMask(NodeZones n, PodDemand d, KubeletAdmission model, ResourceSlots slots) {
        int pinned = kubeletPin(n, d, model, slots);
        if (pinned > 0) {
            return pinned;
        }
        NumaPolicy policy = d.policy();
        if (policy != null && policy.isRequired()) {
            int mask = policyMask(n, d, 0);
            if (mask != 0) {
                return mask;
            }
        }
        int fallback = 0;
        for (int mask : n.masks) {
            boolean fit = true;
            for (int i = 0; i < d.slots.length && fit; i++) {
                if (n.reports(d.slots[i])) {
                    fit = fitsNow(n, d.slots[i], d.amounts[i], mask);
                }
            }
            if (fit) {
                if ((mask & n.isolatedMask) == 0) {
                    return mask;
                }
                fallback = fallback == 0 ? mask : fallback;
            }
        }
        return fallback;
    }

    /**
     * {@link #check} for the common case, read from the flat {@link ZoneColumns}: every resource the
     * kubelet aligns and every listed one fits a single zone (minimal width 1), at most one container
     * aligns resources (or pod scope), memory without hugepages. Anything else returns {@link #SLOW}.
     * Must agree with {@link #check} wherever it decides ({@code NumaTopologyFastPathTest}).
     */
    static int fastCheck(ZoneColumns c, int index, PodDemand d) {
        long meta = c.meta[index];
        if ((meta & ZoneColumns.FULL_PATH) != 0 || d.alignedMemoryTypes > 1
                || d.severalAlignedContainers && (meta & ZoneColumns.CONTAINER_SCOPE) != 0) {
            return SLOW;
        }
        int zones = ZoneColumns.zoneCount(meta);
        int base = index * ZoneColumns.MAX_ZONES;
        int pinned = 0;
        if ((meta & ZoneColumns.POLICY_NONE) == 0) {
            boolean any = false;
            for (int i : d.alignedIndices) {
                int slot = d.slots[i];
                if (d.kubeletKind[i] == PodDemand.DEVICE && !ZoneColumns.reports(meta, slot)) {
                    continue;
                }
                any = true;
                if (slot >= c.maxZone.length || d.kubeletAmounts[i] > c.maxZone[slot][index]) {
                    // Wider than one zone: single-numa-node rejects; the others need the full path.
                    return (meta & ZoneColumns.SINGLE_NUMA_NODE) != 0 ? KUBELET_REJECTS : SLOW;
                }
            }
            if (any) {
                for (int z = 0; z < zones && pinned == 0; z++) {
                    if (alignedFitColumn(c, meta, base + z, d)) {
                        pinned = 1 << z;
                    }
                }
                if (pinned == 0) {
                    return (meta & ZoneColumns.RESTRICTIVE) != 0 ? KUBELET_REJECTS : SLOW;
                }
            }
        }
        int isolated = (int) (meta >>> ZoneColumns.ISOLATED_SHIFT) & 0xFF;
        NumaPolicy policy = d.policy();
        if (policy == NumaPolicy.ISOLATED || isolated != 0 && (pinned != 0 || d.requiresAlignment())) {
            // Isolation at stake: the per-node rules (admissions in flight, zones at their most free).
            return SLOW;
        }
        if (policy == null || !policy.isRequired()) {
            if (pinned != 0) {
                return (pinned & isolated) != 0 ? NO_FREE_ZONE_TO_ISOLATE : pinned;
            }
            return d.request == null ? 0 : SLOW;
        }
        if (!d.unknownListed.isEmpty()) {
            return NOT_REPORTED;
        }
        for (int i : d.listedIndices) {
            int slot = d.slots[i];
            if (!ZoneColumns.reports(meta, slot)) {
                return NOT_REPORTED;
            }
            if (policy == NumaPolicy.RESTRICTED && d.amounts[i] > c.maxZone[slot][index]) {
                return SLOW;
            }
        }
        if (pinned != 0 && (pinned & isolated) != 0) {
            return NO_FREE_ZONE_TO_ISOLATE;
        }
        int occupied = policy == NumaPolicy.ISOLATED ? (int) (meta >>> ZoneColumns.OCCUPIED_SHIFT) & 0xFF : 0;
        int blocked = isolated | occupied;
        if (pinned != 0) {
            int z = Integer.numberOfTrailingZeros(pinned);
            if ((blocked & pinned) == 0 && listedFitColumn(c, base + z, d)) {
                return pinned;
            }
            return rejection(policy);
        }
        for (int z = 0; z < zones; z++) {
            if ((blocked & (1 << z)) == 0 && listedFitColumn(c, base + z, d)) {
                return 1 << z;
            }
        }
        return rejection(policy);
    }

    /**
     * {@link #check} for {@link PodDemand#uniformSlots uniform} pods: the lowest zone whose free amounts
     * hold {@link PodDemand#uniformNeed} is both where the kubelet pins the pod and where its policy
     * puts it. {@code freeRows[k]} and {@code maxRows[k]} are the columns of {@code uniformSlots[k]},
     * looked up once per decision. {@link #SLOW} where isolation is at stake or the node is not a
     * column node.
     */
    static int uniformCheck(ZoneColumns c, long[][] freeRows, long[][] maxRows, int index, PodDemand d) {
        long meta = c.meta[index];
        if ((meta & (ZoneColumns.FULL_PATH | 0xFFL << ZoneColumns.ISOLATED_SHIFT)) != 0) {
            return SLOW;
        }
        if (((meta >>> ZoneColumns.REPORTED_SHIFT) & d.uniformSlotBits) != d.uniformSlotBits) {
            // A listed resource the zones do not report: not uniform on this node.
            return SLOW;
        }
        long[] need = d.uniformNeed;
        boolean pins = (meta & ZoneColumns.POLICY_NONE) == 0;
        for (int k = 0; k < need.length; k++) {
            if (need[k] > maxRows[k][index]) {
                // No zone can ever hold it: single-numa-node refuses it outright; restricted and
                // best-effort may pin wider sets (the full check tells which reason applies).
                return (meta & ZoneColumns.SINGLE_NUMA_NODE) != 0 ? KUBELET_REJECTS : pins ? SLOW : NO_SINGLE_ZONE;
            }
        }
        int zones = ZoneColumns.zoneCount(meta);
        int base = index * ZoneColumns.MAX_ZONES;
        for (int z = 0; z < zones; z++) {
            int k = 0;
            while (k < need.length && freeRows[k][base + z] >= need[k]) {
                k++;
            }
            if (k == need.length) {
                return 1 << z;
            }
        }
        return (meta & ZoneColumns.RESTRICTIVE) != 0 ? KUBELET_REJECTS : NO_SINGLE_ZONE;
    }

    private static int rejection(NumaPolicy policy) {
        return policy == NumaPolicy.RESTRICTED ? NO_MINIMAL_ZONES
                : policy == NumaPolicy.ISOLATED ? NO_FREE_ZONE_TO_ISOLATE : NO_SINGLE_ZONE;
    }

    private static boolean alignedFitColumn(ZoneColumns c, long meta, int at, PodDemand d) {
        for (int i : d.alignedIndices) {
            int slot = d.slots[i];
            if (d.kubeletKind[i] == PodDemand.DEVICE && !ZoneColumns.reports(meta, slot)) {
                continue;
            }
            long free = c.free[slot][at];
            if ((slot == ResourceSlots.CPU ? free / 1000 * 1000 : free) < d.kubeletAmounts[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean listedFitColumn(ZoneColumns c, int at, PodDemand d) {
        for (int i : d.listedIndices) {
            if (c.free[d.slots[i]][at] < d.amounts[i]) {
                return false;
            }
        }
        return true;
    }

    /** See {@link NumaTopology#evictionMayResolve}. */
    static boolean evictionMayResolve(String reason) {
        return !reason.equals(reason(NO_TOPOLOGY)) && !reason.equals(reason(NOT_REPORTED));
    }

    static String reason(int code) {
        return switch (code) {
            case NO_TOPOLOGY -> "node(s) had no NUMA topology";
            case KUBELET_REJECTS -> "node(s) would fail the kubelet's topology admission (TopologyAffinityError)";
            case NO_SINGLE_ZONE -> "node(s) had no single NUMA zone with enough free resources";
            case NO_MINIMAL_ZONES -> "node(s) had no minimal set of NUMA zones with enough free resources";
            case NO_FREE_ZONE_TO_ISOLATE -> "node(s) had no NUMA zone free of other aligned pods";
            case NOT_REPORTED -> "node(s) did not report a requested resource per NUMA zone";
            case ADMITTING -> "node(s) were still starting another NUMA-aligned pod";
            default -> throw new IllegalArgumentException("not a rejection code: " + code);
        };
    }
}
