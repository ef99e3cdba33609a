package io.kubenexus.scheduler.core.plugins;

import io.kubenexus.scheduler.core.config.ScoringStrategy;
import io.kubenexus.scheduler.core.framework.ClusterEventType;
import io.kubenexus.scheduler.core.framework.FilterDiagnosis;
import io.kubenexus.scheduler.core.framework.FilterPlugin;
import io.kubenexus.scheduler.core.framework.PodContext;
import io.kubenexus.scheduler.core.framework.ScorePlugin;
import io.kubenexus.scheduler.core.state.ClusterSnapshot;
import io.kubenexus.scheduler.core.state.ResourceColumns;
import java.util.Arrays;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * kube-scheduler's NodeResourcesFit.
 *
 * <p>Filter: every resource the pod requests (pods: 1 included) must fit in the node's allocatable
 * minus what its pods request. A node short of several resources is reported under each of them
 * ("Insufficient cpu" and "Insufficient memory"), as kube-scheduler does.
 *
 * <p>Score: LeastAllocated or MostAllocated over the weighted resources, with kube-scheduler's
 * rules: cpu and memory use non-zero requests (so pods without requests are not free), a node
 * without a resource skips it, and an extended resource the pod does not request is skipped
 * (otherwise GPU nodes would look emptier, or fuller, to CPU-only pods). The pods count is never
 * scored, as in kube-scheduler.
 *
 * <p>Holds scratch arrays, so an instance is used by the scheduling loop thread only.
 */
public final class NodeResourcesFit implements FilterPlugin, ScorePlugin {
    public static final String NAME = "NodeResourcesFit";

    private static final Set<ClusterEventType> EVENTS = Set.copyOf(EnumSet.of(
            ClusterEventType.ASSIGNED_POD_REMOVED, ClusterEventType.NODE_ALLOCATABLE_CHANGED,
            ClusterEventType.NODE_ADDED));

    private final ScoringStrategy strategy;
    private final String[] resources;
    private final long[] weights;

    /** The fit filter scans every node when at least 1 in this many is a candidate. */
    private static final int DENSE_SCAN_FACTOR = 4;
    private static final long QUOTIENT_LIMIT = 1L << 62;

    // Scratch, reused across cycles; the column references are cleared after each use.
    private final BitSet rejected = new BitSet();
    private long[] zeros = new long[0];
    private long[] missingWeights = new long[0];
    private final long[] scoredWeights;
    private final long[] podRequests;
    private final long[][] scoredAllocatable;
    private final long[][] scoredRequested;
    private final long[][] scoredInverse;

    /**
     * @param strategy        LeastAllocated spreads, MostAllocated packs
     * @param resourceWeights weight (at least 1) per resource name scored
     */
    public NodeResourcesFit(ScoringStrategy strategy, Map<String, Integer> resourceWeights) {
        this.strategy = Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(resourceWeights, "resourceWeights");
        // Sorted so that scoring does not depend on the map's iteration order.
        TreeMap<String, Integer> sorted = new TreeMap<>(resourceWeights);
        resources = new String[sorted.size()];
        weights = new long[sorted.size()];
        int i = 0;
        for (Map.Entry<String, Integer> entry : sorted.entrySet()) {
            if (entry.getValue() == null || entry.getValue() < 1) {
                throw new IllegalArgumentException("scoring.resourceWeights." + entry.getKey()
                        + ": must be at least 1, was " + entry.getValue());
            }
            resources[i] = entry.getKey();
            weights[i] = entry.getValue();
            i++;
        }
        scoredWeights = new long[resources.length];
        podRequests = new long[resources.length];
        scoredAllocatable = new long[resources.length][];
        scoredRequested = new long[resources.length][];
        scoredInverse = new long[resources.length][];
    }

    @Override
    public String name() {
        return NAME;
    }

    public ScoringStrategy strategy() {
        return strategy;
    }

    // ---------------------------------------------------------------- filter

    @Override
    public void filter(PodContext pod, ClusterSnapshot snapshot, BitSet candidates, FilterDiagnosis diagnosis) {
        int[] columns = pod.requestColumns();
        long[] amounts = pod.requestAmounts();
        int bound = snapshot.nodeIndexBound();
        // Dense: most nodes are candidates, so one straight pass per resource column (a tight loop
        // the JIT unrolls) beats visiting set bits; candidates are consulted only for nodes short of it.
        boolean dense = candidates.cardinality() * DENSE_SCAN_FACTOR >= bound;
        rejected.clear();
        ResourceColumns names = snapshot.columns();
        for (int j = 0; j < columns.length; j++) {
            long[] free = snapshot.unrequestedColumn(columns[j]);
            if (free == null) {
                free = noneFree(bound); // a resource no node has
            }
            long amount = amounts[j];
            if (amount <= 0) {
                // kube-scheduler checks only what the pod requests: a node over-committed in a resource
                // (free below zero after its allocatable shrank) still takes pods that ask for none of it.
                continue;
            }
            int shortNodes = 0;
            if (dense) {
                for (int n = 0; n < bound; n++) {
                    if (free[n] < amount && candidates.get(n)) {
                        rejected.set(n);
                        shortNodes++;
                    }
                }
            } else {
                for (int n = candidates.nextSetBit(0); n >= 0; n = candidates.nextSetBit(n + 1)) {
                    if (free[n] < amount) {
                        rejected.set(n);
                        shortNodes++;
                    }
                }
            }
            // Every resource a node is short of is counted, as kube-scheduler reports them all.
            diagnosis.rejectCount(this, names.insufficientReason(columns[j]), shortNodes);
        }
        candidates.andNot(rejected);
    }

    private long[] noneFree(int bound) {
        if (zeros.length < bound) {
            zeros = new long[Math.max(bound, zeros.length * 2)];
        }
        return zeros;
    }

    /** Capacity held by other pods is freed by evicting them... */
    @Override
    public boolean evictionMayResolve(String reason) {
        return true;
    }

    /** ...unless the pod asks for more of a resource than the node has at all. */
    @Override
    public boolean exceedsEmptyNode(PodContext pod, ClusterSnapshot snapshot, int node) {
        int[] columns = pod.requestColumns();
        long[] amounts = pod.requestAmounts();
        for (int j = 0; j < columns.length; j++) {
            if (amounts[j] > 0 && amounts[j] > snapshot.allocatable(columns[j], node)) {
                return true;
            }
        }
        return snapshot.allocatable(ResourceColumns.PODS, node) < 1;
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

    // ---------------------------------------------------------------- score

    @Override
    public void score(PodContext pod, ClusterSnapshot snapshot, int[] nodes, int count, long[] scores) {
        int scored = resolveScoredResources(pod, snapshot);
        if (scored == 0) {
            Arrays.fill(scores, 0, count, 0);
            return;
        }
        boolean least = strategy == ScoringStrategy.LEAST_ALLOCATED;
        if (scored == 2) {
            scoreTwo(least, nodes, count, scores); // cpu and memory, the default: one pass
            forgetColumns(scored);
            return;
        }
        // Resource by resource over all nodes: each pass is a short loop over three columns that the
        // JIT keeps in registers, without a data-dependent branch; the weighted sum builds up in
        // scores[], the weight of resources a node lacks (rare) in missingWeights[].
        if (missingWeights.length < count) {
            missingWeights = new long[Math.max(count, missingWeights.length * 2)];
        }
        Arrays.fill(scores, 0, count, 0);
        Arrays.fill(missingWeights, 0, count, 0);
        long fullWeight = 0;
        for (int r = 0; r < scored; r++) {
            long[] allocatableColumn = scoredAllocatable[r];
            long[] requestedColumn = scoredRequested[r];
            long[] inverseColumn = scoredInverse[r];
            long weight = scoredWeights[r];
            long podRequest = podRequests[r];
            fullWeight += weight;
            for (int i = 0; i < count; i++) {
                int node = nodes[i];
                long allocatable = allocatableColumn[node];
                if (allocatable == 0) {
                    missingWeights[i] += weight; // a node without the resource is not scored on it
                    continue;
                }
                scores[i] += weight * share(least, allocatable, requestedColumn[node] + podRequest,
                        inverseColumn[node]);
            }
        }
        long fullWeightInverse = Long.MAX_VALUE / fullWeight;
        for (int i = 0; i < count; i++) {
            long weightSum = fullWeight - missingWeights[i];
            scores[i] = weightSum == fullWeight ? quotient(scores[i], fullWeight, fullWeightInverse)
                    : weightSum == 0 ? 0 : scores[i] / weightSum;
        }
        forgetColumns(scored);
    }

    /** The state's columns are read during one cycle only; do not keep them beyond it. */
    private void forgetColumns(int scored) {
        Arrays.fill(scoredAllocatable, 0, scored, null);
        Arrays.fill(scoredRequested, 0, scored, null);
        Arrays.fill(scoredInverse, 0, scored, null);
    }

    /** The score over exactly two resources in one pass over the nodes, six columns in locals. */
    private void scoreTwo(boolean least, int[] nodes, int count, long[] scores) {
        long[] allocatableA = scoredAllocatable[0];
        long[] requestedA = scoredRequested[0];
        long[] inverseA = scoredInverse[0];
        long[] allocatableB = scoredAllocatable[1];
        long[] requestedB = scoredRequested[1];
        long[] inverseB = scoredInverse[1];
        long weightA = scoredWeights[0];
        long weightB = scoredWeights[1];
        long requestA = podRequests[0];
        long requestB = podRequests[1];
        long fullWeight = weightA + weightB;
        long fullWeightInverse = Long.MAX_VALUE / fullWeight;
        for (int i = 0; i < count; i++) {
            int node = nodes[i];
            long a = allocatableA[node];
            long b = allocatableB[node];
            if (a == 0 || b == 0) {
                scores[i] = scoreLacking(least, node, a, b);
                continue;
            }
            long weighted = weightA * share(least, a, requestedA[node] + requestA, inverseA[node])
                    + weightB * share(least, b, requestedB[node] + requestB, inverseB[node]);
            scores[i] = quotient(weighted, fullWeight, fullWeightInverse);
        }
    }

    /** {@link #scoreTwo} for a node without one or both resources: those are not scored. */
    private long scoreLacking(boolean least, int node, long a, long b) {
        long weighted = 0;
        long weightSum = 0;
        for (int r = 0; r < 2; r++) {
            long allocatable = r == 0 ? a : b;
            if (allocatable == 0) {
                continue;
            }
            weighted += scoredWeights[r]
                    * share(least, allocatable, scoredRequested[r][node] + podRequests[r], scoredInverse[r][node]);
            weightSum += scoredWeights[r];
        }
        return weightSum == 0 ? 0 : weighted / weightSum;
    }

    /**
     * Fills the scratch arrays with the weighted resources worth scoring for this pod, resolved to
     * columns once per cycle; returns how many there are.
     */
    private int resolveScoredResources(PodContext pod, ClusterSnapshot snapshot) {
        ResourceColumns columns = snapshot.columns();
        int scored = 0;
        for (int r = 0; r < resources.length; r++) {
            int c = columns.columnOf(resources[r]);
            if (c < 0 || c == ResourceColumns.PODS || snapshot.allocatableColumn(c) == null) {
                continue; // no node has it: every node would skip it
            }
            long request;
            if (c == ResourceColumns.CPU) {
                request = pod.nonZeroCpuMilli();
            } else if (c == ResourceColumns.MEMORY) {
                request = pod.nonZeroMemoryBytes();
            } else {
                request = podRequest(pod, c);
                if (request == 0 && c != ResourceColumns.EPHEMERAL_STORAGE) {
                    continue;
                }
            }
            scoredWeights[scored] = weights[r];
            podRequests[scored] = request;
            scoredAllocatable[scored] = snapshot.allocatableColumn(c);
            scoredRequested[scored] = snapshot.scoredRequestedColumn(c);
            scoredInverse[scored] = snapshot.allocatableInverseColumn(c);
            scored++;
        }
        return scored;
    }

    /**
     * One resource's score on a node with {@code requested} (the node's and the pod's) of
     * {@code allocatable > 0}: kube-scheduler's leastRequestedScore (an over-committed node scores
     * 0) or mostRequestedScore (capped at full, as non-zero defaults can exceed allocatable).
     */
    private static long share(boolean least, long allocatable, long requested, long allocatableInverse) {
        long part = least ? Math.max(allocatable - requested, 0) : Math.min(requested, allocatable);
        return scaledQuotient(part, allocatable, allocatableInverse);
    }

    /**
     * {@code part * MAX_NODE_SCORE / whole} rounded down, exactly as the integer division, for
     * {@code 0 <= part <= whole}, given {@code wholeInverse = Long.MAX_VALUE / whole}.
     */
    static long scaledQuotient(long part, long whole, long wholeInverse) {
        return quotient(part * MAX_NODE_SCORE, whole, wholeInverse);
    }

    /**
     * {@code dividend / divisor} rounded down for {@code dividend >= 0, divisor > 0}, given
     * {@code divisorInverse = Long.MAX_VALUE / divisor}. A 64-bit division per node and resource was
     * the largest cost of a decision; this is a high multiply and at most one correction:
     * {@code dividend * inverse / 2^63} falls short of the quotient by less than
     * {@code dividend / 2^62}, so below 2^62 it is the quotient or one less.
     */
    static long quotient(long dividend, long divisor, long divisorInverse) {
        if (dividend >= QUOTIENT_LIMIT) {
            return dividend / divisor;
        }
        long q = Math.multiplyHigh(dividend << 1, divisorInverse);
        long remainder = dividend - q * divisor; // in [0, 2 * divisor)
        // +1 when remainder >= divisor, without a branch: exact quotients (50% of a round
        // allocatable) are common and would make a branch here unpredictable.
        return q + ((divisor - 1 - remainder) >>> 63);
    }

    private static long podRequest(PodContext pod, int column) {
        int[] columns = pod.requestColumns();
        for (int j = 0; j < columns.length; j++) {
            if (columns[j] == column) {
                return pod.requestAmounts()[j];
            }
        }
        return 0;
    }
}
