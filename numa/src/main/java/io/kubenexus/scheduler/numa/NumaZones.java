package io.kubenexus.scheduler.numa;

import io.kubenexus.scheduler.core.framework.PodContext;
import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PodKey;
import io.kubenexus.scheduler.core.model.PodPhase;
import io.kubenexus.scheduler.core.model.QosClass;
import io.kubenexus.scheduler.core.state.NodeZoneUsage;
import io.kubenexus.scheduler.core.state.StateExtension;
import io.kubenexus.scheduler.core.state.ZoneUsageSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-zone accounting beside the cluster state: every node's NUMA zones with their free amounts,
 * kept in step with the state's own charges ({@link StateExtension}) and with topology reports.
 *
 * <p>What we place is charged to its zones at once, because reports lag: NodeResourceTopology
 * exporters publish every few seconds to a minute after the kubelet admitted a pod. A charge is
 * reconciled without double counting: once the pod has been seen Running and a newer report for
 * its node holds, unexplained by other pods, what the kubelet pinned for it, that report counts the
 * pod, so our charge stops counting (it still marks the zone as used by an aligned pod, for
 * {@code isolated}). A report that does not hold it was computed before the pod started. Topology from the node annotation is static,
 * so there every pod stays charged by us while it holds its node.
 *
 * <p>Which zones a pod is charged to follows the kubelet: the narrowest set that holds it, lowest zone
 * ids first (its hint merge keeps the first of equally narrow preferred hints); GPUs are counted
 * against the fullest NVLink island that still holds them.
 *
 * <p>Loop thread only: fed through {@code SchedulingLoop.onStateUpdate} and the state's callbacks.
 */
public final class NumaZones implements StateExtension, ZoneUsageSource {
    private final NumaSettings settings;
    private final ResourceSlots slots = new ResourceSlots();
    private final KubeletAdmission model = new KubeletAdmission();
    private NodeZones[] byIndex = new NodeZones[64];
    private final BitSet withTopology = new BitSet();
    private final ZoneColumns columns = new ZoneColumns();
    private final Map<String, Integer> indexByName = new HashMap<>();
    private final Map<String, Published> published = new HashMap<>();
    private final Map<PodKey, NodeZones.Charge> charges = new HashMap<>();
    /** Pods that concern NUMA (a policy or kubelet-aligned resources) on each node, in charge order. */
    private final Map<Integer, Map<PodKey, PodInfo>> alignedPodsByNode = new HashMap<>();
    /** When each pod was first seen Running (a sequence number, not a time: ordering is what matters). */
    private final Map<PodKey, Long> runningSince = new HashMap<>();
    private long sequence;
    private long chargeOrder;
    /** Whether a what-if question is open (see {@link StateExtension#whatIfBegan}). */
    private boolean inWhatIf;
    /** Charges the open what-if question took off, to give back as they were when it puts the pods back. */
    private final Map<PodKey, NodeZones.Charge> takenOffInWhatIf = new HashMap<>();

    private record Published(NodeTopology topology, GpuInterconnect interconnect, TopologySource source) {
    }

    public NumaZones(NumaSettings settings) {
        this.settings = settings;
    }

    public NumaSettings settings() {
        return settings;
    }

    // ------------------------------------------------------------------ topology

    /**
     * Publishes or replaces a node's topology; it may arrive before or after the node itself. A new
     * report with the same zones reconciles our charges (see the class comment); a different layout
     * charges the node's pods anew.
     *
     * @param interconnect the node's NVLink islands, or null
     */
    public void setTopology(String nodeName, NodeTopology topology, GpuInterconnect interconnect, TopologySource source) {
        Published next = new Published(topology, interconnect, source);
        published.put(nodeName, next);
        Integer index = indexByName.get(nodeName);
        if (index == null) {
            return;
        }
        NodeZones current = node(index);
        if (current != null && current.sameLayout(topology, interconnect, source)) {
            current.setReported(topology, slots);
            reflectRunningPods(current);
            return;
        }
        install(index, nodeName, next);
    }

    /** The node's topology is unknown from now on (object deleted, annotation removed or malformed). */
    public void clearTopology(String nodeName) {
        published.remove(nodeName);
        Integer index = indexByName.get(nodeName);
        if (index != null) {
            dropNode(index);
        }
    }

    /** Nodes whose topology is known, by state index; do not modify. */
    public BitSet nodesWithTopology() {
        return withTopology;
    }

    /** Where the pod's aligned resources are charged, or null. */
    public ZonePlacement placement(PodKey pod) {
        NodeZones.Charge charge = charges.get(pod);
        if (charge == null) {
            return null;
        }
        NodeZones node = byIndex[charge.node];
        return new ZonePlacement(node.nodeName, node.toNumaMask(charge.mask),
                charge.island >= 0 ? node.islandName[charge.island] : null);
    }

    /**
     * A zone's free amount of a resource as the scheduler counts it now (report minus our charges
     * not yet reported, 0 while an isolated pod holds the zone), or -1 when the node or zone is unknown.
     */
    public long free(String nodeName, int zoneId, String resource) {
        Integer index = indexByName.get(nodeName);
        NodeZones node = index == null ? null : node(index);
        if (node == null) {
            return -1;
        }
        for (int z = 0; z < node.zoneCount; z++) {
            if (node.zoneIds[z] == zoneId) {
                return node.free(slots.slotOf(resource), z);
            }
        }
        return -1;
    }

    @Override
    public NodeZoneUsage zoneUsage(String nodeName) {
        Integer index = indexByName.get(nodeName);
        NodeZones node = index == null ? null : node(index);
        return node == null ? null : node.usage(slots);
    }

    @Override
    public boolean knowsZones(String nodeName) {
        Integer index = indexByName.get(nodeName);
        return index != null && node(index) != null;
    }

    @Override
    public String describePlacement(PodKey pod) {
        ZonePlacement placement = placement(pod);
        return placement == null ? null : placement.describe();
    }

    // ------------------------------------------------------------------ state callbacks

    @Override
    public void nodeChanged(int index, NodeInfo old, NodeInfo current) {
        if (current == null) {
            dropNode(index);
            alignedPodsByNode.remove(index);
            indexByName.remove(old.name());
            return;
        }
        if (old == null) {
            indexByName.put(current.name(), index);
            Published topology = published.get(current.name());
            if (topology != null) {
                install(index, current.name(), topology);
            }
        }
    }

    /**
     * A preemption question takes victims off and puts them back, newest first; choosing their zones
     * again would follow the order they came back in, not the kubelet's, and could swap two pods'
     * zones, after which the room freed by evicting one is counted in the other's zone. So while a
     * question is open, a pod put back gets its old charge, unchanged, and the bookkeeping of which
     * pods run where is left as it was.
     */
    @Override
    public void whatIfBegan() {
        inWhatIf = true;
    }

    @Override
    public void whatIfEnded() {
        inWhatIf = false;
        // A question undoes all it did; a pod it took off and never put back is gone for good.
        for (NodeZones.Charge charge : takenOffInWhatIf.values()) {
            forget(charge.node, charge.key);
        }
        takenOffInWhatIf.clear();
    }

    @Override
    public void podCharged(int index, PodInfo pod, boolean assumed) {
        if (inWhatIf) {
            NodeZones.Charge before = takenOffInWhatIf.get(pod.key());
            if (before != null && before.node == index && node(index) != null) {
                takenOffInWhatIf.remove(pod.key());
                add(node(index), before); // as it was, in its place among the node's charges
                return;
            }
        }
        if (!mayConcernZones(pod)) {
            return;
        }
        PodDemand demand = demandOf(pod);
        if (!demand.isRelevant()) {
            return;
        }
        if (pod.phase() == PodPhase.RUNNING && !inWhatIf) {
            runningSince.putIfAbsent(pod.key(), ++sequence);
        }
        if (!inWhatIf) {
            alignedPodsByNode.computeIfAbsent(index, i -> new LinkedHashMap<>()).put(pod.key(), pod);
        }
        NodeZones node = index < byIndex.length ? byIndex[index] : null;
        if (node != null) {
            charge(node, index, demand);
        }
    }

    @Override
    public void podUncharged(int index, PodInfo pod) {
        NodeZones.Charge charge = charges.remove(pod.key());
        if (inWhatIf) {
            if (charge != null && alignedPodsByNode.getOrDefault(index, Map.of()).containsKey(pod.key())) {
                takenOffInWhatIf.put(pod.key(), charge);
            }
        } else {
            forget(index, pod.key());
        }
        if (charge != null && byIndex[charge.node] != null) {
            uncharge(byIndex[charge.node], charge);
        }
    }

    /** The pod no longer runs on the node at {@code index}. */
    private void forget(int index, PodKey pod) {
        Map<PodKey, PodInfo> onNode = alignedPodsByNode.get(index);
        if (onNode != null && onNode.remove(pod) != null && onNode.isEmpty()) {
            alignedPodsByNode.remove(index);
        }
        runningSince.remove(pod);
    }

    @Override
    public void podUpdated(int index, PodInfo previous, PodInfo current) {
        if (current.phase() != PodPhase.RUNNING || runningSince.containsKey(current.key())) {
            return;
        }
        NodeZones.Charge charge = charges.get(current.key());
        Map<PodKey, PodInfo> onNode = index < 0 ? null : alignedPodsByNode.get(index);
        if (charge == null && (onNode == null || !onNode.containsKey(current.key()))) {
            return;
        }
        long seen = ++sequence;
        runningSince.put(current.key(), seen);
        if (onNode != null) {
            onNode.put(current.key(), current);
        }
        if (charge != null) {
            NodeZones node = node(charge.node);
            if (node != null && charge.runningSequence == 0) {
                node.admitting--;
            }
            charge.runningSequence = seen;
            if (node != null) {
                reflectIfReported(node, charge);
            }
        }
    }

    /**
     * Exporters often publish the report that counts a pod before its status says Running (the
     * kubelet allocates first, then starts containers), and an unchanged report is not sent again.
     * So when a pod turns Running and the node's latest report already holds, in the pod's zones,
     * amounts that no other reported pod explains and that cover this pod, that report counts it.
     */
    private void reflectIfReported(NodeZones node, NodeZones.Charge charge) {
        if (node.source != TopologySource.NODE_RESOURCE_TOPOLOGY || charge.reflected || !pinsReported(node, charge)) {
            return;
        }
        long[] unexplained = new long[node.reported.length];
        for (int i = 0; i < unexplained.length; i++) {
            unexplained[i] = Math.max(0, node.allocatable[i] - node.reported[i]);
        }
        for (NodeZones.Charge other : node.charges) {
            if (other.reflected) {
                subtract(unexplained, other.amounts);
            }
        }
        if (!explains(node, charge, charge.mask, unexplained)) {
            return;
        }
        charge.reflected = true;
        for (int i = 0; i < charge.amounts.length; i++) {
            node.charged[i] -= charge.amounts[i];
        }
        node.refreshFree();
    }

    // ------------------------------------------------------------------ for the plugin

    NodeZones node(int index) {
        return index < byIndex.length ? byIndex[index] : null;
    }

    ZoneColumns columns() {
        return columns;
    }

    ResourceSlots slots() {
        return slots;
    }

    KubeletAdmission model() {
        return model;
    }

    /** The pod's demand for this cycle, worked out once. */
    PodDemand demand(PodContext context) {
        PodDemand demand = context.cycleData(this);
        if (demand == null) {
            demand = mayConcernZones(context.pod()) ? demandOf(context.pod()) : PodDemand.NONE;
            context.putCycleData(this, demand);
        }
        return demand;
    }

    /**
     * A cheap first look, since every pod of the cluster passes here: only pods with a NUMA policy,
     * Guaranteed pods and pods requesting devices can hold anything in a zone.
     */
    private static boolean mayConcernZones(PodInfo pod) {
        if (pod.qosClass() == QosClass.GUARANTEED || pod.annotations().containsKey(NumaRequest.POLICY_ANNOTATION)) {
            return true;
        }
        for (String resource : pod.requests().amounts().keySet()) {
            if (!resource.equals("cpu") && !resource.equals("memory") && !resource.equals("ephemeral-storage")
                    && !resource.equals("pods")) {
                return true;
            }
        }
        return false;
    }

    private PodDemand demandOf(PodInfo pod) {
        NumaRequest request;
        try {
            request = NumaRequest.parse(pod.annotations());
        } catch (IllegalArgumentException e) {
            // The adapter rejects such pods when translating them; a pod that got here anyway is placed without a policy.
            request = null;
        }
        return PodDemand.of(pod, request, slots);
    }

    // ------------------------------------------------------------------ accounting

    private void install(int index, String nodeName, Published topology) {
        dropNode(index);
        if (index >= byIndex.length) {
            byIndex = Arrays.copyOf(byIndex, Math.max(index + 1, byIndex.length * 2));
        }
        NodeZones node = new NodeZones(nodeName, topology.topology(), topology.interconnect(), topology.source(), slots);
        byIndex[index] = node;
        node.attach(columns, index);
        withTopology.set(index);
        Map<PodKey, PodInfo> onNode = alignedPodsByNode.get(index);
        if (onNode != null) {
            for (PodInfo pod : new ArrayList<>(onNode.values())) {
                charge(node, index, demandOf(pod));
            }
        }
        // A fresh report already counts the pods that run.
        reflectRunningPods(node);
    }

    private void dropNode(int index) {
        if (index >= byIndex.length || byIndex[index] == null) {
            return;
        }
        for (NodeZones.Charge charge : byIndex[index].charges) {
            charges.remove(charge.key);
        }
        byIndex[index] = null;
        columns.clear(index);
        withTopology.clear(index);
    }

    /**
     * After a report from the node's exporter: a pod seen Running before it is in its numbers when the
     * report's held amounts (a zone's allocatable minus its available) explain what the kubelet pinned
     * for it; then its charge stops counting, and the pod is attributed (in the order it was charged)
     * to the narrowest set of zones that explains it, lowest ids first: after a restart our guess is
     * corrected from the node's own numbers. A report that does not explain the pod was computed
     * before the pod started (exporters lag, and deliver late): the pod stays charged until one does.
     */
    private void reflectRunningPods(NodeZones node) {
        if (node.source != TopologySource.NODE_RESOURCE_TOPOLOGY) {
            node.refreshFree();
            return;
        }
        int zones = node.zoneCount;
        long[] unexplained = new long[node.reported.length];
        for (int i = 0; i < unexplained.length; i++) {
            unexplained[i] = Math.max(0, node.allocatable[i] - node.reported[i]);
        }
        List<NodeZones.Charge> running = new ArrayList<>();
        for (NodeZones.Charge charge : node.charges) {
            if (charge.reflected) {
                subtract(unexplained, charge.amounts);
            } else if (charge.runningSequence > 0) {
                running.add(charge);
            }
        }
        for (NodeZones.Charge charge : running) {
            int mask = explainingMask(node, charge, unexplained);
            if (mask == 0) {
                continue;
            }
            charge.reflected = true;
            for (int i = 0; i < charge.amounts.length; i++) {
                node.charged[i] -= charge.amounts[i];
            }
            if (mask != charge.mask) {
                move(node, charge, mask, unexplained);
            }
            subtract(unexplained, charge.amounts);
        }
        node.refreshFree();
    }

    private static void subtract(long[] from, long[] amounts) {
        for (int i = 0; i < amounts.length; i++) {
            from[i] = Math.max(0, from[i] - amounts[i]);
        }
    }

    /** The charge's own zones when they explain it, else the narrowest set that does, else 0. */
    private static int explainingMask(NodeZones node, NodeZones.Charge charge, long[] unexplained) {
        if (explains(node, charge, charge.mask, unexplained)) {
            return charge.mask;
        }
        for (int mask : node.masks) {
            if (explains(node, charge, mask, unexplained)) {
                return mask;
            }
        }
        return 0;
    }

    /**
     * Whether the held amounts not yet explained, in {@code mask}, cover the exclusive CPUs and devices
     * the kubelet pinned for the charge: exporters report those for every pod; the shared pool never,
     * and memory only under the kubelet's Static memory manager (not its default), so neither decides.
     * A charge that pins nothing of the kind is explained by any report, as before the pod ran.
     */
    private static boolean explains(NodeZones node, NodeZones.Charge charge, int mask, long[] unexplained) {
        int zones = node.zoneCount;
        for (int k = 0; k < charge.demandSlots.length; k++) {
            int s = charge.demandSlots[k];
            if (!countsInReports(node, charge, k)) {
                continue;
            }
            long pinned = charge.pinnedAmounts[k];
            long held = 0;
            for (int z = 0; z < zones; z++) {
                if ((mask & (1 << z)) != 0) {
                    held += unexplained[s * zones + z];
                }
            }
            if (held < pinned) {
                return false;
            }
        }
        return true;
    }

    /** Whether the kubelet pins exclusive CPUs or devices of the charge that the node reports per zone. */
    private static boolean pinsReported(NodeZones node, NodeZones.Charge charge) {
        for (int k = 0; k < charge.demandSlots.length; k++) {
            if (countsInReports(node, charge, k)) {
                return true;
            }
        }
        return false;
    }

    private static boolean countsInReports(NodeZones node, NodeZones.Charge charge, int k) {
        byte kind = charge.pinnedKinds[k];
        return (kind == PodDemand.CPU || kind == PodDemand.DEVICE) && charge.pinnedAmounts[k] > 0
                && node.reports(charge.demandSlots[k]);
    }

    /** Re-attributes a reported charge to {@code mask}, filling each zone up to what it holds unexplained. */
    private static void move(NodeZones node, NodeZones.Charge charge, int mask, long[] unexplained) {
        int zones = node.zoneCount;
        long[] amounts = new long[charge.amounts.length];
        int first = Integer.numberOfTrailingZeros(mask);
        for (int s = 0; s < node.slotCount; s++) {
            long remaining = 0;
            for (int z = 0; z < zones; z++) {
                remaining += charge.amounts[s * zones + z];
            }
            for (int z = first; z < zones && remaining > 0; z++) {
                if ((mask & (1 << z)) != 0) {
                    long take = Math.min(remaining, unexplained[s * zones + z]);
                    amounts[s * zones + z] += take;
                    remaining -= take;
                }
            }
            amounts[s * zones + first] += remaining;
        }
        for (int z = 0; z < zones; z++) {
            int delta = ((mask >> z) & 1) - ((charge.mask >> z) & 1);
            node.alignedPods[z] += delta;
            if (charge.isolated) {
                node.isolatedPods[z] += delta;
            }
        }
        if (charge.island >= 0) {
            node.islandUsed[charge.island] -= charge.islandGpus;
        }
        long gpus = 0;
        if (node.gpuSlot >= 0 && node.gpuSlot < node.slotCount) {
            for (int z = 0; z < zones; z++) {
                gpus += amounts[node.gpuSlot * zones + z];
            }
        }
        for (int i = 0; i < amounts.length; i++) {
            node.known[i] += amounts[i] - charge.amounts[i];
        }
        charge.mask = mask;
        charge.amounts = amounts;
        charge.island = gpus > 0 ? node.bestIsland(mask, gpus, true) : -1;
        charge.islandGpus = charge.island >= 0 ? (int) gpus : 0;
        if (charge.island >= 0) {
            node.islandUsed[charge.island] += charge.islandGpus;
        }
    }

    private void charge(NodeZones node, int index, PodDemand demand) {
        NodeZones.Charge previous = charges.remove(demand.pod.key());
        if (previous != null && byIndex[previous.node] != null) {
            uncharge(byIndex[previous.node], previous);
        }
        int zones = node.zoneCount;
        int mask = ZoneChecks.chooseMask(node, demand, model, slots);
        if (mask == 0) {
            // Nothing aligns (a pod bound by someone else, or the kubelet's best effort): spread over all zones.
            mask = (1 << zones) - 1;
        }
        long[] amounts = new long[node.slotCount * zones];
        int first = Integer.numberOfTrailingZeros(mask);
        for (int i = 0; i < demand.slots.length; i++) {
            int slot = demand.slots[i];
            if (!node.reports(slot)) {
                continue;
            }
            long remaining = demand.amounts[i];
            for (int z = first; z < zones && remaining > 0; z++) {
                if ((mask & (1 << z)) != 0) {
                    long take = Math.min(remaining, node.free(slot, z));
                    amounts[slot * zones + z] += take;
                    remaining -= take;
                }
            }
            amounts[slot * zones + first] += remaining;
        }
        boolean isolated = demand.policy() == NumaPolicy.ISOLATED;
        long gpus = node.gpuSlot >= 0 ? demand.amountOf(node.gpuSlot) : 0;
        int island = gpus > 0 ? node.bestIsland(mask, gpus) : -1;
        NodeZones.Charge charge = new NodeZones.Charge(demand.pod.key(), index, mask, amounts, isolated, island,
                island >= 0 ? (int) gpus : 0, demand.slots, demand.kubeletKind, demand.kubeletAmounts);
        charge.runningSequence = runningSince.getOrDefault(demand.pod.key(), 0L);
        charge.order = ++chargeOrder;
        add(node, charge);
    }

    /** Counts a charge on its node, the inverse of {@link #uncharge}; the node's charges stay in charge order. */
    private void add(NodeZones node, NodeZones.Charge charge) {
        for (int i = 0; i < charge.amounts.length; i++) {
            if (!charge.reflected) {
                node.charged[i] += charge.amounts[i];
            }
            node.known[i] += charge.amounts[i];
        }
        if (charge.runningSequence == 0) {
            node.admitting++;
        }
        for (int z = 0; z < node.zoneCount; z++) {
            if ((charge.mask & (1 << z)) != 0) {
                node.alignedPods[z]++;
                if (charge.isolated) {
                    node.isolatedPods[z]++;
                }
            }
        }
        if (charge.island >= 0) {
            node.islandUsed[charge.island] += charge.islandGpus;
        }
        charges.put(charge.key, charge);
        int at = node.charges.size();
        while (at > 0 && node.charges.get(at - 1).order > charge.order) {
            at--;
        }
        node.charges.add(at, charge);
        node.refreshFree();
    }

    private void uncharge(NodeZones node, NodeZones.Charge charge) {
        if (!node.charges.remove(charge)) {
            return;
        }
        if (!charge.reflected) {
            for (int i = 0; i < charge.amounts.length; i++) {
                node.charged[i] -= charge.amounts[i];
            }
        }
        for (int i = 0; i < charge.amounts.length; i++) {
            node.known[i] -= charge.amounts[i];
        }
        if (charge.runningSequence == 0) {
            node.admitting--;
        }
        for (int z = 0; z < node.zoneCount; z++) {
            if ((charge.mask & (1 << z)) != 0) {
                node.alignedPods[z]--;
                if (charge.isolated) {
                    node.isolatedPods[z]--;
                }
            }
        }
        if (charge.island >= 0) {
            node.islandUsed[charge.island] -= charge.islandGpus;
        }
        node.refreshFree();
    }

    /** For tests: the pods charged on a node, in charge order. */
    List<PodKey> chargedOn(String nodeName) {
        Integer index = indexByName.get(nodeName);
        NodeZones node = index == null ? null : node(index);
        List<PodKey> keys = new ArrayList<>();
        if (node != null) {
            node.charges.forEach(c -> keys.add(c.key));
        }
        return keys;
    }
}
