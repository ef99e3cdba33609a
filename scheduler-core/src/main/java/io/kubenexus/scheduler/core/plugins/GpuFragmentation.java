package io.kubenexus.scheduler.core.plugins;

import io.kubenexus.scheduler.core.config.GpuFragmentationSettings;
import io.kubenexus.scheduler.core.framework.PodContext;
import io.kubenexus.scheduler.core.framework.PreFilterPlugin;
import io.kubenexus.scheduler.core.framework.ScorePlugin;
import io.kubenexus.scheduler.core.framework.Status;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.ResourceNames;
import io.kubenexus.scheduler.core.state.ClusterSnapshot;
import io.kubenexus.scheduler.core.state.ResourceColumns;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Objects;

/**
 * Fragmentation Gradient Descent (Weng et al., "Beware of Fragmentation: Scheduling GPU-Sharing
 * Workloads with Fragmentation Gradient Descent", USENIX ATC '23) on whole GPUs: a node scores by how
 * little placing the pod there increases the expected fragmentation of its free GPUs, where a free
 * GPU is fragmented for an expected pod that could not use it (no GPU asked for, too few GPUs, cpu
 * or memory left, or another GPU model), weighted by how often such pods come
 * ({@link GpuDemandWindow}).
 *
 * <p>Pre-filter: records every pod tried (it never rejects one) in the expected workload, so pods
 * that fit nowhere yet count too. Score: the raw score of a node is the increase, in millionths of a
 * GPU; normalization gives the nodes with the smallest increase 90 points and the others 80 down to 0
 * (the largest increase), with the last 10 points breaking exact ties (see {@link #normalize}); a pod
 * that fragments every node alike gets 0 everywhere. A node without free
 * GPUs before and after scores as an increase of 0, so in a cluster without free GPUs every node
 * scores 0 ({@link #uniformScore}).
 *
 * <p>Beyond FGD: when some expected pods accept only some GPU models, taking a GPU of a model whose
 * model-bound demand exceeds its free GPUs counts as that much fragmentation too (FGD alone would
 * happily spend a scarce model on pods that could run anywhere).
 *
 * <p>Scores depend on the nodes compared and on the workload seen, so the plugin declares
 * {@link Dependence#CLUSTER}. Holds scratch and the workload window: one instance per profile, used
 * on the scheduling loop thread only.
 */
public final class GpuFragmentation implements PreFilterPlugin, ScorePlugin {
    public static final String NAME = "GpuFragmentation";
    private static final double RAW_UNITS_PER_GPU = 1_000_000;
    /**
     * Raw scores carry, below the increase, the share of cpu and memory a GPU pod leaves free on the
     * node: among nodes fragmenting alike the fullest wins (spreading there, as the default
     * LeastAllocated would, strands GPUs: measured in docs/gpu-fragmentation.md).
     */
    private static final int TIE_BITS = 10;
    private static final long TIE_SLOTS = 1L << TIE_BITS;
    private static final long TIE_MASK = TIE_SLOTS - 1;
    /** A pod without GPUs, among nodes it fragments alike, prefers those with fewer free GPUs. */
    private static final long FREE_GPU_TIE = 128;
    /** Share of {@link #MAX_NODE_SCORE} for the fragmentation increase; the rest ranks exact ties. */
    private static final long INCREASE_POINTS = 90;
    /**
     * Where the second-least increase starts: the least one is worth a clear 10 points more, however
     * small the difference. Linear scores lost differences of a few thousandths of a GPU (a node kept
     * for the rare task that needs it) in the rounding to whole points.
     */
    private static final long BEST_GAP_BELOW = 80;

    private final GpuDemandWindow window;
    private final GpuModelIndex models;
    private final String gpuResource;

    // Per decision, by model bit: free GPUs in the cluster and the share of demand bound to the model.
    private final long[] freeByModel = new long[64];
    private final double[] modelDemand = new double[64];
    private long freeTotal;
    /** Whether the last {@link #score} met a node with free GPUs; if not, normalizing changes nothing. */
    private boolean anyFreeGpu = true;
    // The range of the last score's raw values, so that normalize makes one pass; only for the
    // scores score() just wrote (a normalize without a score first looks for itself).
    private long rawMin = Long.MAX_VALUE;
    private long rawMax = Long.MIN_VALUE;
    private boolean rangeKnown;

    // The last pod's model mask: pre-filter and score of one decision ask for the same pod.
    private PodInfo maskedPod;
    private long maskedModels;

    public GpuFragmentation(GpuFragmentationSettings settings) {
        Objects.requireNonNull(settings, "settings");
        this.window = new GpuDemandWindow(settings.window(), settings.maxShapes());
        this.models = new GpuModelIndex(settings.modelLabel());
        this.gpuResource = ResourceNames.NVIDIA_GPU;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Records the pod in the expected workload; never rejects it. */
    @Override
    public Status preFilter(PodContext pod, ClusterSnapshot snapshot) {
        int gpuColumn = snapshot.columns().columnOf(gpuResource);
        window.observe(request(pod, gpuColumn), request(pod, ResourceColumns.CPU), request(pod, ResourceColumns.MEMORY),
                podModels(pod.pod()));
        return Status.SUCCESS;
    }

    @Override
    public Dependence dependence() {
        return Dependence.CLUSTER;
    }

    /**
     * Where no node has a free GPU, placing the pod anywhere changes no fragmentation: 0 everywhere,
     * so totals (and the extender's prioritize scale) stay what they were without this plugin.
     */
    @Override
    public long uniformScore(PodContext pod, ClusterSnapshot snapshot) {
        int gpuColumn = snapshot.columns().columnOf(gpuResource);
        if (gpuColumn < 0 || snapshot.unrequestedColumn(gpuColumn) == null || snapshot.freeCapacity(gpuColumn) <= 0) {
            return 0;
        }
        return SCORE_EACH_NODE;
    }

    @Override
    public void score(PodContext pod, ClusterSnapshot snapshot, int[] nodes, int count, long[] scores) {
        int gpuColumn = snapshot.columns().columnOf(gpuResource);
        long[] freeGpus = gpuColumn < 0 ? null : snapshot.unrequestedColumn(gpuColumn);
        if (freeGpus == null) {
            Arrays.fill(scores, 0, count, 0);
            anyFreeGpu = false;
            return;
        }
        long[] freeCpu = snapshot.unrequestedColumn(ResourceColumns.CPU);
        long[] freeMemory = snapshot.unrequestedColumn(ResourceColumns.MEMORY);
        long[] cpuCapacity = snapshot.allocatableColumn(ResourceColumns.CPU);
        long[] memoryCapacity = snapshot.allocatableColumn(ResourceColumns.MEMORY);
        long gpus = request(pod, gpuColumn);
        long cpu = request(pod, ResourceColumns.CPU);
        long memory = request(pod, ResourceColumns.MEMORY);
        models.cover(snapshot);
        anyFreeGpu = false;
        rawMin = Long.MAX_VALUE;
        rawMax = Long.MIN_VALUE;
        boolean contended = gpus > 0 && window.anyModelConstraint() && countFreeByModel(snapshot, freeGpus);
        for (int i = 0; i < count; i++) {
            int node = nodes[i];
            long free = freeGpus[node];
            if (free <= 0) {
                scores[i] = 0; // no free GPU before, none after: nothing to fragment
                rawMin = Math.min(rawMin, 0);
                rawMax = Math.max(rawMax, 0);
                continue;
            }
            anyFreeGpu = true;
            long modelBit = models.nodeBit(snapshot, node);
            long nodeCpu = freeCpu == null ? 0 : freeCpu[node];
            long nodeMemory = freeMemory == null ? 0 : freeMemory[node];
            double increase;
            long leftShare;
            if (gpus > 0) {
                increase = window.fragmentation(free - gpus, nodeCpu - cpu, nodeMemory - memory, modelBit)
                        - window.fragmentation(free, nodeCpu, nodeMemory, modelBit);
                if (contended) {
                    increase += gpus * takenFromModelDemand(modelBit);
                }
                leftShare = leftShare(nodeCpu - cpu, cpuCapacity[node], nodeMemory - memory, memoryCapacity[node]);
            } else {
                // The free GPUs stay; only expected pods that fit before and not after strand them.
                increase = free * window.shareNoLongerFitting(free, nodeCpu, nodeMemory, cpu, memory, modelBit);
                leftShare = Math.min(free * FREE_GPU_TIE, TIE_MASK);
            }
            long raw = (Math.round(increase * RAW_UNITS_PER_GPU) << TIE_BITS) + leftShare;
            scores[i] = raw;
            rawMin = Math.min(rawMin, raw);
            rawMax = Math.max(rawMax, raw);
        }
        rangeKnown = true;
    }

    /** Least increase: 90 plus the tie-break; most: 0 plus it; all alike: 0 each (no preference, as {@link #uniformScore}). */
    @Override
    public void normalize(PodContext pod, long[] scores, int count) {
        if (!anyFreeGpu) {
            rangeKnown = false;
            return; // every raw score was 0, which is also every normalized one (all alike)
        }
        if (count == 0) {
            return;
        }
        long min = rangeKnown ? rawMin : Long.MAX_VALUE;
        long max = rangeKnown ? rawMax : Long.MIN_VALUE;
        if (!rangeKnown) {
            for (int i = 0; i < count; i++) {
                min = Math.min(min, scores[i]);
                max = Math.max(max, scores[i]);
            }
        }
        rangeKnown = false;
        if (max == min) {
            Arrays.fill(scores, 0, count, 0);
            return;
        }
        // The increase, min-max over the nodes, takes INCREASE_POINTS; what the node keeps free decides
        // the rest, so that packing, not the other plugins, breaks exact ties. Shifts and one division
        // per decision: a division per node cost more than the rest of this plugin.
        long minIncrease = min >> TIE_BITS;
        long increaseRange = (max >> TIE_BITS) - minIncrease;
        double increaseScale = increaseRange == 0 ? 0 : (double) BEST_GAP_BELOW / increaseRange;
        double tieScale = (double) (MAX_NODE_SCORE - INCREASE_POINTS) / TIE_MASK;
        for (int i = 0; i < count; i++) {
            long increase = (scores[i] >> TIE_BITS) - minIncrease;
            long leftFree = scores[i] & TIE_MASK;
            long increaseScore = increase == 0 ? INCREASE_POINTS
                    : BEST_GAP_BELOW - (long) (increase * increaseScale);
            scores[i] = increaseScore + (long) ((TIE_MASK - leftFree) * tieScale);
        }
    }

    /**
     * Sums the free GPUs of every live node by model into {@link #freeByModel}, with the total and
     * the models present, and the model demand shares; false when no model is wanted by more than
     * its free GPUs could be (then no placement takes GPUs from model-bound pods).
     */
    private boolean countFreeByModel(ClusterSnapshot snapshot, long[] freeGpus) {
        Arrays.fill(freeByModel, 0);
        long total = 0;
        long present = 0;
        BitSet live = snapshot.liveNodes();
        for (int node = live.nextSetBit(0); node >= 0; node = live.nextSetBit(node + 1)) {
            long free = freeGpus[node];
            if (free > 0) {
                long bit = models.nodeBit(snapshot, node);
                freeByModel[Long.numberOfTrailingZeros(bit)] += free;
                total += free;
                present |= bit;
            }
        }
        freeTotal = total;
        window.modelDemandShares(present, modelDemand);
        return total > 0;
    }

    /**
     * Of one GPU taken from a model, the part the pods bound to that model would have needed: their
     * expected demand over the free GPUs still to be handed out ({@code share * freeTotal}) against
     * the model's free GPUs, capped at 1. A GPU of a model no model-bound pod is short of costs 0.
     */
    private double takenFromModelDemand(long modelBit) {
        int slot = Long.numberOfTrailingZeros(modelBit);
        long free = freeByModel[slot];
        return free <= 0 ? 0 : Math.min(1.0, modelDemand[slot] * freeTotal / free);
    }

    /** The mean share of cpu and memory left free, in 0..TIE_SLOTS-1 (MostAllocated's measure, reversed). */
    private static long leftShare(long freeCpu, long cpuCapacity, long freeMemory, long memoryCapacity) {
        double cpuShare = cpuCapacity <= 0 ? 0 : Math.max(0, (double) freeCpu) / cpuCapacity;
        double memoryShare = memoryCapacity <= 0 ? 0 : Math.max(0, (double) freeMemory) / memoryCapacity;
        return Math.min(TIE_SLOTS - 1, (long) ((cpuShare + memoryShare) / 2 * (TIE_SLOTS - 1)));
    }

    private long podModels(PodInfo pod) {
        if (pod != maskedPod) {
            maskedPod = pod;
            maskedModels = models.podModels(pod);
        }
        return maskedModels;
    }

    private static long request(PodContext pod, int column) {
        if (column < 0) {
            return 0;
        }
        int[] columns = pod.requestColumns();
        for (int j = 0; j < columns.length; j++) {
            if (columns[j] == column) {
                return pod.requestAmounts()[j];
            }
        }
        return 0;
    }
}
