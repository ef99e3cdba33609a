package io.kubenexus.scheduler.core.loop;

import io.kubenexus.scheduler.core.framework.ClusterEventType;
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
import io.kubenexus.scheduler.core.topology.PodTopologyCounts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

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
    private static final Set<ClusterEventType> ANY_EVENT = Set.copyOf(java.util.EnumSet.allOf(ClusterEventType.class));

    private static final int MIN_NODES_TO_SCORE = 100;
    /** Feasible nodes are collected bit by bit when at least 1 in this many is feasible. */
    private static final int DENSE_COLLECT_FACTOR = 2;
    /** The total of a node position that no longer fits (below every real total, which is >= 0). */
    private static final long GONE = Long.MIN_VALUE;

    private final SchedulingProfile profile;
    private final int percentageOfNodesToScore;
    private final FilterDiagnosis diagnosis = new FilterDiagnosis();
    private final BitSet candidates = new BitSet();
    private int[] feasible = new int[0];
    private long[] pluginScores = new long[0];
    private long[] totals = new long[0];
    private int nextStartIndex;

    // Deciding copies (scheduleCopies): what the last decide() left for them.
    private final boolean copiesNodeByNode;
    /** Filters that judge nodes alone only for some pods (asked per pod). */
    private final List<FilterPlugin> filtersAskedPerPod;
    /** Plugins whose scores look across nodes: copies are decided node by node only when they score alike. */
    private final List<ScorePlugin> clusterScores;
    private long[] fixedTotals = new long[0];
    private long uniformTotal;
    private int scoredCount;
    private int bestPosition;
    private final BitSet oneNode = new BitSet();
    private final int[] oneNodeIndex = new int[1];
    private final long[] oneNodeScore = new long[1];

    public SchedulingAlgorithm(SchedulingProfile profile, int percentageOfNodesToScore) {
        this.profile = profile;
        this.percentageOfNodesToScore = percentageOfNodesToScore;
        boolean nodeByNode = percentageOfNodesToScore >= 100;
        List<FilterPlugin> askedPerPod = new ArrayList<>();
        for (FilterPlugin filter : profile.filters()) {
            if (!filter.judgesEachNodeAlone()) {
                askedPerPod.add(filter);
            }
        }
        this.filtersAskedPerPod = List.copyOf(askedPerPod);
        List<ScorePlugin> acrossNodes = new ArrayList<>();
        for (WeightedScorePlugin weighted : profile.scores()) {
            if (weighted.plugin().dependence() == ScorePlugin.Dependence.CLUSTER) {
                acrossNodes.add(weighted.plugin());
            }
        }
        this.copiesNodeByNode = nodeByNode;
        this.clusterScores = List.copyOf(acrossNodes);
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
        return decide(context, state, restrictTo, false);
    }

    /**
     * Decides copies of one pod (pods alike in everything the plugins read, see
     * {@link PodInfo#schedulesLike}: the executors of a Spark application, the workers of a training
     * job) one after another, each seeing the ones before it assumed, with exactly the decisions
     * {@link #schedule(PodInfo, ClusterState)} would give one by one: the same nodes, scores and
     * messages. Every node is filtered and scored once; after a copy is assumed only the node it
     * took is filtered and scored again, so 100 executors cost about one full decision instead of
     * 100. When the node drops out and a plugin normalizes over the feasible nodes, or when a
     * plugin looks across nodes, or with sampling, the next copy gets a full decision.
     *
     * @param assume called with each placed copy before the next is decided; it must assume the copy
     *               on the chosen node in {@code state}
     * @return one decision per copy, in order; once one is unschedulable so are the rest (nothing
     *         changes in between)
     */
    public List<Decision> scheduleCopies(List<PodInfo> copies, ClusterState state,
                                         BiConsumer<PodInfo, Decision.Placed> assume) {
        List<Decision> decisions = new ArrayList<>(copies.size());
        int next = 0;
        while (next < copies.size()) {
            PodInfo first = copies.get(next);
            PodContext firstContext = state.podContext(first);
            boolean nodeByNode = copiesNodeByNode && filtersJudgeEachNodeAlone(firstContext, state)
                    && clusterScoresUniform(firstContext, state);
            Decision decision = decide(firstContext, state, null, nodeByNode);
            if (!(decision instanceof Decision.Placed placed)) {
                for (int m = next; m < copies.size(); m++) {
                    decisions.add(decision);
                }
                return decisions;
            }
            decisions.add(placed);
            assume.accept(first, placed);
            next = nodeByNode ? decideFollowingCopies(copies, next + 1, state, assume, decisions) : next + 1;
        }
        return decisions;
    }

    /** Whether any selector of another pod's term would select both pods or neither. */
    private static boolean selectedAlike(PodInfo first, PodInfo copy) {
        return first.labels().equals(copy.labels()) && first.key().namespace().equals(copy.key().namespace())
                && java.util.Objects.equals(first.controllerUid(), copy.controllerUid());
    }

    private boolean filtersJudgeEachNodeAlone(PodContext context, ClusterState state) {
        for (FilterPlugin filter : filtersAskedPerPod) {
            if (!filter.judgesEachNodeAlone(context, state)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether every plugin that scores across nodes gives this pod the same score on every node (e.g.
     * the GPU fragmentation score in a cluster without free GPUs), so the copies after it can still
     * be decided node by node. Such a plugin stays uniform while copies only take capacity.
     */
    private boolean clusterScoresUniform(PodContext context, ClusterState state) {
        for (ScorePlugin plugin : clusterScores) {
            if (plugin.uniformScore(context, state) == ScorePlugin.SCORE_EACH_NODE) {
                return false;
            }
        }
        return true;
    }

    /**
     * Places copies from {@code start} on against the scores the last full decision left, each
     * after refreshing the node the previous copy took; returns where a full decision is needed
     * (or the end).
     */
    private int decideFollowingCopies(List<PodInfo> copies, int start, ClusterState state,
                                      BiConsumer<PodInfo, Decision.Placed> assume, List<Decision> decisions) {
        int count = scoredCount;
        int alive = count;
        int taken = bestPosition;
        boolean shrinkingChangesScores = false;
        PodInfo first = copies.get(start - 1);
        PodTopologyCounts interPod = state.extension(PodTopologyCounts.class);
        for (int m = start; m < copies.size(); m++) {
            PodInfo copy = copies.get(m);
            if (interPod != null && (interPod.anyRequiredAntiAffinity() || interPod.anyScoringTerms())
                    && !selectedAlike(first, copy)) {
                // Existing pods' terms select pods by labels, namespace and controller, which copies
                // may differ in (executors have their own ids): this one gets a decision of its own.
                return m;
            }
            PodContext context = state.podContext(copy);
            if (m == start) {
                shrinkingChangesScores = normalizesOverFeasibleNodes(context, state);
            }
            if (!refresh(context, state, taken)) {
                totals[taken] = GONE;
                alive--;
                if (alive == 0 || shrinkingChangesScores) {
                    return m;
                }
            }
            int best = pickBest(copy, state, count);
            int node = feasible[best];
            // As schedule(): a lone feasible node is not scored.
            Decision.Placed placed = new Decision.Placed(node, state.node(node).name(), alive,
                    alive == 1 ? 0 : totals[best] + uniformTotal);
            decisions.add(placed);
            assume.accept(copy, placed);
            taken = best;
        }
        return copies.size();
    }

    /** Whether a plugin that scores this pod node by node compares nodes when normalizing. */
    private boolean normalizesOverFeasibleNodes(PodContext context, ClusterState state) {
        for (WeightedScorePlugin weighted : profile.scores()) {
            ScorePlugin plugin = weighted.plugin();
            if (plugin.dependence() == ScorePlugin.Dependence.NODE_PROPERTIES
                    && plugin.uniformScore(context, state) == ScorePlugin.SCORE_EACH_NODE) {
                return true;
            }
        }
        return false;
    }

    /**
     * Filters the node at {@code position} again and, if it still fits, scores it again with the
     * plugins that depend on its pods; false if it no longer fits.
     */
    private boolean refresh(PodContext context, ClusterState state, int position) {
        int node = feasible[position];
        oneNode.clear();
        oneNode.set(node);
        diagnosis.reset();
        for (FilterPlugin filter : profile.filters()) {
            filter.filter(context, state, oneNode, diagnosis);
            if (oneNode.isEmpty()) {
                return false;
            }
        }
        if (scoredCount == 1) {
            return true; // never scored: a lone node scores 0
        }
        long total = fixedTotals[position];
        for (WeightedScorePlugin weighted : profile.scores()) {
            ScorePlugin plugin = weighted.plugin();
            if (plugin.dependence() != ScorePlugin.Dependence.NODE_USAGE
                    || plugin.uniformScore(context, state) != ScorePlugin.SCORE_EACH_NODE) {
                continue;
            }
            oneNodeIndex[0] = node;
            oneNodeScore[0] = 0;
            plugin.score(context, state, oneNodeIndex, 1, oneNodeScore);
            plugin.normalize(context, oneNodeScore, 1);
            total += weighted.weight() * oneNodeScore[0];
        }
        totals[position] = total;
        return true;
    }

    private Decision decide(PodContext context, ClusterState state, BitSet restrictTo, boolean forCopies) {
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
            Set<ClusterEventType> helpful = diagnosis.eventsThatMayHelp();
            // No filter rejected a node (there were none to look at): none can say what helps, so any
            // cluster event does, as kube-scheduler retries a pod without rejecting plugins on every event.
            return new Decision.Unschedulable(diagnosis.message(totalNodes),
                    helpful.isEmpty() ? ANY_EVENT : Set.copyOf(helpful), false);
        }
        ensureCapacity(feasibleCount + 1); // dense collection writes one slot past the last feasible node
        int count = collectNodesToScore(feasibleCount);
        scoredCount = count;
        if (count == 1) {
            bestPosition = 0;
            totals[0] = 0;
            int only = feasible[0];
            return new Decision.Placed(only, state.node(only).name(), feasibleCount, 0);
        }
        Arrays.fill(totals, 0, count, 0);
        if (forCopies) {
            Arrays.fill(fixedTotals, 0, count, 0);
        }
        uniformTotal = 0;
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
            if (forCopies && plugin.dependence() == ScorePlugin.Dependence.NODE_PROPERTIES) {
                // What stays when a copy is assumed on the node; the rest is scored again then.
                for (int i = 0; i < count; i++) {
                    fixedTotals[i] += weight * pluginScores[i];
                }
            }
        }
        int best = pickBest(context.pod(), state, count);
        bestPosition = best;
        return new Decision.Placed(feasible[best], state.node(feasible[best]).name(), feasibleCount,
                totals[best] + uniformTotal);
    }

    /** The plugins this algorithm runs, for the loop's queries (extender verbs, explanations). */
    SchedulingProfile profile() {
        return profile;
    }

    /**
     * The totals a decision gives {@code nodes[0..count)}, feasible nodes in ascending index order, when
     * they are the feasible nodes it scores: every weighted score plugin, normalized over them, the
     * uniform parts included (what {@link Decision.Placed#score()} reports). Unlike a decision, a lone
     * node is scored too. For the extender's prioritize; allocates its own arrays.
     */
    long[] scoreTotals(PodContext context, ClusterState state, int[] nodes, int count) {
        long[] out = new long[count];
        long[] scores = new long[count];
        long uniform = 0;
        for (WeightedScorePlugin weighted : profile.scores()) {
            ScorePlugin plugin = weighted.plugin();
            long score = plugin.uniformScore(context, state);
            if (score != ScorePlugin.SCORE_EACH_NODE) {
                uniform += weighted.weight() * score;
                continue;
            }
            Arrays.fill(scores, 0);
            plugin.score(context, state, nodes, count, scores);
            plugin.normalize(context, scores, count);
            for (int i = 0; i < count; i++) {
                out[i] += weighted.weight() * scores[i];
            }
        }
        for (int i = 0; i < count; i++) {
            out[i] += uniform;
        }
        return out;
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
                // calls took a tenth of a decision at 5,000 feasible nodes.
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
        while (totals[best] == GONE) {
            best++; // positions of nodes a copy filled (scheduleCopies); some node is left
        }
        long bestTie = tieBreak(podHash, state.node(feasible[best]).name());
        for (int i = best + 1; i < count; i++) {
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
            fixedTotals = new long[size];
        }
    }
}
