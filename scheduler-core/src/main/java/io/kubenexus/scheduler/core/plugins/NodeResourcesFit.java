package io.kubenexus.scheduler.core.plugins;

import io.kubenexus.scheduler.core.config.ScoringStrategy;
import io.kubenexus.scheduler.core.framework.ClusterEventType;
import io.kubenexus.scheduler.core.framework.FilterDiagnosis;
import io.kubenexus.scheduler.core.framework.FilterPlugin;
import io.kubenexus.scheduler.core.framework.PodContext;
import io.kubenexus.scheduler.core.framework.ScorePlugin;
import io.kubenexus.scheduler.core.state.ClusterSnapshot;
import io.kubenexus.scheduler.core.state.ResourceColumns;
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

    // Scratch, reused across cycles.
    private int[] shortNodes = new int[8];
    private final int[] scoredColumns;
    private final long[] scoredWeights;
    private final long[] podRequests;

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
        scoredColumns = new int[resources.length];
        scoredWeights = new long[resources.length];
        podRequests = new long[resources.length];
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
        int columnCount = snapshot.columns().count();
        for (int j = 0; j < columns.length; j++) {
            columnCount = Math.max(columnCount, columns[j] + 1);
        }
        if (shortNodes.length < columnCount) {
            shortNodes = new int[Math.max(columnCount, shortNodes.length * 2)];
        }
        for (int j = 0; j < columns.length; j++) {
            shortNodes[columns[j]] = 0;
        }
        for (int n = candidates.nextSetBit(0); n >= 0; n = candidates.nextSetBit(n + 1)) {
            boolean fits = true;
            for (int j = 0; j < columns.length; j++) {
                int c = columns[j];
                if (snapshot.allocatable(c, n) - snapshot.requested(c, n) < amounts[j]) {
                    shortNodes[c]++;
                    fits = false;
                }
            }
            if (!fits) {
                candidates.clear(n);
            }
        }
        ResourceColumns names = snapshot.columns();
        for (int j = 0; j < columns.length; j++) {
            int c = columns[j];
            diagnosis.rejectCount(this, names.insufficientReason(c), shortNodes[c]);
        }
    }

    @Override
    public Set<ClusterEventType> eventsThatMayHelp() {
        return EVENTS;
    }

    // ---------------------------------------------------------------- score

    @Override
    public void score(PodContext pod, ClusterSnapshot snapshot, int[] nodes, int count, long[] scores) {
        int scored = resolveScoredResources(pod, snapshot.columns());
        for (int i = 0; i < count; i++) {
            scores[i] = scoreNode(snapshot, nodes[i], scored);
        }
    }

    /**
     * Fills the scratch arrays with the weighted resources worth scoring for this pod, resolved to
     * columns once per cycle; returns how many there are.
     */
    private int resolveScoredResources(PodContext pod, ResourceColumns columns) {
        int scored = 0;
        for (int r = 0; r < resources.length; r++) {
            int c = columns.columnOf(resources[r]);
            if (c < 0 || c == ResourceColumns.PODS) {
                continue;
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
            scoredColumns[scored] = c;
            scoredWeights[scored] = weights[r];
            podRequests[scored] = request;
            scored++;
        }
        return scored;
    }

    private long scoreNode(ClusterSnapshot snapshot, int node, int scored) {
        long weighted = 0;
        long weightSum = 0;
        for (int r = 0; r < scored; r++) {
            int c = scoredColumns[r];
            long allocatable = snapshot.allocatable(c, node);
            if (allocatable == 0) {
                continue;
            }
            long onNode = c == ResourceColumns.CPU || c == ResourceColumns.MEMORY
                    ? snapshot.nonZeroRequested(c, node) : snapshot.requested(c, node);
            long requested = onNode + podRequests[r];
            weighted += scoredWeights[r] * resourceScore(requested, allocatable);
            weightSum += scoredWeights[r];
        }
        return weightSum == 0 ? 0 : weighted / weightSum;
    }

    private long resourceScore(long requested, long allocatable) {
        if (strategy == ScoringStrategy.LEAST_ALLOCATED) {
            // kube-scheduler's leastRequestedScore: an over-committed node scores 0.
            return requested > allocatable ? 0 : (allocatable - requested) * MAX_NODE_SCORE / allocatable;
        }
        // kube-scheduler's mostRequestedScore caps at full: non-zero defaults can exceed allocatable.
        return Math.min(requested, allocatable) * MAX_NODE_SCORE / allocatable;
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
