package io.kubenexus.scheduler.core.loop;

import io.kubenexus.scheduler.core.framework.FilterDiagnosis;
import io.kubenexus.scheduler.core.framework.FilterPlugin;
import io.kubenexus.scheduler.core.framework.PodContext;
import io.kubenexus.scheduler.core.framework.PreFilterPlugin;
import io.kubenexus.scheduler.core.framework.ScorePlugin;
import io.kubenexus.scheduler.core.framework.Status;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.plugins.SchedulingProfile;
import io.kubenexus.scheduler.core.plugins.WeightedScorePlugin;
import io.kubenexus.scheduler.core.state.ClusterState;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Set;

/**
 * One pod's decision against the live cluster state: pre-filters, bulk filters over a bitset of
 * candidate nodes, weighted scoring of the feasible nodes, and a deterministic choice among the
 * best. Scratch arrays are owned here and reused, so a decision allocates nothing per node.
 *
 * <p>Every feasible node is scored unless {@code percentageOfNodesToScore} is below 100; then, as in
 * kube-scheduler, at least 100 nodes are scored, taken round-robin so successive pods see
 * different parts of the cluster.
 *
 * <p>Single writer: used only by the scheduling loop thread.
 */
public final class SchedulingAlgorithm {
    private static final int MIN_NODES_TO_SCORE = 100;
    /** Feasible nodes are collected bit by bit when at least 1 in this many is feasible. */
    private static final int DENSE_COLLECT_FACTOR = 2;

    private final SchedulingProfile profile;
    private final int percentageOfNodesToScore;
    private final FilterDiagnosis diagnosis = new FilterDiagnosis();
    private final BitSet candidates = new BitSet();
    private int[] feasible = new int[0];
    private long[] pluginScores = new long[0];
    private long[] totals = new long[0];
    private int nextStartIndex;

    public SchedulingAlgorithm(SchedulingProfile profile, int percentageOfNodesToScore) {
        this.profile = profile;
        this.percentageOfNodesToScore = percentageOfNodesToScore;
    }

    public Decision schedule(PodInfo pod, ClusterState state) {
        PodContext context = state.podContext(pod);
        return schedule(context, state);
    }

    public Decision schedule(PodContext context, ClusterState state) {
        return schedule(context, state, null);
    }

    /**
     * Like {@link #schedule(PodInfo, ClusterState)} but only nodes in {@code restrictTo} are
     * candidates (e.g. the node holding a place reserved for this pod).
     */
    public Decision schedule(PodInfo pod, ClusterState state, BitSet restrictTo) {
        return schedule(state.podContext(pod), state, restrictTo);
    }

    private Decision schedule(PodContext context, ClusterState state, BitSet restrictTo) {
        int totalNodes = state.nodeCount();
        for (PreFilterPlugin preFilter : profile.preFilters()) {
            Status status = preFilter.preFilter(context, state);
            if (!status.isSuccess()) {
                return new Decision.Unschedulable("0/" + totalNodes + " nodes are available: " + status.reason() + ".",
                        Set.of(), true);
            }
        }
        diagnosis.reset();
        candidates.clear();
        candidates.or(state.liveNodes());
        if (restrictTo != null) {
            candidates.and(restrictTo);
        }
        for (FilterPlugin filter : profile.filters()) {
            if (candidates.isEmpty()) {
                break;
            }
            filter.filter(context, state, candidates, diagnosis);
        }
        int feasibleCount = candidates.cardinality();
        if (feasibleCount == 0) {
            return new Decision.Unschedulable(diagnosis.message(totalNodes), Set.copyOf(diagnosis.eventsThatMayHelp()),
                    false);
        }
        ensureCapacity(feasibleCount + 1); // dense collection writes one slot past the last feasible node
        int count = collectNodesToScore(feasibleCount);
        if (count == 1) {
            int only = feasible[0];
            return new Decision.Placed(only, state.node(only).name(), feasibleCount, 0);
        }
        Arrays.fill(totals, 0, count, 0);
        long uniformTotal = 0;
        for (WeightedScorePlugin weighted : profile.scores()) {
            ScorePlugin plugin = weighted.plugin();
            long weight = weighted.weight();
            long uniform = plugin.uniformScore(context, state);
            if (uniform != ScorePlugin.SCORE_EACH_NODE) {
                uniformTotal += weight * uniform; // the same for every node: ranks nothing
                continue;
            }
            Arrays.fill(pluginScores, 0, count, 0);
            plugin.score(context, state, feasible, count, pluginScores);
            plugin.normalize(context, pluginScores, count);
            for (int i = 0; i < count; i++) {
                totals[i] += weight * pluginScores[i];
            }
        }
        int best = pickBest(context.pod(), state, count);
        return new Decision.Placed(feasible[best], state.node(feasible[best]).name(), feasibleCount,
                totals[best] + uniformTotal);
    }

    /** The diagnosis of the last unschedulable decision (reason histogram, rejecting plugins). */
    public FilterDiagnosis lastDiagnosis() {
        return diagnosis;
    }

    private int collectNodesToScore(int feasibleCount) {
        int limit = feasibleCount;
        if (percentageOfNodesToScore < 100) {
            limit = Math.max(MIN_NODES_TO_SCORE, (int) ((long) feasibleCount * percentageOfNodesToScore / 100));
            limit = Math.min(limit, feasibleCount);
        }
        if (limit == feasibleCount) {
            int n = 0;
            int bound = candidates.length();
            if (feasibleCount * DENSE_COLLECT_FACTOR >= bound) {
                // Mostly set: test every bit without a branch; nextSetBit's chain of dependent
                // calls cost more than the decision's scoring once thousands of nodes are feasible.
                for (int i = 0; i < bound; i++) {
                    feasible[n] = i;
                    n += candidates.get(i) ? 1 : 0;
                }
                return n;
            }
            for (int i = candidates.nextSetBit(0); i >= 0; i = candidates.nextSetBit(i + 1)) {
                feasible[n++] = i;
            }
            return n;
        }
        // Round-robin start, wrapping around; kept in ascending order for the score plugins.
        int n = 0;
        int start = candidates.nextSetBit(nextStartIndex);
        if (start < 0) {
            start = candidates.nextSetBit(0);
        }
        for (int i = start; i >= 0 && n < limit; i = candidates.nextSetBit(i + 1)) {
            feasible[n++] = i;
        }
        int wrapped = n;
        for (int i = candidates.nextSetBit(0); i >= 0 && i < start && n < limit; i = candidates.nextSetBit(i + 1)) {
            feasible[n++] = i;
        }
        nextStartIndex = feasible[n - 1] + 1;
        if (wrapped < n) {
            // Rotate the wrapped-around head to the front so indices ascend.
            int[] head = Arrays.copyOfRange(feasible, wrapped, n);
            System.arraycopy(feasible, 0, feasible, n - wrapped, wrapped);
            System.arraycopy(head, 0, feasible, 0, head.length);
        }
        return n;
    }

    /**
     * Highest total wins. Ties go to the node with the highest hash of (pod uid, node name):
     * deterministic for a given pod and cluster, yet spread across nodes for different pods, where
     * kube-scheduler picks at random.
     */
    private int pickBest(PodInfo pod, ClusterState state, int count) {
        int podHash = pod.uid().isEmpty() ? pod.key().hashCode() : pod.uid().hashCode();
        int best = 0;
        long bestTie = tieBreak(podHash, state.node(feasible[0]).name());
        for (int i = 1; i < count; i++) {
            if (totals[i] < totals[best]) {
                continue;
            }
            long tie = tieBreak(podHash, state.node(feasible[i]).name());
            if (totals[i] > totals[best] || tie > bestTie) {
                best = i;
                bestTie = tie;
            }
        }
        return best;
    }

    private static long tieBreak(int podHash, String nodeName) {
        // SplitMix64 finaliser: cheap, well mixed, no allocation.
        long z = ((long) podHash << 32) ^ (nodeName.hashCode() & 0xffffffffL);
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private void ensureCapacity(int n) {
        if (feasible.length < n) {
            int size = Math.max(n, feasible.length * 2);
            feasible = new int[size];
            pluginScores = new long[size];
            totals = new long[size];
        }
    }
}
