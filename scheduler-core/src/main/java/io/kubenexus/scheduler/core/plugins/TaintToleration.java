package io.kubenexus.scheduler.core.plugins;

import io.kubenexus.scheduler.core.framework.ClusterEventType;
import io.kubenexus.scheduler.core.framework.FilterDiagnosis;
import io.kubenexus.scheduler.core.framework.FilterPlugin;
import io.kubenexus.scheduler.core.framework.PodContext;
import io.kubenexus.scheduler.core.framework.ScorePlugin;
import io.kubenexus.scheduler.core.model.NodeInfo;
import io.kubenexus.scheduler.core.model.Taint;
import io.kubenexus.scheduler.core.model.Toleration;
import io.kubenexus.scheduler.core.state.ClusterSnapshot;
import io.kubenexus.scheduler.core.state.TaintedNodes;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * kube-scheduler's TaintToleration. Filter: a node with a NoSchedule or NoExecute taint the pod does
 * not tolerate is rejected, reported under the first such taint in the node's own taint order (as
 * kube-scheduler reports it). Score: fewer untolerated PreferNoSchedule taints is better.
 *
 * <p>Works per distinct taint on the snapshot's taint bitsets; only nodes with two or more
 * untolerated taints are looked at one by one, to find which taint comes first. Holds scratch
 * bitsets and a reason cache, so an instance is used by the scheduling loop thread only.
 */
public final class TaintToleration implements FilterPlugin, ScorePlugin {
    public static final String NAME = "TaintToleration";
    public static final String REASON_PREFIX = "node(s) had untolerated taint ";

    private static final Set<ClusterEventType> EVENTS = Set.copyOf(
            EnumSet.of(ClusterEventType.NODE_TAINTS_CHANGED, ClusterEventType.NODE_ADDED));
    /** Taint values can churn (timestamps, ids); bound the cache rather than grow it forever. */
    private static final int MAX_CACHED_REASONS = 1024;

    private final BitSet rejected = new BitSet();
    private final BitSet multiplyTainted = new BitSet();
    private final BitSet hit = new BitSet();
    private final NormalizedScores normalizedScores = new NormalizedScores();
    private final BitSet overlap = new BitSet();
    private boolean[] untolerated = new boolean[16];
    private final Map<Taint, String> reasons = new HashMap<>();

    @Override
    public String name() {
        return NAME;
    }

    /** kube-scheduler's reason for a node rejected because of {@code taint}. */
    public static String reason(Taint taint) {
        return REASON_PREFIX + taint.describe();
    }

    @Override
    public void filter(PodContext pod, ClusterSnapshot snapshot, BitSet candidates, FilterDiagnosis diagnosis) {
        List<TaintedNodes> taints = snapshot.hardTaints();
        if (taints.isEmpty()) {
            return;
        }
        List<Toleration> tolerations = pod.pod().tolerations();
        int count = taints.size();
        if (untolerated.length < count) {
            untolerated = new boolean[Math.max(count, untolerated.length * 2)];
        }
        rejected.clear();
        multiplyTainted.clear();
        boolean any = false;
        for (int t = 0; t < count; t++) {
            TaintedNodes entry = taints.get(t);
            untolerated[t] = !Tolerations.tolerate(tolerations, entry.taint());
            if (!untolerated[t]) {
                continue;
            }
            any = true;
            hit.clear();
            hit.or(entry.nodes());
            hit.and(candidates);
            overlap.clear();
            overlap.or(hit);
            overlap.and(rejected);
            multiplyTainted.or(overlap);
            rejected.or(hit);
        }
        if (!any || rejected.isEmpty()) {
            return;
        }
        // Nodes with exactly one untolerated taint: count them in bulk under that taint.
        for (int t = 0; t < count; t++) {
            if (!untolerated[t]) {
                continue;
            }
            TaintedNodes entry = taints.get(t);
            hit.clear();
            hit.or(entry.nodes());
            hit.and(candidates);
            hit.andNot(multiplyTainted);
            diagnosis.rejectCount(this, reasonFor(entry.taint()), hit.cardinality());
        }
        // Nodes with several: the first untolerated hard taint in the node's own list wins.
        for (int n = multiplyTainted.nextSetBit(0); n >= 0; n = multiplyTainted.nextSetBit(n + 1)) {
            Taint first = firstUntoleratedHardTaint(snapshot.node(n), tolerations);
            if (first != null) {
                diagnosis.reject(this, reasonFor(first));
            }
        }
        candidates.andNot(rejected);
    }

    @Override
    public void score(PodContext pod, ClusterSnapshot snapshot, int[] nodes, int count, long[] scores) {
        for (int i = 0; i < count; i++) {
            scores[i] = 0;
        }
        List<TaintedNodes> taints = snapshot.preferNoScheduleTaints();
        List<Toleration> tolerations = pod.pod().tolerations();
        for (int t = 0, size = taints.size(); t < size; t++) {
            TaintedNodes entry = taints.get(t);
            if (Tolerations.tolerate(tolerations, entry.taint())) {
                continue;
            }
            BitSet tainted = entry.nodes();
            for (int i = 0; i < count; i++) {
                if (tainted.get(nodes[i])) {
                    scores[i]++;
                }
            }
        }
    }

    /** No PreferNoSchedule taint the pod minds: no node is tainted, so every node gets the full score. */
    @Override
    public long uniformScore(PodContext pod, ClusterSnapshot snapshot) {
        List<TaintedNodes> taints = snapshot.preferNoScheduleTaints();
        List<Toleration> tolerations = pod.pod().tolerations();
        for (int t = 0, size = taints.size(); t < size; t++) {
            if (!Tolerations.tolerate(tolerations, taints.get(t).taint())) {
                return SCORE_EACH_NODE;
            }
        }
        return MAX_NODE_SCORE;
    }

    /** kube-scheduler's DefaultNormalizeScore with reverse: MAX - MAX*raw/max, all MAX when no node is tainted. */
    @Override
    public void normalize(PodContext pod, long[] scores, int count) {
        normalizedScores.normalize(scores, count, true);
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

    private static Taint firstUntoleratedHardTaint(NodeInfo node, List<Toleration> tolerations) {
        if (node == null) {
            return null;
        }
        List<Taint> taints = node.taints();
        for (int i = 0, n = taints.size(); i < n; i++) {
            Taint taint = taints.get(i);
            if (taint.effect().isHard() && !Tolerations.tolerate(tolerations, taint)) {
                return taint;
            }
        }
        return null;
    }

    private String reasonFor(Taint taint) {
        String reason = reasons.get(taint);
        if (reason == null) {
            if (reasons.size() >= MAX_CACHED_REASONS) {
                reasons.clear();
            }
            reason = reason(taint);
            reasons.put(taint, reason);
        }
        return reason;
    }
}
