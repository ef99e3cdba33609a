package io.kubenexus.scheduler.core.plugins;

import io.kubenexus.scheduler.core.framework.ClusterEventType;
import io.kubenexus.scheduler.core.framework.FilterDiagnosis;
import io.kubenexus.scheduler.core.framework.FilterPlugin;
import io.kubenexus.scheduler.core.framework.PodContext;
import io.kubenexus.scheduler.core.framework.ScorePlugin;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.model.PreferredSchedulingTerm;
import io.kubenexus.scheduler.core.state.ClusterSnapshot;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * kube-scheduler's NodeAffinity. Filter: the node must match the pod's nodeSelector and at least one
 * term of its required node affinity. Score: the sum of the weights of the preferred terms the node
 * matches, scaled so the best node gets {@link #MAX_NODE_SCORE}.
 *
 * <p>Selectors are evaluated on the snapshot's label bitsets once per cycle (the required set is
 * kept in the pod's cycle data), never node by node. Holds scratch bitsets, so an instance is used
 * by the scheduling loop thread only.
 */
public final class NodeAffinity implements FilterPlugin, ScorePlugin {
    public static final String NAME = "NodeAffinity";
    public static final String REASON = "node(s) didn't match Pod's node affinity/selector";

    private static final Set<ClusterEventType> EVENTS = Set.copyOf(
            EnumSet.of(ClusterEventType.NODE_LABELS_CHANGED, ClusterEventType.NODE_ADDED));

    // Scratch bitsets, reused across cycles so a decision allocates nothing that grows with the cluster.
    private final BitSet rejected = new BitSet();
    private final BitSet scratch = new BitSet();
    private final BitSet termScratch = new BitSet();
    private final BitSet anyTerm = new BitSet();
    private final BitSet allowed = new BitSet();
    private final NormalizedScores normalizedScores = new NormalizedScores();
    /** The cycle {@link #allowed} was computed for. */
    private PodContext allowedFor;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void filter(PodContext pod, ClusterSnapshot snapshot, BitSet candidates, FilterDiagnosis diagnosis) {
        PodInfo info = pod.pod();
        if (info.nodeSelector().isEmpty() && !info.nodeAffinity().hasRequired()) {
            return;
        }
        BitSet allowedNodes = allowedNodes(pod, snapshot);
        rejected.clear();
        rejected.or(candidates);
        rejected.andNot(allowedNodes);
        candidates.and(allowedNodes);
        diagnosis.rejectAll(this, rejected, REASON);
    }

    private BitSet allowedNodes(PodContext pod, ClusterSnapshot snapshot) {
        if (allowedFor == pod) {
            return allowed;
        }
        PodInfo info = pod.pod();
        NodeSelectorMatcher.matchingNodeSelector(info.nodeSelector(), snapshot, allowed);
        if (info.nodeAffinity().hasRequired()) {
            allowed.and(NodeSelectorMatcher.matchingAnyTerm(info.nodeAffinity().required(), snapshot, anyTerm,
                    termScratch, scratch));
        }
        allowedFor = pod;
        return allowed;
    }

    @Override
    public void score(PodContext pod, ClusterSnapshot snapshot, int[] nodes, int count, long[] scores) {
        for (int i = 0; i < count; i++) {
            scores[i] = 0;
        }
        List<PreferredSchedulingTerm> preferred = pod.pod().nodeAffinity().preferred();
        if (preferred.isEmpty()) {
            return;
        }
        for (PreferredSchedulingTerm term : preferred) {
            if (term.weight() <= 0) {
                continue; // the API server admits 1..100 only; never let a bad weight lower a node
            }
            BitSet matching = NodeSelectorMatcher.matchingTerm(term.preference(), snapshot, termScratch, scratch);
            if (matching.isEmpty()) {
                continue;
            }
            for (int i = 0; i < count; i++) {
                if (matching.get(nodes[i])) {
                    scores[i] += term.weight();
                }
            }
        }
    }

    /** No preferred term with a weight: every node scores 0. */
    @Override
    public long uniformScore(PodContext pod, ClusterSnapshot snapshot) {
        for (PreferredSchedulingTerm term : pod.pod().nodeAffinity().preferred()) {
            if (term.weight() > 0) {
                return SCORE_EACH_NODE;
            }
        }
        return 0;
    }

    /** kube-scheduler's DefaultNormalizeScore: MAX*raw/max, unchanged (all zero) when no node matched. */
    @Override
    public void normalize(PodContext pod, long[] scores, int count) {
        normalizedScores.normalize(scores, count, false);
    }

    @Override
    public boolean judgesEachNodeAlone() {
        return true;
    }

    @Override
    public Dependence dependence() {
        return Dependence.NODE_PROPERTIES;
    }

    @Override
    public Set<ClusterEventType> eventsThatMayHelp() {
        return EVENTS;
    }
}
