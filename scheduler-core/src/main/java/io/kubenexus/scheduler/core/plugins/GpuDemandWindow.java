package io.kubenexus.scheduler.core.plugins;

import java.util.Arrays;

/**
 * The expected workload of the GPU fragmentation score: the shapes of recent pods (whole GPUs, cpu
 * milli, memory bytes, the GPU models they accept) with decaying weights, and the one question the
 * score asks of it: what share of the expected pods could not use a node's free GPUs.
 *
 * <p>Each pod observed weighs {@code 1 / (1 - 1/window)} times the one before it, so the last
 * {@code window} pods carry about two thirds of the weight; at most {@code maxShapes} distinct shapes
 * are kept (a new shape replaces the lightest). With nothing observed yet the workload is one pod of
 * each of 1, 2, 4 and 8 GPUs, asking nothing else, so a free GPU counts as fragmented only where
 * none of those fits.
 *
 * <p>Mutable, owned by one {@link GpuFragmentation} plugin: used on the scheduling loop thread only.
 */
final class GpuDemandWindow {
    /** Every model accepted (no constraint). */
    static final long ANY_MODEL = -1L;
    private static final long[] SEED_GPUS = {1, 2, 4, 8};
    /** Weights are rescaled before the growing increment could overflow a double. */
    private static final double RESCALE_ABOVE = 1e200;

    private final double growth;
    private final int maxShapes;

    // Observed shapes, unordered; weight 0 marks a free slot.
    private final long[] gpus;
    private final long[] cpuMilli;
    private final long[] memoryBytes;
    private final long[] models;
    private final double[] weights;
    private int size;
    private double increment = 1;
    private double totalWeight;

    // What unusableShare reads: the shapes asking for GPUs, in ascending GPU order, with their share
    // of all pods; rebuilt when an observation changed the window.
    private long[] sortedGpus;
    private long[] sortedCpu;
    private long[] sortedMemory;
    private long[] sortedModels;
    private double[] sortedShare;
    private final int[] order;
    private int gpuShapes;
    private double constrainedShare;
    private boolean stale = true;

    GpuDemandWindow(int window, int maxShapes) {
        if (window < 1 || maxShapes < 1) {
            throw new IllegalArgumentException("window and maxShapes must be at least 1");
        }
        this.growth = window == 1 ? Double.MAX_VALUE : 1.0 / (1.0 - 1.0 / window);
        this.maxShapes = maxShapes;
        int capacity = Math.max(maxShapes, SEED_GPUS.length);
        gpus = new long[capacity];
        cpuMilli = new long[capacity];
        memoryBytes = new long[capacity];
        models = new long[capacity];
        weights = new double[capacity];
        sortedGpus = new long[capacity];
        sortedCpu = new long[capacity];
        sortedMemory = new long[capacity];
        sortedModels = new long[capacity];
        sortedShare = new double[capacity];
        order = new int[capacity];
    }

    /** Records one pod's shape; {@code models} is a mask of {@link GpuModelIndex} bits. */
    void observe(long podGpus, long podCpuMilli, long podMemoryBytes, long podModels) {
        stale = true;
        if (growth == Double.MAX_VALUE) {
            // A window of one: only the last pod counts.
            size = 0;
            totalWeight = 0;
            increment = 1;
        } else if (size > 0) {
            increment *= growth;
            if (increment > RESCALE_ABOVE) {
                for (int i = 0; i < size; i++) {
                    weights[i] /= increment;
                }
                totalWeight /= increment;
                increment = 1;
            }
        }
        for (int i = 0; i < size; i++) {
            if (gpus[i] == podGpus && cpuMilli[i] == podCpuMilli && memoryBytes[i] == podMemoryBytes
                    && models[i] == podModels) {
                weights[i] += increment;
                totalWeight += increment;
                return;
            }
        }
        int slot = size;
        if (size == maxShapes) {
            slot = 0;
            for (int i = 1; i < size; i++) {
                if (weights[i] < weights[slot]) {
                    slot = i;
                }
            }
            totalWeight -= weights[slot];
        } else {
            size++;
        }
        gpus[slot] = podGpus;
        cpuMilli[slot] = podCpuMilli;
        memoryBytes[slot] = podMemoryBytes;
        models[slot] = podModels;
        weights[slot] = increment;
        totalWeight += increment;
    }

    /** How many distinct shapes are kept (the seed's not counted). */
    int shapes() {
        return size;
    }

    /**
     * The share (0..1) of expected pods that could not run on a node with these free resources and a
     * GPU model of bit {@code modelBit}: pods asking for no GPU (they never use a GPU, as in FGD), and
     * pods asking for more GPUs, cpu or memory than is free, or for another model. A node's free GPUs
     * times this is its expected fragmentation.
     */
    double unusableShare(long freeGpus, long freeCpuMilli, long freeMemoryBytes, long modelBit) {
        if (stale) {
            rebuild();
        }
        double usable = 0;
        for (int k = 0; k < gpuShapes; k++) {
            if (sortedGpus[k] > freeGpus) {
                break; // ascending: no later shape fits either
            }
            if (sortedCpu[k] <= freeCpuMilli && sortedMemory[k] <= freeMemoryBytes
                    && (sortedModels[k] & modelBit) != 0) {
                usable += sortedShare[k];
            }
        }
        return Math.max(0, 1 - usable);
    }

    /**
     * The share of expected pods that could use a node's {@code freeGpus} with its free cpu and memory
     * but no longer once {@code cpuTaken} and {@code memoryTaken} are gone: for a pod asking no GPU,
     * whose placement changes {@code freeGpus * unusableShare(...)} by exactly this times the free GPUs.
     */
    double shareNoLongerFitting(long freeGpus, long freeCpuMilli, long freeMemoryBytes, long cpuTaken,
                                long memoryTaken, long modelBit) {
        if (stale) {
            rebuild();
        }
        double lost = 0;
        for (int k = 0; k < gpuShapes; k++) {
            if (sortedGpus[k] > freeGpus) {
                break;
            }
            long cpu = sortedCpu[k];
            long memory = sortedMemory[k];
            if ((sortedModels[k] & modelBit) != 0 && cpu <= freeCpuMilli && memory <= freeMemoryBytes
                    && (cpu > freeCpuMilli - cpuTaken || memory > freeMemoryBytes - memoryTaken)) {
                lost += sortedShare[k];
            }
        }
        return lost;
    }

    /** Whether some expected pod accepts only some GPU models. */
    boolean anyModelConstraint() {
        if (stale) {
            rebuild();
        }
        return constrainedShare > 0;
    }

    /**
     * Fills {@code out[bit]} (64 entries, one per {@link GpuModelIndex} bit) with the share of the
     * expected GPU demand (pods times GPUs) that accepts only some models, split evenly over the
     * models among {@code present} (a mask of the models nodes have) that each such shape accepts.
     */
    void modelDemandShares(long present, double[] out) {
        if (stale) {
            rebuild();
        }
        Arrays.fill(out, 0);
        double all = 0;
        for (int k = 0; k < gpuShapes; k++) {
            all += sortedShare[k] * sortedGpus[k];
        }
        if (all <= 0) {
            return;
        }
        for (int k = 0; k < gpuShapes; k++) {
            long accepted = sortedModels[k] & present;
            if (sortedModels[k] == ANY_MODEL || accepted == 0 || accepted == present) {
                continue;
            }
            double each = sortedShare[k] * sortedGpus[k] / all / Long.bitCount(accepted);
            for (long bits = accepted; bits != 0; bits &= bits - 1) {
                out[Long.numberOfTrailingZeros(bits)] += each;
            }
        }
    }

    /**
     * Expected fragmentation of a node's free GPUs: {@code freeGpus * unusableShare(...)}; 0 for a
     * node without free GPUs.
     */
    double fragmentation(long freeGpus, long freeCpuMilli, long freeMemoryBytes, long modelBit) {
        return freeGpus <= 0 ? 0 : freeGpus * unusableShare(freeGpus, freeCpuMilli, freeMemoryBytes, modelBit);
    }

    private void rebuild() {
        stale = false;
        gpuShapes = 0;
        constrainedShare = 0;
        if (size == 0) {
            for (long seed : SEED_GPUS) {
                sortedGpus[gpuShapes] = seed;
                sortedCpu[gpuShapes] = 0;
                sortedMemory[gpuShapes] = 0;
                sortedModels[gpuShapes] = ANY_MODEL;
                sortedShare[gpuShapes] = 1.0 / SEED_GPUS.length;
                gpuShapes++;
            }
            return;
        }
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (gpus[i] > 0) {
                // Insertion by GPU count: a few dozen shapes, once per observation, nothing allocated.
                int at = n++;
                while (at > 0 && gpus[order[at - 1]] > gpus[i]) {
                    order[at] = order[at - 1];
                    at--;
                }
                order[at] = i;
            }
        }
        for (int k = 0; k < n; k++) {
            int i = order[k];
            sortedGpus[k] = gpus[i];
            sortedCpu[k] = cpuMilli[i];
            sortedMemory[k] = memoryBytes[i];
            sortedModels[k] = models[i];
            sortedShare[k] = weights[i] / totalWeight;
            if (models[i] != ANY_MODEL) {
                constrainedShare += sortedShare[k];
            }
        }
        gpuShapes = n;
    }
}
