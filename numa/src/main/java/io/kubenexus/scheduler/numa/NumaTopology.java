package io.kubenexus.scheduler.numa;

import io.kubenexus.scheduler.core.framework.ClusterEventType;
import io.kubenexus.scheduler.core.framework.FilterDiagnosis;
import io.kubenexus.scheduler.core.framework.FilterPlugin;
import io.kubenexus.scheduler.core.framework.PodContext;
import io.kubenexus.scheduler.core.framework.ScorePlugin;
import io.kubenexus.scheduler.core.state.ClusterSnapshot;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.Set;

/**
 * NUMA filter and score: a thin plugin over {@link NumaZones} and {@link ZoneChecks}.
 *
 * <p>Filter: rejects the nodes whose kubelet would refuse the pod (TopologyAffinityError) and, for a
 * pod with a required policy, the nodes where the policy cannot be met or whose topology is unknown.
 * Pods with neither a policy nor anything the kubelet aligns cost nothing here.
 *
 * <p>Score (pods with a policy annotation only, so ordinary pods keep kube-scheduler's placement), 0..100
 * per node: fewer zones used (70%, or 50% for GPU pods), for GPU pods whether the GPUs come from one
 * NVLink island in the pod's zone (30%: 100 one island, 50 one zone but no island known to hold
 * them), then how full the chosen zones would be (30% / 20%): fuller scores higher when packing,
 * emptier when spreading. Nodes without topology score 0.
 *
 * <p>Holds scratch arrays: one instance per scheduling algorithm, used on its thread only.
 */
public final class NumaTopology implements FilterPlugin, ScorePlugin {
    public static final String NAME = NumaSettings.PLUGIN_NAME;

    private static final Set<ClusterEventType> EVENTS = Set.copyOf(EnumSet.of(ClusterEventType.NODE_TOPOLOGY_CHANGED,
            ClusterEventType.ASSIGNED_POD_REMOVED, ClusterEventType.NODE_ADDED, ClusterEventType.ASSIGNED_POD_STARTED));

    private final NumaSettings settings;
    // Scratch: the zone mask chosen per node by the last filter pass, valid for cycle `chosenFor`.
    private int[] chosen = new int[0];
    private PodContext chosenFor;
    private final int[] rejections = new int[9];
    private long[][] freeRows = new long[4][];
    private long[][] maxRows = new long[4][];

    public NumaTopology(NumaSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Zone capacity taken by other pods (no single / minimal zone with room, no zone free to isolate,
     * a pod still being admitted, the kubelet's admission refusing the zones' free amounts) is freed
     * by evicting them; a node without topology, or that does not report a requested resource per
     * zone, is not. The kubelet's refusal is counted as resolvable even when the pod exceeds every
     * zone's capacity: its reason does not tell the two apart.
     */
    @Override
    public boolean evictionMayResolve(String reason) {
        return ZoneChecks.evictionMayResolve(reason);
    }

    @Override
    public boolean judgesEachNodeAlone() {
        return true;
    }

    @Override
    public Dependence dependence() {
        return Dependence.NODE_USAGE;
    }

    @Override
    public Set<ClusterEventType> eventsThatMayHelp() {
        return EVENTS;
    }

    @Override
    public void filter(PodContext pod, ClusterSnapshot snapshot, BitSet candidates, FilterDiagnosis diagnosis) {
        NumaZones zones = snapshot.extension(NumaZones.class);
        if (zones == null) {
            return;
        }
        PodDemand demand = zones.demand(pod);
        if (!demand.isRelevant()) {
            return;
        }
        if (chosen.length < snapshot.nodeIndexBound()) {
            chosen = new int[Math.max(snapshot.nodeIndexBound(), chosen.length * 2)];
        }
        chosenFor = pod;
        java.util.Arrays.fill(rejections, 0);
        boolean required = demand.requiresAlignment();
        ZoneColumns columns = zones.columns();
        boolean uniform = demand.uniformSlots != null && uniformRows(columns, demand);
        // Without a required policy only nodes with topology can reject: visit just those.
        BitSet visit = required ? candidates : zones.nodesWithTopology();
        for (int i = visit.nextSetBit(0); i >= 0; i = visit.nextSetBit(i + 1)) {
            if (!required && !candidates.get(i)) {
                continue;
            }
            int result;
            if (columns.meta.length <= i || columns.meta[i] == 0) {
                result = ZoneChecks.NO_TOPOLOGY;
            } else {
                result = uniform ? ZoneChecks.uniformCheck(columns, freeRows, maxRows, i, demand) : ZoneChecks.SLOW;
                if (result == ZoneChecks.SLOW) {
                    result = ZoneChecks.fastCheck(columns, i, demand);
                }
                if (result == ZoneChecks.SLOW) {
                    result = ZoneChecks.check(zones.node(i), demand, zones.model(), zones.slots());
                }
            }
            if (result < 0) {
                candidates.clear(i);
                rejections[-result]++;
                chosen[i] = 0;
            } else {
                chosen[i] = result;
            }
        }
        for (int code = 1; code < rejections.length; code++) {
            if (rejections[code] > 0) {
                diagnosis.rejectCount(this, ZoneChecks.reason(-code), rejections[code]);
            }
        }
    }

    /** Looks up the uniform slots' columns once per decision; false if some slot has no column yet. */
    private boolean uniformRows(ZoneColumns columns, PodDemand demand) {
        int n = demand.uniformSlots.length;
        if (freeRows.length < n) {
            freeRows = new long[n][];
            maxRows = new long[n][];
        }
        for (int k = 0; k < n; k++) {
            int slot = demand.uniformSlots[k];
            if (slot >= columns.free.length) {
                return false;
            }
            freeRows[k] = columns.free[slot];
            maxRows[k] = columns.maxZone[slot];
        }
        return true;
    }

    /** Pods without a NUMA policy, and clusters without zone accounting, score 0 on every node. */
    @Override
    public long uniformScore(PodContext pod, ClusterSnapshot snapshot) {
        NumaZones zones = snapshot.extension(NumaZones.class);
        return zones == null || zones.demand(pod).request == null ? 0 : SCORE_EACH_NODE;
    }

    @Override
    public void score(PodContext pod, ClusterSnapshot snapshot, int[] nodes, int count, long[] scores) {
        NumaZones zones = snapshot.extension(NumaZones.class);
        if (zones == null) {
            return;
        }
        PodDemand demand = zones.demand(pod);
        if (demand.request == null) {
            return;
        }
        boolean filtered = chosenFor == pod;
        ZoneColumns columns = zones.columns();
        for (int k = 0; k < count; k++) {
            int index = nodes[k];
            long meta = index < columns.meta.length ? columns.meta[index] : 0;
            if (meta == 0) {
                scores[k] = 0;
                continue;
            }
            int mask = filtered ? chosen[index]
                    : ZoneChecks.chooseMask(zones.node(index), demand, zones.model(), zones.slots());
            scores[k] = (meta & (ZoneColumns.FULL_PATH | ZoneColumns.OTHER_GPU_RESOURCE)) != 0
                    ? score(zones.node(index), demand, mask)
                    : score(columns, meta, index, zones, demand, mask);
        }
    }

    /**
     * {@link #score(NodeZones, PodDemand, int)} reading the flat columns; the node object is touched
     * only for a GPU pod on a node with NVLink islands, so scoring 5,000 nodes does not chase 5,000
     * pointers.
     */
    private long score(ZoneColumns columns, long meta, int index, NumaZones zones, PodDemand demand, int mask) {
        if (mask == 0) {
            return 0;
        }
        long gpus = demand.amountOf(ResourceSlots.GPU);
        int primary = gpus > 0 ? ResourceSlots.GPU : ResourceSlots.CPU;
        if (primary >= columns.free.length) {
            return score(zones.node(index), demand, mask);
        }
        long used = demand.amountOf(primary);
        long total = 0;
        int zoneCount = ZoneColumns.zoneCount(meta);
        int base = index * ZoneColumns.MAX_ZONES;
        long[] allocatableRow = columns.allocatable[primary];
        long[] freeRow = columns.free[primary];
        // Walk only the chosen zones (mostly one): lowest set bit first.
        for (int bits = mask; bits != 0; bits &= bits - 1) {
            int at = base + Integer.numberOfTrailingZeros(bits);
            long allocatable = allocatableRow[at];
            total += allocatable;
            used += Math.max(0, allocatable - freeRow[at]);
        }
        boolean oneIsland = gpus > 0 && (meta & ZoneColumns.HAS_ISLANDS) != 0
                && zones.node(index).bestIsland(mask, gpus) >= 0;
        return combine(zoneCount, mask, gpus, oneIsland, used, total);
    }

    private long score(NodeZones node, PodDemand demand, int mask) {
        if (mask == 0) {
            return 0;
        }
        long gpus = node.gpuSlot >= 0 ? demand.amountOf(node.gpuSlot) : 0;
        int primary = gpus > 0 ? node.gpuSlot : ResourceSlots.CPU;
        long used = demand.amountOf(primary);
        long total = 0;
        for (int z = 0; z < node.zoneCount; z++) {
            if ((mask & (1 << z)) != 0) {
                long allocatable = node.allocatable(primary, z);
                total += allocatable;
                used += Math.max(0, allocatable - node.free(primary, z));
            }
        }
        boolean oneIsland = gpus > 0 && node.islandPosition.length > 0 && node.bestIsland(mask, gpus) >= 0;
        return combine(node.zoneCount, mask, gpus, oneIsland, used, total);
    }

    /**
     * Fewer zones first; for GPU pods, GPUs from one NVLink island in the chosen zones; then how full
     * the chosen zones' primary resource (GPUs, else CPU) would be, for packing or spreading.
     */
    private long combine(int zoneCount, int mask, long gpus, boolean oneIsland, long used, long total) {
        int width = Integer.bitCount(mask);
        long zoneScore = MAX_NODE_SCORE * (zoneCount - width + 1) / zoneCount;
        long utilization = total == 0 ? 0 : Math.min(MAX_NODE_SCORE, used * MAX_NODE_SCORE / total);
        long fill = settings.zoneScoring() == NumaSettings.ZoneScoring.PACK ? utilization : MAX_NODE_SCORE - utilization;
        if (gpus == 0) {
            return (70 * zoneScore + 30 * fill) / 100;
        }
        long locality = oneIsland ? MAX_NODE_SCORE : width == 1 ? MAX_NODE_SCORE / 2 : 0;
        return (50 * zoneScore + 30 * locality + 20 * fill) / 100;
    }
}
