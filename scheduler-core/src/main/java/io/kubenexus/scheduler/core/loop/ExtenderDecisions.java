package io.kubenexus.scheduler.core.loop;

import io.kubenexus.scheduler.core.framework.PodContext;
import io.kubenexus.scheduler.core.model.PodInfo;
import io.kubenexus.scheduler.core.preemption.VictimsOnNode;
import io.kubenexus.scheduler.core.query.NodeFilterResult;
import io.kubenexus.scheduler.core.query.NodeScores;
import io.kubenexus.scheduler.core.state.ClusterState;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The extender's read-only verbs (filter, prioritize, preempt), answered on the loop thread against
 * the live state with the loop's own plugins, so kube-scheduler hears what a decision of ours would
 * say. Every verb leaves the state as it found it: what it takes away for the question (an
 * places held for the pod, a preemption's victims) is put back before it returns.
 *
 * <p>Used only on the scheduling loop thread.
 */
final class ExtenderDecisions {
    private final SchedulingLoop loop;
    private final NodeVerdicts verdicts;
    /**
     * The last names resolved, by identity, with the node set they were resolved against:
     * kube-scheduler sends the same NodeNames to filter and prioritize, and the decoder hands the
     * same immutable list for identical bytes, so a repeated question skips 5,000 hash lookups.
     */
    private List<String> resolvedNames;
    private long resolvedNodeSet = -1;
    private int[] resolvedIndices;

    ExtenderDecisions(SchedulingLoop loop, NodeVerdicts verdicts) {
        this.loop = loop;
        this.verdicts = verdicts;
    }

    /** See {@link SchedulingLoop#filter}. */
    NodeFilterResult filter(PodInfo pod, List<String> nodeNames) {
        return withOwnPlacesFree(pod, () -> {
            ClusterState state = loop.state;
            int[] indices = liveIndices(nodeNames);
            NodeVerdicts.Outcome outcome = verdicts.judge(state.podContext(pod), state, known(indices));
            List<String> feasible = new ArrayList<>();
            Map<String, String> failed = new LinkedHashMap<>();
            Map<String, String> unresolvable = new LinkedHashMap<>();
            BitSet answered = new BitSet(); // a name given twice is answered once, where it came first
            for (int i = 0; i < indices.length; i++) {
                String name = nodeNames.get(i);
                int index = indices[i];
                if (index < 0) {
                    failed.putIfAbsent(name, NodeFilterResult.UNKNOWN_NODE);
                } else if (answered.get(index)) {
                    continue;
                } else if (outcome.feasible().get(index)) {
                    answered.set(index);
                    feasible.add(name);
                } else {
                    answered.set(index);
                    NodeVerdicts.Verdict verdict = outcome.verdict(index);
                    (verdict.resolvable() ? failed : unresolvable).put(name, verdict.reason());
                }
            }
            return new NodeFilterResult(feasible, failed, unresolvable);
        });
    }

    /** See {@link SchedulingLoop#prioritize} and {@link NodeScores} for the mapping. */
    NodeScores prioritize(PodInfo pod, List<String> nodeNames) {
        return withOwnPlacesFree(pod, () -> {
            ClusterState state = loop.state;
            PodContext context = state.podContext(pod);
            int[] indices = liveIndices(nodeNames);
            BitSet feasible = verdicts.judge(context, state, known(indices)).feasible();
            int[] nodes = feasible.stream().toArray();
            long[] totals = loop.algorithm.scoreTotals(context, state, nodes, nodes.length);
            long best = 0;
            for (long total : totals) {
                best = Math.max(best, total);
            }
            int[] byIndex = new int[nodes.length == 0 ? 0 : nodes[nodes.length - 1] + 1];
            for (int i = 0; i < nodes.length; i++) {
                byIndex[nodes[i]] = scale(totals[i], best);
            }
            Map<String, Integer> scores = new LinkedHashMap<>();
            for (int i = 0; i < indices.length; i++) {
                int index = indices[i];
                scores.put(nodeNames.get(i), index >= 0 && index < byIndex.length ? byIndex[index] : 0);
            }
            return new NodeScores(scores);
        });
    }

    /** {@code round_half_up(10 * total / best)}, within 0..10; 0 when every total is 0. */
    static int scale(long total, long best) {
        if (best <= 0 || total <= 0) {
            return 0;
        }
        long scaled = (2L * NodeScores.MAX_SCORE * total + best) / (2 * best);
        return (int) Math.min(NodeScores.MAX_SCORE, scaled);
    }

    /**
     * See {@link SchedulingLoop#acceptVictims}: each proposed node answered with the victims our own
     * engine chooses there (the fewest, least important, whole gangs included), or dropped when our
     * rules refuse it. kube-scheduler evicts what we answer, and only pods on the node it names: a node
     * whose victims include gang members elsewhere is dropped too (evicting only part would leave the
     * gang partial).
     */
    Map<String, VictimsOnNode> acceptVictims(PodInfo pod, Collection<String> nodes) {
        return withOwnPlacesFree(pod, () -> {
            Map<String, VictimsOnNode> accepted = new LinkedHashMap<>();
            for (String node : nodes) {
                if (liveIndex(node) >= 0) {
                    loop.preemptionEngine().victimsOn(pod, node, loop.state)
                            .filter(victims -> victims.allOn(node))
                            .ifPresent(victims -> accepted.put(node, victims));
                }
            }
            return accepted;
        });
    }

    /**
     * A pod may use the places held for it ({@link io.kubenexus.scheduler.core.framework.ReservePlugin}'s
     * placeholders, e.g. its group's): they are released for the question and held again before the
     * answer leaves.
     */
    private <T> T withOwnPlacesFree(PodInfo pod, Supplier<T> question) {
        List<PodInfo> own = loop.plugins.placeholdersUsableBy(pod);
        if (own.isEmpty()) {
            return question.get();
        }
        ClusterState state = loop.state;
        own.forEach(placeholder -> state.forget(placeholder.key()));
        try {
            return question.get();
        } finally {
            own.forEach(state::assume);
        }
    }

    /**
     * Each name's live node index, or -1; one lookup per name, or none when the very same list was
     * resolved last against the same node set. {@code nodeNames} must be immutable (the loop passes
     * {@code List.copyOf}s). The array is shared: read it only.
     */
    private int[] liveIndices(List<String> nodeNames) {
        long nodeSet = loop.state.nodeSetVersion();
        if (nodeNames == resolvedNames && nodeSet == resolvedNodeSet) {
            return resolvedIndices;
        }
        int[] indices = new int[nodeNames.size()];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = liveIndex(nodeNames.get(i));
        }
        resolvedNames = nodeNames;
        resolvedNodeSet = nodeSet;
        resolvedIndices = indices;
        return indices;
    }

    private static BitSet known(int[] indices) {
        BitSet candidates = new BitSet();
        for (int index : indices) {
            if (index >= 0) {
                candidates.set(index);
            }
        }
        return candidates;
    }

    private int liveIndex(String name) {
        ClusterState state = loop.state;
        int index = name == null ? -1 : state.nodeIndex(name);
        return index >= 0 && state.liveNodes().get(index) ? index : -1;
    }
}
